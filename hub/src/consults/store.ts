// Reads of consults and the views the kiosk and the clinicians see.
import type { Sql, Tx } from '../db/client.ts';
import type { ConsultStatus, ConsultSummary, ConsultView } from '@tram/contracts';

export interface ConsultRow {
  id: string; station_id: string; session_id: string; citizen_id: string; reason: string; note: string | null;
  urgency: number; status: ConsultStatus; room_name: string; clinician_id: string | null;
  created_at: Date; accepted_at: Date | null; ended_at: Date | null; end_reason: string | null; summary: ConsultSummary | null;
  clinician_username: string | null; clinician_name: string | null; station_name: string;
}

export function selectConsults(sql: Sql | Tx) {
  return sql`
    SELECT c.*, st.username AS clinician_username, st.display_name AS clinician_name, s.name AS station_name
    FROM consults c JOIN stations s ON s.id = c.station_id LEFT JOIN staff st ON st.id = c.clinician_id`;
}

export async function consultById(sql: Sql | Tx, id: string): Promise<ConsultRow | undefined> {
  const [r] = await sql<ConsultRow[]>`${selectConsults(sql)} WHERE c.id = ${id}`;
  return r;
}

export async function consultByRoom(sql: Sql | Tx, room: string): Promise<ConsultRow | undefined> {
  const [r] = await sql<ConsultRow[]>`${selectConsults(sql)} WHERE c.room_name = ${room}`;
  return r;
}

/** Position in the queue (1 = next) among waiting consults, ordered by urgency then waiting time. */
export async function positionOf(sql: Sql | Tx, c: Pick<ConsultRow, 'id' | 'status'>): Promise<number | null> {
  if (c.status !== 'waiting') return null;
  // compared in SQL: timestamps keep microseconds there, not in a JS Date
  const [r] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM consults w, consults me
    WHERE me.id = ${c.id} AND w.status = 'waiting'
      AND (w.urgency > me.urgency OR (w.urgency = me.urgency AND (w.created_at, w.id) <= (me.created_at, me.id)))`;
  return r!.n;
}

/**
 * An honest wait estimate: the people ahead, shared among the clinicians available now, at the
 * average length of recent consults (15 min until there is history). Null when nobody is available.
 */
export async function estimateWait(sql: Sql | Tx, position: number | null): Promise<number | null> {
  if (position === null) return null;
  const [r] = await sql<{ available: number; avg_min: number | null }[]>`
    SELECT (SELECT count(*)::int FROM clinician_presence WHERE available AND updated_at > now() - interval '180 seconds') AS available,
           (SELECT avg(extract(epoch FROM ended_at - accepted_at) / 60)::float8 FROM (
              SELECT ended_at, accepted_at FROM consults WHERE status = 'completed' AND accepted_at IS NOT NULL ORDER BY ended_at DESC LIMIT 50) x) AS avg_min`;
  if (!r || r.available === 0) return null;
  const per = Math.max(5, Math.round(r.avg_min ?? 15));
  return Math.ceil(((position - 1) / r.available) * per) + 1;
}

export async function toView(sql: Sql | Tx, r: ConsultRow): Promise<ConsultView> {
  const position = await positionOf(sql, r);
  return {
    id: r.id, status: r.status, reason: r.reason as ConsultView['reason'], position,
    estimatedWaitMin: await estimateWait(sql, position),
    clinician: r.clinician_name ? { displayName: r.clinician_name, role: 'Bác sĩ' } : null,
    summary: r.status === 'completed' ? r.summary : null,
    createdAt: r.created_at.toISOString(),
  };
}

export async function addEvent(tx: Sql | Tx, consultId: string, kind: string, actor: string, detail: Record<string, unknown> = {}) {
  await tx`INSERT INTO consult_events (consult_id, kind, actor, detail) VALUES (${consultId}, ${kind}, ${actor}, ${tx.json(detail as never)})`;
}
