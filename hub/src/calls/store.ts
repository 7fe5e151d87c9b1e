// All SQL of emergency calls and their timeline, and the mapping to the views the consoles see.
// PostgreSQL arbitrates every race: the conditional updates below change a call only from the
// state the caller expects, and report whether they did.
import type { Sql, Tx } from '../db/client.ts';
import type { CallOutcome, CallView, TimelineEntry } from '@tram/contracts';

export interface CallRow {
  id: string;
  station_id: string;
  ward_id: number;
  status: 'ringing' | 'answered' | 'ended';
  escalation_level: number;
  room_name: string;
  note: string | null;
  created_at: Date;
  answered_at: Date | null;
  answered_by: string | null;
  ended_at: Date | null;
  end_reason: string | null;
  station_code: string;
  station_name: string;
  station_address: string;
  ward_name: string;
  city: string;
  /** The wards rung next (T1) for this call's ward. */
  neighbour_ids: number[];
  citizen_session_id: string | null;
  outcome: CallOutcome | null;
  report: string | null;
  disposed_at: Date | null;
  disposition_updated_at: Date | null;
  answerer_username: string | null;
  answerer_name: string | null;
}

/** The call view's columns, read from `calls` or from a CTE with its columns (`ins` below). */
function selectCalls(sql: Sql | Tx, from = sql`calls`) {
  return sql`
    SELECT c.id, c.station_id, c.ward_id, c.status, c.escalation_level, c.room_name, c.note, c.created_at,
           c.answered_at, c.answered_by, c.ended_at, c.end_reason, c.citizen_session_id,
           c.outcome, c.report, c.disposed_at, c.disposition_updated_at,
           s.code AS station_code, s.name AS station_name, s.address AS station_address,
           w.name AS ward_name, w.city,
           ARRAY(SELECT n.neighbour_id FROM ward_neighbours n WHERE n.ward_id = c.ward_id ORDER BY n.neighbour_id) AS neighbour_ids,
           a.username AS answerer_username, a.display_name AS answerer_name
    FROM ${from} c JOIN stations s ON s.id = c.station_id JOIN wards w ON w.id = c.ward_id
    LEFT JOIN staff a ON a.id = c.answered_by`;
}

export async function callById(sql: Sql | Tx, id: string): Promise<CallRow | undefined> {
  const [row] = await sql<CallRow[]>`${selectCalls(sql)} WHERE c.id = ${id}`;
  return row;
}

export async function callByRoom(sql: Sql | Tx, room: string): Promise<CallRow | undefined> {
  const [row] = await sql<CallRow[]>`${selectCalls(sql)} WHERE c.room_name = ${room}`;
  return row;
}

export async function callByKey(sql: Sql | Tx, stationId: string, key: string): Promise<CallRow | undefined> {
  const [row] = await sql<CallRow[]>`${selectCalls(sql)} WHERE c.station_id = ${stationId} AND c.idempotency_key = ${key}`;
  return row;
}

/** Live calls (ringing or answered), oldest first; only the station's when a station id is given. */
export async function liveCalls(sql: Sql, stationId?: string): Promise<CallRow[]> {
  return stationId
    ? sql<CallRow[]>`${selectCalls(sql)} WHERE c.station_id = ${stationId} AND c.status <> 'ended' ORDER BY c.created_at`
    : sql<CallRow[]>`${selectCalls(sql)} WHERE c.status <> 'ended' ORDER BY c.created_at`;
}

/** The station's open (ringing or answered) call: there is at most one (calls_one_open_per_station). */
export async function openCallOf(sql: Sql | Tx, stationId: string): Promise<CallRow | undefined> {
  const [row] = await sql<CallRow[]>`${selectCalls(sql)} WHERE c.station_id = ${stationId} AND c.status <> 'ended'`;
  return row;
}

/** The request digest stored with an idempotency key (null for calls from before it was kept). */
export async function requestHashOf(sql: Sql | Tx, id: string): Promise<Buffer | null> {
  const [row] = await sql<{ request_hash: Buffer | null }[]>`SELECT request_hash FROM calls WHERE id = ${id}`;
  return row?.request_hash ?? null;
}

