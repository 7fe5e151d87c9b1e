// Escalation ladder on persisted deadlines. Every hub instance runs this loop; SKIP LOCKED (in
// the store) lets whichever instance is alive take each due step exactly once, including after a restart.
import type { HubDeps } from '../deps.ts';
import { callById, escalateDueCalls, insertCallEvent, policeOf, toView } from './store.ts';
import { LEVEL_COMMAND, LEVEL_NEIGHBOURS, topicsFor } from './audience.ts';
import { startTicker, type Ticker } from '../jobs/ticker.ts';

export const FALLBACK_NUMBER = '113';

/** Applies every escalation step that is due now; returns how many were applied. */
export async function escalateDue(d: HubDeps, batch = 50): Promise<number> {
  return d.sql.begin(async (tx) => {
    const due = await escalateDueCalls(tx, batch, LEVEL_NEIGHBOURS);
    for (const { id, escalation_level } of due) {
      const call = (await callById(tx, id))!;
      if (escalation_level === LEVEL_NEIGHBOURS) {
        const officers = await policeOf(tx, call.neighbour_ids);
        d.metrics.escalations.inc({ to: 'neighbours' });
        await insertCallEvent(tx, id, 'rang', 'hub', { scope: 'neighbours', wards: call.neighbour_ids, officers, reason: 'unanswered_t1' });
        await d.bus.publish(tx, { topics: topicsFor(call), type: 'call.ringing', data: { call: toView(call) } });
      } else if (escalation_level === LEVEL_COMMAND) {
        d.metrics.escalations.inc({ to: 'command' });
        await insertCallEvent(tx, id, 'escalated', 'hub', { to: 'command', reason: 'unanswered_t2', fallbackShown: FALLBACK_NUMBER });
        await d.bus.publish(tx, {
          topics: topicsFor(call),
          type: 'call.escalated',
          data: { call: toView(call), fallback: FALLBACK_NUMBER },
        });
      }
    }
    return due.length;
  });
}

export function startEscalationLoop(d: HubDeps): Ticker {
  return startTicker({ everyMs: d.config.escalation.tickMs, log: d.log, failure: 'escalation tick failed', step: () => escalateDue(d) });
}
