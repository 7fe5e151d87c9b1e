// All SQL of station self-tests and the fleet's recurring schedule.
import type { Sql, Tx } from '../db/client.ts';
import type { SelfTestKioskReport, SelfTestStep, SelfTestStatus, SelfTestTrigger } from '@tram/contracts';

export interface SelfTestRow {
  id: string;
  station_id: string;
  trigger: SelfTestTrigger;
  requested_by: string | null;
  status: SelfTestStatus;
  room_name: string | null;
  steps: SelfTestStep[];
  kiosk: SelfTestKioskReport | null;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS = 'id, station_id, trigger, requested_by, status, room_name, steps, kiosk, created_at, finished_at';

/** A new run, unless the station already has one open (then null: one at a time). */
export async function insertSelfTest(
  tx: Sql | Tx,
  r: { stationId: string; trigger: SelfTestTrigger; requestedBy: string | null; timeoutS: number },
): Promise<SelfTestRow | null> {
  const [row] = await tx<SelfTestRow[]>`
    INSERT INTO station_self_tests (station_id, trigger, requested_by, deadline_at)
    VALUES (${r.stationId}, ${r.trigger}, ${r.requestedBy}, now() + make_interval(secs => ${r.timeoutS}))
    ON CONFLICT (station_id) WHERE status IN ('requested', 'running') DO NOTHING
    RETURNING ${tx.unsafe(COLUMNS)}`;
  return row ?? null;
}

/** Nightly: a run for every active, enrolled station without one open; the stations that got one. */
export async function insertNightlySelfTests(tx: Tx, timeoutS: number) {
  return tx<{ id: string; station_id: string; code: string }[]>`
    INSERT INTO station_self_tests (station_id, trigger, deadline_at)
    SELECT s.id, 'nightly', now() + make_interval(secs => ${timeoutS}) FROM stations s WHERE s.active AND s.enrolled_at IS NOT NULL
    ON CONFLICT (station_id) WHERE status IN ('requested', 'running') DO NOTHING
    RETURNING id, station_id, (SELECT code FROM stations WHERE id = station_id) AS code`;
}

/**
 * The station's test SOS: the one request that moves a run from requested to running (and gets
 * its room). A retry of the same SOS finds it running and gets the same room: false for `started`.
 */
export async function startSelfTest(tx: Sql | Tx, id: string, stationId: string, room: string) {
  const [started] = await tx<{ room_name: string }[]>`
    UPDATE station_self_tests SET status = 'running', sos_at = now(), room_name = ${room}
    WHERE id = ${id} AND station_id = ${stationId} AND status = 'requested' RETURNING room_name`;
  if (started) return { started: true, room: started.room_name };
  const [running] = await tx<{ room_name: string }[]>`
    SELECT room_name FROM station_self_tests WHERE id = ${id} AND station_id = ${stationId} AND status = 'running'`;
  return running ? { started: false, room: running.room_name } : null;
}

export async function appendStep(sql: Sql | Tx, id: string, step: SelfTestStep): Promise<boolean> {
  const r = await sql`
    UPDATE station_self_tests SET steps = steps || ${sql.json([step] as never)}::jsonb
    WHERE id = ${id} AND status = 'running' RETURNING id`;
  return r.length > 0;
}

/** The kiosk's report, kept once (a retry does not replace it). */
export async function writeKioskReport(sql: Sql | Tx, id: string, stationId: string, k: SelfTestKioskReport): Promise<boolean> {
  const r = await sql`
    UPDATE station_self_tests SET kiosk = COALESCE(kiosk, ${sql.json(k as never)})
    WHERE id = ${id} AND station_id = ${stationId} AND status IN ('requested', 'running') RETURNING id`;
  return r.length > 0;
}

export async function kioskReportOf(sql: Sql | Tx, id: string): Promise<SelfTestKioskReport | null> {
  const [row] = await sql<{ kiosk: SelfTestKioskReport | null }[]>`SELECT kiosk FROM station_self_tests WHERE id = ${id}`;
  return row?.kiosk ?? null;
}

/**
 * Ends an open run; null when it had already ended (the deadline sweep or another instance won).
 * It passed only if all `required` steps were recorded and none failed.
 */
export async function finishSelfTest(tx: Tx, id: string, extra: SelfTestStep[], required: number): Promise<SelfTestRow | null> {
  const [row] = await tx<SelfTestRow[]>`
    UPDATE station_self_tests SET steps = steps || ${tx.json(extra as never)}::jsonb, finished_at = now(),
      status = CASE WHEN jsonb_path_exists(steps || ${tx.json(extra as never)}::jsonb, '$[*] ? (@.ok == false)')
                      OR jsonb_array_length(steps || ${tx.json(extra as never)}::jsonb) < ${required} THEN 'failed' ELSE 'passed' END
    WHERE id = ${id} AND status IN ('requested', 'running')
    RETURNING ${tx.unsafe(COLUMNS)}`;
  return row ?? null;
}

/** Open runs past their deadline, locked for this transaction (other hubs skip them). */
export async function takeOverdue(tx: Tx, limit = 50): Promise<SelfTestRow[]> {
  return tx<SelfTestRow[]>`
    SELECT ${tx.unsafe(COLUMNS)} FROM station_self_tests
    WHERE status IN ('requested', 'running') AND deadline_at <= now()
    ORDER BY deadline_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
}

export async function selfTestsOf(sql: Sql | Tx, stationId: string, limit = 10): Promise<SelfTestRow[]> {
  return sql<SelfTestRow[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM station_self_tests WHERE station_id = ${stationId} ORDER BY created_at DESC LIMIT ${limit}`;
}

// ---- the recurring schedule --------------------------------------------------------------------

/** The next time it is `at` (HH:MM) in `tz`, strictly after now. */
const nextAt = (sql: Sql | Tx, at: string, tz: string) => sql`
  (SELECT CASE WHEN x > now() THEN x ELSE x + interval '1 day' END
   FROM (SELECT (date_trunc('day', now() AT TIME ZONE ${tz}) + ${at}::time) AT TIME ZONE ${tz} AS x) t)`;

/** Registers the schedule; a changed time or zone moves it, an unchanged one keeps its due time (a restart does not skip a due run). */
export async function upsertSchedule(sql: Sql | Tx, name: string, at: string, tz: string): Promise<Date> {
  const [row] = await sql<{ next_run_at: Date }[]>`
    INSERT INTO fleet_schedules (name, at_time, tz, next_run_at) VALUES (${name}, ${at}, ${tz}, ${nextAt(sql, at, tz)})
    ON CONFLICT (name) DO UPDATE SET at_time = EXCLUDED.at_time, tz = EXCLUDED.tz,
      next_run_at = CASE WHEN fleet_schedules.at_time = EXCLUDED.at_time AND fleet_schedules.tz = EXCLUDED.tz
                         THEN fleet_schedules.next_run_at ELSE EXCLUDED.next_run_at END
    RETURNING next_run_at`;
  return row!.next_run_at;
}

/** Takes the schedule if it is due (one hub wins; the others skip the locked row) and moves it to its next time. */
export async function takeDueSchedule(tx: Tx, name: string): Promise<boolean> {
  const rows = await tx`
    UPDATE fleet_schedules f SET next_run_at = CASE
        WHEN t.x > now() THEN t.x ELSE t.x + interval '1 day' END
    FROM (SELECT name, (date_trunc('day', now() AT TIME ZONE tz) + at_time::time) AT TIME ZONE tz AS x
          FROM fleet_schedules WHERE name = ${name} AND next_run_at <= now() FOR UPDATE SKIP LOCKED) t
    WHERE f.name = t.name RETURNING f.name`;
  return rows.length > 0;
}