/**
 * Inserts a ringing call with its escalation deadlines; null when the station already sent this
 * key or already has an open call (either unique index stops it, and nothing is written).
 */
/**
 * Stores a new call with its first two timeline rows ('raised', then 'rang' naming the ward's
 * officers) and returns its view, in one statement: one round trip, atomic without a transaction
 * of its own. Null when the key was used before or the station has an open call (ON CONFLICT).
 */
export async function insertRaisedCall(
  tx: Sql | Tx,
  c: {
    stationId: string;
    wardId: number;
    key: string;
    requestHash: Buffer;
    note: string | null;
    room: string;
    t1S: number;
    t2S: number;
    /** who raised it, for the timeline */
    actor: string;
    raised: Record<string, unknown>;
    wardName: string;
  },
): Promise<CallRow | null> {
  // The citizen session open at the station right now: the resident who may be the caller.
  const [row] = await tx<CallRow[]>`
    WITH ins AS (
      INSERT INTO calls (station_id, ward_id, idempotency_key, request_hash, note, status, room_name,
                         escalate_t1_at, escalate_t2_at, next_escalation_at, citizen_session_id)
      VALUES (${c.stationId}, ${c.wardId}, ${c.key}, ${c.requestHash}, ${c.note}, 'ringing', ${c.room},
              now() + make_interval(secs => ${c.t1S}), now() + make_interval(secs => ${c.t2S}), now() + make_interval(secs => ${c.t1S}),
              (SELECT id FROM citizen_sessions WHERE station_id = ${c.stationId} AND ended_at IS NULL))
      ON CONFLICT DO NOTHING
      RETURNING *
    ), events AS (
      INSERT INTO call_events (call_id, kind, actor, detail)
      SELECT ins.id, e.kind, e.actor, e.detail
      FROM ins CROSS JOIN (VALUES
        (1, 'raised', ${c.actor}::text, ${tx.json(c.raised as never)}::jsonb),
        (2, 'rang', 'hub', jsonb_build_object('scope', 'ward', 'ward', ${c.wardName}::text, 'officers',
          (SELECT coalesce(jsonb_agg(o.username ORDER BY o.username), '[]'::jsonb) FROM (
            SELECT DISTINCT st.username FROM staff st JOIN staff_wards sw ON sw.staff_id = st.id
            WHERE sw.ward_id = ${c.wardId} AND st.role = 'police' AND st.active) o)))
      ) AS e(n, kind, actor, detail)
      ORDER BY e.n
    )
    ${selectCalls(tx, tx`ins`)}`;
  return row ?? null;
}

/** Of concurrent answers, exactly one sees status = 'ringing' and gets true. */
export async function markAnswered(tx: Sql | Tx, id: string, officerId: string): Promise<boolean> {
  const [r] = await tx`
    UPDATE calls SET status = 'answered', answered_by = ${officerId}, answered_at = now(), next_escalation_at = NULL
    WHERE id = ${id} AND status = 'ringing' RETURNING id`;
  return !!r;
}

/** Ends a call that has not ended yet; false when it already had. */
export async function markEnded(tx: Sql | Tx, id: string, reason: string): Promise<boolean> {
  const [r] = await tx`
    UPDATE calls SET status = 'ended', ended_at = now(), end_reason = ${reason}, next_escalation_at = NULL
    WHERE id = ${id} AND status <> 'ended' RETURNING id`;
  return !!r;
}

/**
 * Takes one escalation step for each ringing call whose deadline passed. SKIP LOCKED lets every
 * hub instance run this at once: each due step is taken by exactly one of them.
 */
export async function escalateDueCalls(
  tx: Tx,
  batch: number,
  levelNeighbours: number,
): Promise<{ id: string; escalation_level: number }[]> {
  return tx<{ id: string; escalation_level: number }[]>`
    UPDATE calls c SET
      escalation_level = c.escalation_level + 1,
      next_escalation_at = CASE WHEN c.escalation_level + 1 = ${levelNeighbours} THEN c.escalate_t2_at END
    FROM (SELECT id FROM calls WHERE status = 'ringing' AND next_escalation_at <= now()
          ORDER BY next_escalation_at LIMIT ${batch} FOR UPDATE SKIP LOCKED) d
    WHERE c.id = d.id
    RETURNING c.id, c.escalation_level`;
}

