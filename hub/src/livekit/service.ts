// A verified LiveKit webhook event, applied once to the domain its room belongs to (the room
// name says which: consult rooms are `consult-…`, emergency call rooms `sos-…`).
import type { HubDeps } from '../deps.ts';
import type { WebhookEvent } from './media.ts';
import { deliverySeen, insertDeliveryOnce, withDeliveryLock } from './store.ts';
import { applyMediaEvent } from '../calls/media-events.ts';
import { applyConsultMediaEvent } from '../consults/media-events.ts';

/**
 * The delivery is recorded only after it was applied: if applying fails, the hub answers 500 and
 * LiveKit's retry applies it again (recording first would have turned the retry into a
 * "duplicate" and lost the event). The lock keeps two instances from applying one delivery twice.
 */
export async function applyWebhook(d: HubDeps, e: WebhookEvent): Promise<'applied' | 'ignored' | 'duplicate'> {
  return withDeliveryLock(d.sql, e.id, async () => {
    if (await deliverySeen(d.sql, e.id)) return 'duplicate';
    const outcome = await (e.room?.startsWith('consult-') ? applyConsultMediaEvent(d, e) : applyMediaEvent(d, e));
    await insertDeliveryOnce(d.sql, e.id);
    return outcome;
  });
}
