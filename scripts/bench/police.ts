// Police console benchmark: the service-level panel query (command's view: every ward and the
// whole city, shift and last 24 h, calls waiting now) over N seeded calls with full timelines
// (raised, rang, answered, two media joins, ended; some abandoned and called back), spread over
// the last `--days` days. Measured through the hub's own service function on the real PostgreSQL.
import { benchEnv } from './bench-env.ts';
import { percentile, round } from './stats.ts';
import { upsertWard } from '../../hub/src/stations/store.ts';
import { registerStation } from '../../hub/src/stations/service.ts';
import { serviceLevels } from '../../hub/src/calls/police.ts';
import type { HubDeps } from '../../hub/src/deps.ts';
import type { Staff } from '../../hub/src/auth/staff.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const CALLS = arg('calls', 100_000),
  WARDS = arg('wards', 50),
  STATIONS = arg('stations', 200),
  DAYS = arg('days', 7),
  RUNS = arg('runs', 20);
const log = (m: string) => console.error(`[bench police] ${m}`);

const env = await benchEnv('police');
const { sql } = env;
try {
  log(`seeding ${WARDS} wards, ${STATIONS} stations, ${CALLS} calls over ${DAYS} days`);
  const wardIds: number[] = [];
  for (let w = 0; w < WARDS; w++) wardIds.push(await upsertWard(sql, { code: `W${w}`, name: `Phường ${w}`, city: 'TP.HCM' }));
  for (let i = 0; i < STATIONS; i++)
    await registerStation(sql, {
      code: `st-${String(i).padStart(4, '0')}`,
      name: `Trạm ${i}`,
      address: `${i} Đường Bench`,
      wardId: wardIds[i % WARDS]!,
    });
  const t0 = performance.now();
  // 85 % answered after 3-40 s and talked 30-630 s; the rest abandoned after 25 s, half of them called back
  await sql`
    WITH st AS (SELECT id, ward_id, (row_number() OVER (ORDER BY code) - 1)::int AS i FROM stations),
         g AS (SELECT g, now() - random() * make_interval(days => ${DAYS}) AS t, random() AS r,
                      3 + random() * 37 AS ans, 30 + random() * 600 AS talk
               FROM generate_series(1, ${CALLS}) g)
    INSERT INTO calls (station_id, ward_id, idempotency_key, status, room_name, escalate_t1_at, escalate_t2_at,
                       created_at, answered_at, ended_at)
    SELECT st.id, st.ward_id, 'bench-' || g.g, 'ended', 'bench-room-' || g.g, g.t, g.t, g.t,
           CASE WHEN g.r < 0.85 THEN g.t + make_interval(secs => g.ans) END,
           g.t + make_interval(secs => CASE WHEN g.r < 0.85 THEN g.ans + g.talk ELSE 25 END)
    FROM g JOIN st ON st.i = g.g % ${STATIONS}`;
  await sql`
    INSERT INTO call_events (call_id, at, kind, actor, detail)
    SELECT id, created_at, 'raised', 'station:bench', '{}'::jsonb FROM calls
    UNION ALL SELECT id, created_at, 'rang', 'hub', '{"scope":"ward"}'::jsonb FROM calls
    UNION ALL SELECT id, created_at + interval '1 second', 'media_joined', 'livekit', '{}'::jsonb FROM calls
    UNION ALL SELECT id, answered_at, 'answered', 'staff:bench', '{}'::jsonb FROM calls WHERE answered_at IS NOT NULL
    UNION ALL SELECT id, answered_at + interval '1 second', 'media_joined', 'livekit', '{}'::jsonb FROM calls WHERE answered_at IS NOT NULL
    UNION ALL SELECT id, ended_at, 'ended', 'hub', '{}'::jsonb FROM calls
    UNION ALL SELECT id, ended_at + interval '5 minutes', 'callback', 'staff:bench', '{}'::jsonb FROM calls
      WHERE answered_at IS NULL AND random() < 0.5`;
  // A week of calls arrives over a week, not in one statement: by then autovacuum has set the
  // visibility map of the insert-only timeline (migration 019), which the panel's index-only scans
  // rely on. Measuring straight after the bulk insert would measure the seeding, not the panel.
  await sql`VACUUM ANALYZE`;
  const [{ events, day }] = (await sql<{ events: number; day: number }[]>`
    SELECT (SELECT count(*)::int FROM call_events) AS events,
           (SELECT count(*)::int FROM calls WHERE created_at >= now() - interval '24 hours') AS day`) as unknown as [
    { events: number; day: number },
  ];
  log(`seeded ${CALLS} calls, ${events} timeline events in ${Math.round(performance.now() - t0)} ms; ${day} in the last 24 h`);

  const d = { sql } as HubDeps;
  const command: Staff = {
    id: '00000000-0000-0000-0000-000000000000',
    username: 'bench',
    displayName: 'Bench',
    role: 'command',
    wardIds: [],
    neighbourOf: [],
  };
  const officer: Staff = { ...command, role: 'police', wardIds: [wardIds[0]!] };
  for (let i = 0; i < 3; i++) await serviceLevels(d, command); // warm the caches
  const cmd: number[] = [],
    ward: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    rows = (await serviceLevels(d, command)).rows.length;
    cmd.push(performance.now() - t);
    t = performance.now();
    await serviceLevels(d, officer);
    ward.push(performance.now() - t);
  }
  log(`command panel (${rows} rows): p50 ${round(percentile(cmd, 50))} ms, p95 ${round(percentile(cmd, 95))} ms`);
  log(`one ward's panel: p50 ${round(percentile(ward, 50))} ms, p95 ${round(percentile(ward, 95))} ms`);
  console.log(
    JSON.stringify({
      bench: 'police',
      calls: CALLS,
      sla_query_ms: round(percentile(cmd, 50)),
      sla_query_p95_ms: round(percentile(cmd, 95)),
      calls_last_24h: day,
      timeline_events: events,
      sla_ward_query_ms: round(percentile(ward, 50)),
    }),
  );
} finally {
  await env.stop();
}
