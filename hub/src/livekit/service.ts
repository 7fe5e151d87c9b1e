// A verified LiveKit webhook event, applied once to the domain its room belongs to (the room
// name says which: consult rooms are `consult-…`, emergency call rooms `sos-…`).
import type { HubDeps } from '../deps.ts';
import type { WebhookEvent } from './media.ts';
import { insertDeliveryOnce } from './store.ts';
import { applyMediaEvent } from '../calls/media-events.ts';
import { applyConsultMediaEvent } from '../consults/media-events.ts';

export async function applyWebhook(d: HubDeps, e: WebhookEvent): Promise<'applied' | 'ignored' | 'duplicate'> {
  if (!(await insertDeliveryOnce(d.sql, e.id))) return 'duplicate';
  return e.room?.startsWith('consult-') ? applyConsultMediaEvent(d, e) : applyMediaEvent(d, e);
}
