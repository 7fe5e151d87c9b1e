// PostgreSQL ends one of the hub's connections in the middle of a transaction (a backend
// terminated, as a restart, a failover or an administrator does): that request gets a plain error,
// the hub stays up and the station's next request is served. postgres.js 3.4.9 wrote its own
// ROLLBACK to the closed socket from a timer and took the whole process down
// (scripts/patch-deps.mjs); this is the hub as its own process, so such a crash is its exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, postHeartbeat, spawnHub } from './support/env.ts';

test('a database connection ended mid-transaction: that request gets a plain 500, the hub stays up and serves the retry', async (t) => {
  const db = await freshDatabase();
  const hub = await spawnHub(db.url);
  t.after(async () => {
    hub.child.kill('SIGKILL');
    await db.drop();
  });
  let exited: string | null = null;
  hub.child.on('exit', (code, signal) => (exited ??= `code ${code}, signal ${signal}`));
  const stationId = db.demo.station.id;
  const beat = () => postHeartbeat(hub.url, db.demo.station.credential);

  // Hold the station's row, so the hub's first-heartbeat transaction waits inside itself for it.
  const holder = await db.sql.reserve();
  await holder`BEGIN`;
  await holder`SELECT 1 FROM stations WHERE id = ${stationId} FOR UPDATE`;
  const answer = beat();
  let pid: number | undefined;
  for (const t0 = Date.now(); !pid; await new Promise((r) => setTimeout(r, 50))) {
    const [w] = await db.sql<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'tram-hub' AND wait_event_type = 'Lock'`;
    pid = w?.pid;
    if (!pid && Date.now() - t0 > 10_000) assert.fail("the hub's heartbeat never waited for the station's row");
  }
  const [killed] = await db.sql`SELECT pg_terminate_backend(${pid}) AS ok`;
  assert.equal(killed!.ok, true);
  await holder`ROLLBACK`;
  holder.release();

  const r = await answer;
  assert.equal(r.status, 500);
  const text = await r.text();
  assert.equal(JSON.parse(text).error.code, 'internal');
  assert.doesNotMatch(text, /at .*\.(js|ts):\d+/, 'no stack trace to the client');

  // Past the timer the crash came from, the hub is still there and the station's retry is served.
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(exited, null, `the hub exited (${exited})`);
  assert.equal((await fetch(`${hub.url}/healthz`)).status, 200);
  assert.equal((await beat()).status, 204, 'the retried heartbeat is taken');
  const kinds = await db.sql`SELECT kind FROM station_events WHERE station_id = ${stationId}`;
  assert.deepEqual(
    kinds.map((k) => k.kind),
    ['first_heartbeat'],
    'the failed heartbeat wrote nothing; the retry wrote it once',
  );
});
