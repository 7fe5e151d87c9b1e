// All SQL of callbacks and missed calls. A missed call is an inbound call that ended before anyone
// answered; it stays listed until a callback reaches the resident or an officer dismisses it.
// A callback is an outbound call row linked to it (`callback_of`): answered on the officer's side
// from the start, ringing the station until `station_answered_at` or `ring_deadline_at`.
import type { Sql, Tx } from '../db/client.ts';
import type { CallbackStatus, CallbackView } from '@tram/contracts';
import type { CallRow } from './store.ts';

/** How far back an abandoned call still counts as missed. */
export const MISSED_WINDOW_HOURS = 24;

export interface CallbackRow {
  id: string;
  callback_of: string;
  station_id: string;
  status: 'ringing' | 'answered' | 'ended';
  end_reason: string | null;
  station_answered_at: Date | null;
  ring_deadline_at: Date | null;
  officer_username: string;
  officer_name: string;
  ward_name: string;
}

export function callbackStatus(r: Pick<CallbackRow, 'status' | 'end_reason' | 'station_answered_at'>): CallbackStatus {
  if (r.station_answered_at) return r.status === 'ended' ? 'ended' : 'answered';
  if (r.status !== 'ended') return 'ringing';
  return r.end_reason === 'declined' ? 'declined' : r.end_reason === 'callback_unanswered' ? 'unanswered' : 'ended';
}

export const callbackView = (r: CallbackRow): CallbackView => ({
  callId: r.id,
  originalCallId: r.callback_of,
  status: callbackStatus(r),
  officer: { username: r.officer_username, displayName: r.officer_name },
  ward: r.ward_name,
  ringUntil: r.ring_deadline_at?.toISOString() ?? null,
});

function selectCallbacks(sql: Sql | Tx) {
  return sql`
    SELECT c.id, c.callback_of, c.station_id, c.status, c.end_reason, c.station_answered_at, c.ring_deadline_at,
           a.username AS officer_username, a.display_name AS officer_name, w.name AS ward_name
    FROM calls c JOIN staff a ON a.id = c.answered_by JOIN wards w ON w.id = c.ward_id
    WHERE c.direction = 'outbound'`;
}

export async function callbackById(sql: Sql | Tx, id: string): Promise<CallbackRow | undefined> {
  const [r] = await sql<CallbackRow[]>`${selectCallbacks(sql)} AND c.id = ${id}`;
  return r;
}

export async function openCallbackOf(sql: Sql | Tx, originalId: string): Promise<CallbackRow | undefined> {
  const [r] = await sql<CallbackRow[]>`${selectCallbacks(sql)} AND c.callback_of = ${originalId} AND c.status <> 'ended'`;
  return r;
}

/** Whether the call is a missed inbound call: ended, never answered, within the window, not closed. */
export async function isOpenMissed(sql: Sql | Tx, id: string): Promise<'missed' | 'closed' | 'not_missed'> {
  const [r] = await sql<{ missed: boolean; closed: boolean }[]>`
    SELECT (c.direction = 'inbound' AND c.status = 'ended' AND c.answered_at IS NULL
            AND c.ended_at > now() - make_interval(hours => ${MISSED_WINDOW_HOURS})) AS missed,
           EXISTS (SELECT 1 FROM call_missed_closed m WHERE m.call_id = c.id) AS closed
    FROM calls c WHERE c.id = ${id}`;
  if (!r?.missed) return 'not_missed';
  return r.closed ? 'closed' : 'missed';
}

/** Ids of the open missed calls, newest first, with how many callbacks did not reach the resident. */
export async function openMissed(
  sql: Sql,
): Promise<{ id: string; attempts: number; ringing_id: string | null; ringing_by: string | null }[]> {
  return sql`
    SELECT c.id,
           (SELECT count(*)::int FROM calls b WHERE b.callback_of = c.id AND b.status = 'ended' AND b.station_answered_at IS NULL) AS attempts,
           o.id AS ringing_id, oa.display_name AS ringing_by
    FROM calls c
    LEFT JOIN calls o ON o.callback_of = c.id AND o.status <> 'ended'
    LEFT JOIN staff oa ON oa.id = o.answered_by
    WHERE c.direction = 'inbound' AND c.status = 'ended' AND c.answered_at IS NULL
      AND c.ended_at > now() - make_interval(hours => ${MISSED_WINDOW_HOURS})
      AND NOT EXISTS (SELECT 1 FROM call_missed_closed m WHERE m.call_id = c.id)
    ORDER BY c.ended_at DESC`;
}

/**
 * Inserts the callback of a missed call: answered by the officer, ringing the station until the
 * deadline. Null when a callback of this call is already open, or the station has an open call
 * (the unique indexes stop it and nothing is written).
 */
export async function insertCallback(
  tx: Tx,
  c: { original: CallRow; officerId: string; key: string; room: string; ringS: number },
): Promise<string | null> {
  const [r] = await tx<{ id: string }[]>`
    INSERT INTO calls (station_id, ward_id, idempotency_key, request_hash, note, status, room_name,
                       escalate_t1_at, escalate_t2_at, next_escalation_at, answered_by, answered_at,
                       direction, callback_of, ring_deadline_at)
    VALUES (${c.original.station_id}, ${c.original.ward_id}, ${c.key}, NULL, NULL, 'answered', ${c.room},
            now(), now(), NULL, ${c.officerId}, now(),
            'outbound', ${c.original.id}, now() + make_interval(secs => ${c.ringS}))
    ON CONFLICT DO NOTHING
    RETURNING id`;
  return r?.id ?? null;
}

/** The station picks up a ringing callback; false when it is not ringing (ended, or picked up already). */
export async function markStationAnswered(tx: Tx, id: string, stationId: string): Promise<boolean> {
  const [r] = await tx`
    UPDATE calls SET station_answered_at = now(), ring_deadline_at = NULL
    WHERE id = ${id} AND station_id = ${stationId} AND direction = 'outbound' AND status <> 'ended' AND station_answered_at IS NULL
    RETURNING id`;
  return !!r;
}

/** Callbacks whose ring deadline passed; SKIP LOCKED lets every hub instance run this at once. */
export async function takeDueCallbacks(tx: Tx, batch: number): Promise<string[]> {
  const rows = await tx<{ id: string }[]>`
    UPDATE calls c SET ring_deadline_at = NULL
    FROM (SELECT id FROM calls WHERE ring_deadline_at <= now() AND status <> 'ended' AND station_answered_at IS NULL
          ORDER BY ring_deadline_at LIMIT ${batch} FOR UPDATE SKIP LOCKED) d
    WHERE c.id = d.id
    RETURNING c.id`;
  return rows.map((r) => r.id);
}

/** Closes a missed call; false when it was closed already. */
export async function closeMissed(
  tx: Sql | Tx,
  id: string,
  how: 'called_back' | 'dismissed',
  byStaff: string | null,
  reason: string | null,
  note: string | null,
): Promise<boolean> {
  const [r] = await tx`
    INSERT INTO call_missed_closed (call_id, how, by_staff, reason, note) VALUES (${id}, ${how}, ${byStaff}, ${reason}, ${note})
    ON CONFLICT (call_id) DO NOTHING RETURNING call_id`;
  return !!r;
}