/** Answered calls the media watch looks at: answered over `graceS` ago and not flagged yet, oldest first. */
export async function callsToWatch(sql: Sql, graceS: number, limit: number): Promise<{ id: string; room_name: string }[]> {
  return sql<{ id: string; room_name: string }[]>`
    SELECT id, room_name FROM calls
    WHERE status = 'answered' AND media_lost_at IS NULL AND answered_at < now() - make_interval(secs => ${graceS})
    ORDER BY answered_at LIMIT ${limit}`;
}

/** Flags an answered call's media as lost; of several hubs confirming it at once, exactly one gets true. */
export async function markMediaLost(tx: Tx, id: string): Promise<boolean> {
  const [r] = await tx`
    UPDATE calls SET media_lost_at = now() WHERE id = ${id} AND status = 'answered' AND media_lost_at IS NULL RETURNING id`;
  return !!r;
}

/** Clears the flag once a party is back in a room made anew; false when it was not set. */
export async function clearMediaLost(tx: Sql | Tx, id: string): Promise<boolean> {
  const [r] = await tx`UPDATE calls SET media_lost_at = NULL WHERE id = ${id} AND media_lost_at IS NOT NULL RETURNING id`;
  return !!r;
}

/**
 * Whether someone joined the call's room before `startedAt` and since the hub last made it (the
 * call began, or its last media_lost / media_rejoined): a room starting then was restarted under them.
 */
export async function joinedBeforeRestart(sql: Sql | Tx, callId: string, startedAt: Date): Promise<boolean> {
  const [r] = await sql<{ joined: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM call_events j
      WHERE j.call_id = ${callId} AND j.kind = 'media_joined' AND j.at < ${startedAt}
        AND j.id > coalesce((SELECT max(m.id) FROM call_events m
                             WHERE m.call_id = ${callId} AND m.kind IN ('media_lost', 'media_rejoined')), 0)) AS joined`;
  return r!.joined;
}

/** Usernames of the active police of these wards. */
export async function policeOf(tx: Sql | Tx, wardIds: number[]): Promise<string[]> {
  const rows = await tx<{ username: string }[]>`
    SELECT DISTINCT st.username FROM staff st JOIN staff_wards sw ON sw.staff_id = st.id
    WHERE sw.ward_id = ANY(${wardIds}::int[]) AND st.role = 'police' AND st.active ORDER BY st.username`;
  return rows.map((r) => r.username);
}

export function toView(r: CallRow): CallView {
  return {
    id: r.id,
    status: r.status,
    escalationLevel: r.escalation_level,
    station: {
      id: r.station_id,
      code: r.station_code,
      name: r.station_name,
      address: r.station_address,
      wardId: r.ward_id,
      ward: r.ward_name,
      city: r.city,
    },
    note: r.note,
    identified: r.citizen_session_id !== null,
    outcome: r.outcome,
    createdAt: r.created_at.toISOString(),
    answeredAt: r.answered_at?.toISOString() ?? null,
    answeredBy: r.answerer_username ? { username: r.answerer_username, displayName: r.answerer_name ?? r.answerer_username } : null,
    endedAt: r.ended_at?.toISOString() ?? null,
    endReason: r.end_reason,
  };
}

export async function insertCallEvent(
  tx: Sql | Tx,
  callId: string,
  kind: string,
  actor: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await tx`INSERT INTO call_events (call_id, kind, actor, detail) VALUES (${callId}, ${kind}, ${actor}, ${tx.json(detail as never)})`;
}

export async function timeline(sql: Sql, callId: string): Promise<TimelineEntry[]> {
  const rows = await sql<{ at: Date; kind: string; actor: string; detail: Record<string, unknown> }[]>`
    SELECT at, kind, actor, detail FROM call_events WHERE call_id = ${callId} ORDER BY id`;
  return rows.map((r) => ({ at: r.at.toISOString(), kind: r.kind, actor: r.actor, detail: r.detail }));
}
