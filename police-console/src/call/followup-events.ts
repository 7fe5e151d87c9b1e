// The hub's events of the police follow-up (callbacks, responders, chat), fanned out from the
// console's one socket to the components that show them.
import type { HubEvent } from '@tram/contracts';

const listeners = new Set<(e: HubEvent) => void>();

export function followupEvent(e: HubEvent) {
  for (const f of listeners) f(e);
}

/** Calls `f` for every hub event; returns the unsubscribe. */
export function onHubEvent(f: (e: HubEvent) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

export const newKey = () => crypto.randomUUID();
