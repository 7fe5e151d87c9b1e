// `service.changed` from the console's hub socket (App's one socket): the review queue refetches on
// each, so new and resubmitted applications appear without a reload.
import { createSignal } from 'solid-js';
import type { HubEvent } from '@tram/contracts';

const [serviceVersion, setServiceVersion] = createSignal(0);
export { serviceVersion };

export function serviceEvent(e: HubEvent) {
  if (e.type === 'service.changed') setServiceVersion((v) => v + 1);
}
