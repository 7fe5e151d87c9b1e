// Escalation ladder on persisted deadlines. Every hub instance runs this loop; SKIP LOCKED lets
// whichever instance is alive take each due step exactly once, including after a restart.
import type { CallDeps } from './service.ts';
import { addEvent, callById, toView } from './store.ts';
import { LEVEL_COMMAND, LEVEL_DISTRICT, topicsFor } from './audience.ts';

export const FALLBACK_NUMBER = '113';

/** Applies every escalation step that is due now; returns how many were applied. */
export async function escalateDue(d: CallDeps, batch = 50): Promise<number> {
  return d.sql.begin(async (tx) => {
    const due = await tx<{ id: string; escalation_level: number }[]>`
      UPDATE calls c SET
        escalation_level = c.escalation_level + 1,
        next_escalation_at = CASE WHEN c.escalation_level + 1 = ${LEVEL_DISTRICT} THEN c.escalate_t2_at END
      FROM (SELECT id FROM calls WHERE status = 'ringing' AND next_escalation_at <= now()
            ORDER BY next_escalation_at LIMIT ${batch} FOR UPDATE SKIP LOCKED) d
      WHERE c.id = d.id
      RETURNING c.id, c.escalation_level`;
    for (const { id, escalation_level } of due) {
      const call = (await callById(tx, id))!;
      if (escalation_level === LEVEL_DISTRICT) {
        const officers = await tx<{ username: string }[]>`
          SELECT DISTINCT st.username FROM staff st JOIN staff_wards sw ON sw.staff_id = st.id JOIN wards w ON w.id = sw.ward_id
          WHERE w.district = ${call.district} AND st.role = 'police' AND st.active ORDER BY st.username`;
        await addEvent(tx, id, 'rang', 'hub', { scope: 'district', district: call.district, officers: officers.map((o) => o.username), reason: 'unanswered_t1' });
        await d.bus.publish(tx, { topics: topicsFor(call), type: 'call.ringing', data: { call: toView(call) } });
      } else if (escalation_level === LEVEL_COMMAND) {
        await addEvent(tx, id, 'escalated', 'hub', { to: 'command', reason: 'unanswered_t2', fallbackShown: FALLBACK_NUMBER });
        await d.bus.publish(tx, { topics: topicsFor(call), type: 'call.escalated', data: { call: toView(call), fallback: FALLBACK_NUMBER } });
      }
    }
    return due.length;
  });
}

export function startEscalationLoop(d: CallDeps, tickMs: number): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      while (!stopped && (await escalateDue(d)) > 0) { /* drain a backlog */ }
    } catch (err) { d.log.error({ err }, 'escalation tick failed'); }
    if (!stopped) timer = setTimeout(() => { current = tick(); }, tickMs);
  };
  current = tick();
  return { async stop() { stopped = true; clearTimeout(timer); await current; } };
}
