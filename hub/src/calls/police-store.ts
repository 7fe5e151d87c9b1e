// All SQL of the police console's views of calls: the caller card, the officer's disposition,
// service levels (from the call_service_facts view, migration 011) and the call history.
import type { Sql, Tx } from '../db/client.ts';
import type { CallOutcome, CallStatus, ServiceFigures } from '@tram/contracts';
import type { SessionChecks } from '../identity/store.ts';

export interface StationPlaceRow {
  building: string | null;
  lobby: string | null;
  online_since: Date | null;
}

export async function stationPlace(sql: Sql | Tx, stationId: string): Promise<StationPlaceRow | undefined> {
  const [r] = await sql<StationPlaceRow[]>`SELECT building, lobby, online_since FROM stations WHERE id = ${stationId}`;
  return r;
}

/** The resident of the citizen session recorded on a call, with the checks their card passed. */
export async function sessionCitizen(
  sql: Sql | Tx,
  sessionId: string,
): Promise<
  { citizen_id: string; full_name: string | null; date_of_birth: string | null; sex: string | null; checks: SessionChecks } | undefined
> {
  const [r] = await sql<
    { citizen_id: string; full_name: string | null; date_of_birth: string | null; sex: string | null; checks: SessionChecks }[]
  >`
    SELECT s.citizen_id, c.full_name, c.date_of_birth, c.sex, s.checks
    FROM citizen_sessions s JOIN citizens c ON c.id = s.citizen_id WHERE s.id = ${sessionId}`;
  return r;
}

export interface EarlierCallRow {
  id: string;
  created_at: Date;
  status: CallStatus;
  outcome: CallOutcome | null;
  end_reason: string | null;
}

