// The order of a call's states, for pages that receive its events. Kept apart from api.ts (which
// builds zod schemas at load): the kiosk imports this and must not bundle zod.
import type { CallStatus, CallView } from './api.ts';

const STATUS_ORDER: Record<CallStatus, number> = { ringing: 0, answered: 1, ended: 2 };

/**
 * Whether `next` is an older picture of the call than `prev`. Events of one call can arrive out
 * of order (a ring is repeated when a station retries, and rings go out after the commit), and a
 * call only moves forward: ringing → answered → ended, escalation levels up.
 */
export function staleCallView(prev: CallView | null | undefined, next: CallView): boolean {
  if (!prev || prev.id !== next.id) return false;
  const a = STATUS_ORDER[prev.status],
    b = STATUS_ORDER[next.status];
  return b < a || (b === a && next.escalationLevel < prev.escalationLevel);
}
