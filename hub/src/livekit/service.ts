// A verified LiveKit webhook event, applied once to the domain its room belongs to (the room
// name says which: consult rooms are `consult-…`, every other room is a call's).
import type { HubDeps } from '../deps.ts';
import type { ActsOn, WebhookEvent } from './media.ts';
import { deliverySeen, insertDeliveryOnce, withDeliveryLock } from './store.ts';
import { applyMediaEvent, CALL_MEDIA_EVENTS } from '../calls/media-events.ts';
import { applyConsultMediaEvent, CONSULT_MEDIA_EVENTS } from '../consults/media-events.ts';

interface Domain {
  acts: ActsOn;
  apply(d: HubDeps, e: WebhookEvent): Promise<'applied' | 'ignored'>;
}
const CALLS: Domain = { acts: CALL_MEDIA_EVENTS, apply: applyMediaEvent };
const CONSULTS: Domain = { acts: CONSULT_MEDIA_EVENTS, apply: applyConsultMediaEvent };
const domainOf = (room: string | undefined) => (room?.startsWith('consult-') ? CONSULTS : CALLS);

/** How an event is applied, as its room's domain says; undefined when that domain does not act on it. */
export function howApplied(e: Pick<WebhookEvent, 'event' | 'room'>): 'locked' | 'repeatable' | undefined {
  const { acts } = domainOf(e.room);
  return Object.hasOwn(acts, e.event) ? acts[e.event as keyof ActsOn] : undefined;
}

/**
 * The delivery is recorded only after it was applied: if applying fails, the hub answers 500 and
 * LiveKit's retry applies it again (recording first would have turned the retry into a
 * "duplicate" and lost the event). The lock keeps two instances from applying one delivery twice.
 */
export async function applyWebhook(d: HubDeps, e: WebhookEvent): Promise<'applied' | 'ignored' | 'duplicate'> {
  // LiveKit sends a dozen kinds per room (room_started, track_published, …); the ones no domain
  // applies are answered without the lock and the database (a burst of new SOS rooms sent one
  // room_started each, and each took a pooled connection). A repeatable one (a call room started
  // again) takes no lock and no delivery record either: each new room of a burst costs one read.
  const how = howApplied(e);
  if (!how) return 'ignored';
  const domain = domainOf(e.room);
  if (how === 'repeatable') return domain.apply(d, e);
  return withDeliveryLock(d.sql, e.id, async () => {
    if (await deliverySeen(d.sql, e.id)) return 'duplicate';
    const outcome = await domain.apply(d, e);
    await insertDeliveryOnce(d.sql, e.id);
    return outcome;
  });
}
