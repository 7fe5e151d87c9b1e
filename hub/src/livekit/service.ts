// A verified LiveKit webhook event, applied once to the domain its room belongs to (the room
// name says which: consult rooms are `consult-…`, emergency call rooms `sos-…`).
import type { HubDeps } from '../deps.ts';
import type { WebhookEvent } from './media.ts';
import { deliverySeen, insertDeliveryOnce, withDeliveryLock } from './store.ts';
import { applyMediaEvent } from '../calls/media-events.ts';
import { applyConsultMediaEvent } from '../consults/media-events.ts';

/** The events calls/media-events.ts and consults/media-events.ts act on; keep in step with them. */
export const APPLIED = new Set(['participant_joined', 'participant_left', 'participant_connection_aborted', 'room_finished']);

/**
 * The delivery is recorded only after it was applied: if applying fails, the hub answers 500 and
 * LiveKit's retry applies it again (recording first would have turned the retry into a
 * "duplicate" and lost the event). The lock keeps two instances from applying one delivery twice.
 */
export async function applyWebhook(d: HubDeps, e: WebhookEvent): Promise<'applied' | 'ignored' | 'duplicate'> {
  // LiveKit sends a dozen kinds per room (room_started, track_published, …); the ones no domain
  // applies are answered without the lock and the database (a burst of new SOS rooms sent one
  // room_started each, and each took a pooled connection).
  if (e.event === 'room_started') {
    // Only an emergency call acts on it (a room started again after its node died), and only with
    // a conditional update that a second delivery cannot repeat: no lock, no delivery record, so
    // each new room of a burst costs one read.
    return e.room?.startsWith('sos-') ? applyMediaEvent(d, e) : 'ignored';
  }
  if (!APPLIED.has(e.event)) return 'ignored';
  return withDeliveryLock(d.sql, e.id, async () => {
    if (await deliverySeen(d.sql, e.id)) return 'duplicate';
    const outcome = await (e.room?.startsWith('consult-') ? applyConsultMediaEvent(d, e) : applyMediaEvent(d, e));
    await insertDeliveryOnce(d.sql, e.id);
    return outcome;
  });
}
