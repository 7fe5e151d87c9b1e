// All SQL of doctor consults, their timeline and clinician presence. The conditional updates
// change a consult only from the state the caller expects, so PostgreSQL picks one winner.
import type { Sql, Tx } from '../db/client.ts';
import type { ConsultStatus, ConsultSummary } from '@tram/contracts';

export interface SavedVisitNote {
  reason: string;
  findings: string;
  advice: string;
  referral: ConsultSummary['referral'];
}

/** Consoles re-assert presence every minute; a silent one stops counting after this. */
export const PRESENCE_FRESH_S = 180;

export interface ConsultRow {
  id: string;
  station_id: string;
  session_id: string;
  citizen_id: string;
  reason: string;
  note: string | null;
  urgency: number;
  status: ConsultStatus;
  room_name: string;
  clinician_id: string | null;
  created_at: Date;
  accepted_at: Date | null;
  ended_at: Date | null;
  end_reason: string | null;
  summary: ConsultSummary | null;
  /** The clinician's last saved visit note (editable while in the call). */
  visit_note: SavedVisitNote | null;
  note_saved_at: Date | null;
  clinician_username: string | null;
  clinician_name: string | null;
  station_name: string;
  station_code: string;
}

function selectConsults(sql: Sql | Tx) {
  return sql`
    SELECT c.*, st.username AS clinician_username, st.display_name AS clinician_name, s.name AS station_name, s.code AS station_code
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

export async function consultByKey(sql: Sql | Tx, stationId: string, key: string): Promise<ConsultRow | undefined> {
  const [r] = await sql<ConsultRow[]>`${selectConsults(sql)} WHERE c.station_id = ${stationId} AND c.idempotency_key = ${key}`;
  return r;
}

/** The most recent consult of a citizen session at the station, whatever its state. */
export async function latestConsultOfSession(sql: Sql, stationId: string, sessionId: string): Promise<ConsultRow | undefined> {
  const [r] = await sql<ConsultRow[]>`
    ${selectConsults(sql)} WHERE c.station_id = ${stationId} AND c.session_id = ${sessionId} ORDER BY c.created_at DESC LIMIT 1`;
  return r;
}

/** Waiting or in a call: most urgent first, then longest waiting. */
export async function liveConsults(sql: Sql): Promise<ConsultRow[]> {
  return sql<ConsultRow[]>`${selectConsults(sql)} WHERE c.status IN ('waiting', 'in_call') ORDER BY c.urgency DESC, c.created_at`;
}

/** Every waiting consult, and this one whatever its state. */
export async function waitingConsultsAnd(tx: Sql | Tx, id: string): Promise<ConsultRow[]> {
  return tx<ConsultRow[]>`${selectConsults(tx)} WHERE c.status = 'waiting' OR c.id = ${id}`;
}

export async function liveConsultIdOfStation(tx: Sql | Tx, stationId: string): Promise<string | null> {
  const [r] = await tx<{ id: string }[]>`SELECT id FROM consults WHERE station_id = ${stationId} AND status IN ('waiting', 'in_call')`;
  return r?.id ?? null;
}

export async function liveConsultIdsOfSession(sql: Sql, sessionId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`SELECT id FROM consults WHERE session_id = ${sessionId} AND status IN ('waiting', 'in_call')`;
  return rows.map((r) => r.id);
}

/** Inserts a waiting consult; null when the station already sent this key. */
export async function insertConsult(
  tx: Sql | Tx,
  c: {
    stationId: string;
    sessionId: string;
    citizenId: string;
    key: string;
    reason: string;
    note: string | null;
    urgency: number;
    room: string;
  },
): Promise<string | null> {
  const [r] = await tx<{ id: string }[]>`
    INSERT INTO consults (station_id, session_id, citizen_id, idempotency_key, reason, note, urgency, status, room_name)
    VALUES (${c.stationId}, ${c.sessionId}, ${c.citizenId}, ${c.key}, ${c.reason}, ${c.note}, ${c.urgency}, 'waiting', ${c.room})
    ON CONFLICT (station_id, idempotency_key) DO NOTHING RETURNING id`;
  return r?.id ?? null;
}

/** Of concurrent accepts, exactly one sees 'waiting' and gets true. */
export async function markAccepted(tx: Sql | Tx, id: string, clinicianId: string): Promise<boolean> {
  const [r] = await tx`
    UPDATE consults SET status = 'in_call', clinician_id = ${clinicianId}, accepted_at = now()
    WHERE id = ${id} AND status = 'waiting' RETURNING id`;
  return !!r;
}

/** Ends a waiting or live consult (only one in `only`, when given); false when it had already ended. */
export async function markFinished(
  tx: Sql | Tx,
  id: string,
  status: 'cancelled' | 'abandoned' | 'completed',
  reason: string,
  extra: { summary?: ConsultSummary; only?: 'waiting' | 'in_call' } = {},
): Promise<boolean> {
  const [r] = await tx`
    UPDATE consults SET status = ${status}, ended_at = now(), end_reason = ${reason}, summary = ${extra.summary ? tx.json(extra.summary as never) : null}
    WHERE id = ${id} AND status IN ('waiting', 'in_call') ${extra.only ? tx`AND status = ${extra.only}` : tx``} RETURNING id`;
  return !!r;
}

/** Saves (or replaces) the visit note of a consult still in its call; null once it has ended. */
export async function saveVisitNote(tx: Sql | Tx, id: string, note: SavedVisitNote): Promise<Date | null> {
  const [r] = await tx<{ note_saved_at: Date }[]>`
    UPDATE consults SET visit_note = ${tx.json(note as never)}, note_saved_at = now()
    WHERE id = ${id} AND status = 'in_call' RETURNING note_saved_at`;
  return r?.note_saved_at ?? null;
}

/**
 * Completes a consult in its call from its saved note (the kiosk's summary is that note's advice
 * and referral); null when it has ended or has no saved note. Reading the note in the same UPDATE
 * means a save racing the end either lands before it or is refused.
 */
export async function markCompletedFromNote(tx: Sql | Tx, id: string, reason: string): Promise<SavedVisitNote | null> {
  const [r] = await tx<{ visit_note: SavedVisitNote }[]>`
    UPDATE consults SET status = 'completed', ended_at = now(), end_reason = ${reason},
      summary = jsonb_build_object('advice', visit_note->'advice', 'referral', visit_note->'referral')
    WHERE id = ${id} AND status = 'in_call' AND visit_note IS NOT NULL RETURNING visit_note`;
  return r?.visit_note ?? null;
}

export async function insertConsultEvent(
  tx: Sql | Tx,
  consultId: string,
  kind: string,
  actor: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await tx`INSERT INTO consult_events (consult_id, kind, actor, detail) VALUES (${consultId}, ${kind}, ${actor}, ${tx.json(detail as never)})`;
}

export async function upsertPresence(tx: Sql | Tx, staffId: string, available: boolean): Promise<void> {
  await tx`INSERT INTO clinician_presence (staff_id, available) VALUES (${staffId}, ${available})
           ON CONFLICT (staff_id) DO UPDATE SET available = EXCLUDED.available, updated_at = now()`;
}

export async function availableClinicians(sql: Sql | Tx): Promise<number> {
  const [r] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM clinician_presence WHERE available AND updated_at > now() - make_interval(secs => ${PRESENCE_FRESH_S})`;
  return r!.n;
}

export async function ownPresence(sql: Sql | Tx, staffId: string): Promise<boolean> {
  const [r] = await sql<{ on: boolean }[]>`
    SELECT available AND updated_at > now() - make_interval(secs => ${PRESENCE_FRESH_S}) AS on FROM clinician_presence WHERE staff_id = ${staffId}`;
  return r?.on ?? false;
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

/** What a wait estimate needs: clinicians available now, and the average length of recent consults. */
export async function waitStats(sql: Sql | Tx): Promise<{ available: number; avgMin: number | null }> {
  const [r] = await sql<{ available: number; avg_min: number | null }[]>`
    SELECT (SELECT count(*)::int FROM clinician_presence WHERE available AND updated_at > now() - make_interval(secs => ${PRESENCE_FRESH_S})) AS available,
           (SELECT avg(extract(epoch FROM ended_at - accepted_at) / 60)::float8 FROM (
              SELECT ended_at, accepted_at FROM consults WHERE status = 'completed' AND accepted_at IS NOT NULL ORDER BY ended_at DESC LIMIT 50) x) AS avg_min`;
  return { available: r?.available ?? 0, avgMin: r?.avg_min ?? null };
}