/** Calls from the station before this one: how many, and the latest few. */
export async function earlierCalls(
  sql: Sql | Tx,
  stationId: string,
  before: Date,
  limit = 5,
): Promise<{ count: number; recent: EarlierCallRow[] }> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM calls WHERE station_id = ${stationId} AND created_at < ${before}`;
  const recent = await sql<EarlierCallRow[]>`
    SELECT id, created_at, status, outcome, end_reason FROM calls
    WHERE station_id = ${stationId} AND created_at < ${before} ORDER BY created_at DESC LIMIT ${limit}`;
  return { count: row?.n ?? 0, recent };
}

/**
 * Saves the answering officer's disposition of an ended call, or edits it within `editHours` of
 * the first save. One conditional UPDATE decides; the previous values come back for the audit.
 * Null when nothing was changed (the caller finds out why).
 */
export async function writeDisposition(
  tx: Tx,
  callId: string,
  officerId: string,
  d: { outcome: CallOutcome; report: string },
  editHours: number,
): Promise<{ first: boolean; old_outcome: CallOutcome | null; old_report: string | null } | null> {
  const [r] = await tx<{ first: boolean; old_outcome: CallOutcome | null; old_report: string | null }[]>`
    UPDATE calls c SET outcome = ${d.outcome}, report = ${d.report},
      disposed_at = coalesce(c.disposed_at, now()), disposition_updated_at = now()
    FROM (SELECT id, outcome, report, disposed_at FROM calls WHERE id = ${callId} FOR UPDATE) old
    WHERE c.id = old.id AND c.answered_by = ${officerId} AND c.status = 'ended'
      AND (c.disposed_at IS NULL OR c.disposed_at > now() - make_interval(hours => ${editHours}))
    RETURNING old.disposed_at IS NULL AS first, old.outcome AS old_outcome, old.report AS old_report`;
  return r ?? null;
}

const AGGREGATES = ['calls', 'answered', 'within15s', 'within20s', 'abandoned', 'called_back', 'avg_talk_s'] as const;
type FiguresRow = { ward_id: number | null; total: boolean } & Record<`${'s' | 'd'}_${(typeof AGGREGATES)[number]}`, number | null>;

const figures = (r: FiguresRow, w: 's' | 'd'): ServiceFigures => {
  const n = (k: (typeof AGGREGATES)[number]) => Number(r[`${w}_${k}`] ?? 0);
  const calls = n('calls');
  const talk = r[`${w}_avg_talk_s`];
  return {
    calls,
    answered: n('answered'),
    within15s: n('within15s'),
    within20s: n('within20s'),
    pct15: calls ? Math.round((1000 * n('within15s')) / calls) / 10 : null,
    pct20: calls ? Math.round((1000 * n('within20s')) / calls) / 10 : null,
    abandoned: n('abandoned'),
    calledBack: n('called_back'),
    avgTalkS: talk === null ? null : Math.round(talk * 10) / 10,
  };
};

/**
 * Answer-time figures of the calls raised since `shift` and since `day` (one pass over the longer
 * window), per ward (only `wardIds`, or every ward when null) and, with `total`, over all of them.
 * Everything comes from call_service_facts.
 */
export async function serviceFigures(
  sql: Sql | Tx,
  windows: { shift: Date; day: Date },
  wardIds: number[] | null,
  total: boolean,
): Promise<{ wardId: number | null; shift: ServiceFigures; day: ServiceFigures }[]> {
  const since = new Date(Math.min(windows.shift.getTime(), windows.day.getTime()));
  const agg = (w: 's' | 'd', from: Date) => sql`
    count(*) FILTER (WHERE f.created_at >= ${from})::int AS ${sql(`${w}_calls`)},
    count(f.answered_at) FILTER (WHERE f.created_at >= ${from})::int AS ${sql(`${w}_answered`)},
    count(*) FILTER (WHERE f.created_at >= ${from} AND f.answer_s <= 15)::int AS ${sql(`${w}_within15s`)},
    count(*) FILTER (WHERE f.created_at >= ${from} AND f.answer_s <= 20)::int AS ${sql(`${w}_within20s`)},
    count(*) FILTER (WHERE f.created_at >= ${from} AND f.abandoned)::int AS ${sql(`${w}_abandoned`)},
    count(*) FILTER (WHERE f.created_at >= ${from} AND f.abandoned AND f.called_back)::int AS ${sql(`${w}_called_back`)},
    (avg(f.talk_s) FILTER (WHERE f.created_at >= ${from}))::float8 AS ${sql(`${w}_avg_talk_s`)}`;
  const rows = await sql<FiguresRow[]>`
    SELECT f.ward_id, grouping(f.ward_id) = 1 AS total, ${agg('s', windows.shift)}, ${agg('d', windows.day)}
    FROM call_service_facts f
    WHERE f.created_at >= ${since} ${wardIds ? sql`AND f.ward_id = ANY(${wardIds}::int[])` : sql``}
    GROUP BY ${total ? sql`GROUPING SETS ((f.ward_id), ())` : sql`f.ward_id`}`;
  return rows.map((r) => ({ wardId: r.total ? null : r.ward_id, shift: figures(r, 's'), day: figures(r, 'd') }));
}

export async function wardNames(sql: Sql | Tx, wardIds: number[] | null): Promise<{ id: number; name: string }[]> {
  return wardIds
    ? sql<{ id: number; name: string }[]>`SELECT id, name FROM wards WHERE id = ANY(${wardIds}::int[]) ORDER BY name`
    : sql<{ id: number; name: string }[]>`SELECT id, name FROM wards ORDER BY name`;
}

export async function ringingCalls(
  sql: Sql | Tx,
  wardIds: number[] | null,
): Promise<{ id: string; ward_id: number; station_name: string; created_at: Date }[]> {
  return sql<{ id: string; ward_id: number; station_name: string; created_at: Date }[]>`
    SELECT c.id, c.ward_id, s.name AS station_name, c.created_at FROM calls c JOIN stations s ON s.id = c.station_id
    WHERE c.status = 'ringing' ${wardIds ? sql`AND c.ward_id = ANY(${wardIds}::int[])` : sql``} ORDER BY c.created_at`;
}

export interface HistoryDbRow {
  id: string;
  created_at: Date;
  ward_name: string;
  station_code: string;
  station_name: string;
  status: CallStatus;
  escalation_level: number;
  answerer: string | null;
  answer_s: number | null;
  talk_s: number | null;
  outcome: CallOutcome | null;
  end_reason: string | null;
}

/** Calls matching the search, newest first; police see their wards' calls and the calls they answered. */
export async function searchCalls(
  sql: Sql | Tx,
  q: { wardId?: number; station?: string; from?: string; to?: string; outcome?: CallOutcome; officer?: string },
  scope: { wardIds: number[]; officerId: string } | null,
  limit: number,
): Promise<HistoryDbRow[]> {
  const where = [
    q.wardId !== undefined ? sql`c.ward_id = ${q.wardId}` : null,
    q.station ? sql`s.code = ${q.station}` : null,
    q.from ? sql`c.created_at >= ${q.from}` : null,
    q.to ? sql`c.created_at < ${q.to}` : null,
    q.outcome ? sql`c.outcome = ${q.outcome}` : null,
    q.officer ? sql`a.username = ${q.officer}` : null,
    scope ? sql`(c.ward_id = ANY(${scope.wardIds}::int[]) OR c.answered_by = ${scope.officerId})` : null,
  ].filter((x) => x !== null);
  const cond = where.reduce((acc, w) => sql`${acc} AND ${w}`, sql`true`);
  return sql<HistoryDbRow[]>`
    SELECT c.id, c.created_at, w.name AS ward_name, s.code AS station_code, s.name AS station_name, c.status,
           c.escalation_level, a.display_name AS answerer, f.answer_s::float8 AS answer_s, f.talk_s::float8 AS talk_s,
           c.outcome, c.end_reason
    FROM calls c JOIN stations s ON s.id = c.station_id JOIN wards w ON w.id = c.ward_id
    LEFT JOIN staff a ON a.id = c.answered_by
    JOIN call_service_facts f ON f.id = c.id
    WHERE ${cond}
    ORDER BY c.created_at DESC LIMIT ${limit}`;
}
