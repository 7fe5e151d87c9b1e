// One kiosk must not be able to flood the police: one open emergency call per station (further
// presses join it), per-caller rate limits, and other stations' SOS ring as fast as ever while
// one station floods.
import { createMetrics } from '../src/metrics/metrics.ts';
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, listen, login, raiseSos, spawnHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { registerStation } from '../src/stations/service.ts';
import { stationById } from '../src/stations/store.ts';
import { raiseCall } from '../src/calls/service.ts';
import { loadConfig } from '../src/config.ts';
import { startBus } from '../src/db/bus.ts';
import { createMedia } from '../src/livekit/media.ts';
import { hubEnv } from './support/env.ts';
import { startFlood } from './support/sos-flood.ts';
import { percentile } from '../../scripts/bench/stats.ts';
import { pino } from 'pino';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof spawnHub>>;
let an: string;
const others: { id: string; credential: string }[] = [];

before(async () => {
  db = await freshDatabase();
  // Its own process, so the flood's client side does not share the hub's event loop.
  hub = await spawnHub(db.url);
  an = await login(hub.url, 'canbo.an', DEMO_PASSWORD);
  for (let i = 0; i < 10; i++)
    others.push(
      await registerStation(db.sql, { code: `tram-flood-${i}`, name: `Trạm ${i}`, address: `${i} Lê Lợi`, wardId: db.demo.wardId }),
    );
});
afterEach(async () => {
  await db.sql`UPDATE calls SET status = 'ended', ended_at = now(), next_escalation_at = NULL WHERE status <> 'ended'`;
  await new Promise((r) => setTimeout(r, 1100)); // let the station's rate bucket refill between tests
});
after(async () => {
  // a hub that died already sends no second 'exit': waiting for one hung the run for good
  if (hub && hub.child.exitCode === null) {
    hub.child.kill('SIGTERM');
    await new Promise((r) => hub.child.once('exit', r));
  }
  await db?.drop();
});

const openCalls = async (stationId: string) =>
  Number((await db.sql`SELECT count(*)::int AS n FROM calls WHERE station_id = ${stationId} AND status <> 'ended'`)[0]!.n);

test('a second press with a new key joins the open call and rings nobody again; after it ends, a new call', async () => {
  const police = await listen(hub.url, { cookie: an });
  try {
    const first = await raiseSos(hub.url, db.demo.station.credential, randomUUID());
    assert.equal(first.status, 201);
    const a = await first.json();
    assert.equal(a.joined, false);
    const again = await raiseSos(hub.url, db.demo.station.credential, randomUUID());
    assert.equal(again.status, 200);
    const b = await again.json();
    assert.equal(b.call.id, a.call.id, 'the open call');
    assert.equal(b.joined, true);
    assert.ok(b.media.token, 'the kiosk can join the open call');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(police.events.filter((e) => e.type === 'call.ringing').length, 1, 'rung once');
    assert.equal(await openCalls(db.demo.station.id), 1);

    const end = await fetch(`${hub.url}/api/calls/${a.call.id}/end`, {
      method: 'POST',
      headers: { authorization: `Station ${db.demo.station.credential}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(end.status, 200);
    const next = await raiseSos(hub.url, db.demo.station.credential, randomUUID());
    assert.equal(next.status, 201);
    assert.notEqual((await next.json()).call.id, a.call.id);
  } finally {
    police.close();
  }
});

test('PostgreSQL itself refuses a second open call for a station', async () => {
  await raiseSos(hub.url, db.demo.station.credential, randomUUID());
  await assert.rejects(
    db.sql`INSERT INTO calls (station_id, ward_id, idempotency_key, status, room_name, escalate_t1_at, escalate_t2_at)
           VALUES (${db.demo.station.id}, ${db.demo.wardId}, 'manual-insert', 'ringing', ${`sos-${randomUUID()}`}, now(), now())`,
    /calls_one_open_per_station/,
  );
});

test('reusing an Idempotency-Key with a different body is refused with 422 and changes nothing', async () => {
  const k = randomUUID();
  const a = await raiseSos(hub.url, db.demo.station.credential, k, { kind: 'sos', note: 'cháy' });
  assert.equal(a.status, 201);
  const same = await raiseSos(hub.url, db.demo.station.credential, k, { kind: 'sos', note: 'cháy' });
  assert.equal(same.status, 200, 'a true retry is answered with the call');
  const other = await raiseSos(hub.url, db.demo.station.credential, k, { kind: 'sos', note: 'trộm' });
  assert.equal(other.status, 422);
  assert.equal((await other.json()).error.code, 'idempotency_key_reused');
  const [row] = await db.sql`SELECT note FROM calls WHERE idempotency_key = ${k}`;
  assert.equal(row!.note, 'cháy');
});

const ms = (xs: number[]) => xs.map((l) => l.toFixed(0)).join(', ');

test('a flooding station gets 429 with Retry-After, and never delays the ring of other stations', async () => {
  const police = await listen(hub.url, { cookie: an });
  // One SOS from another station: the time until the police socket hears it ring. The call is
  // ended at once, so each station can ring again (one open call per station).
  const ring = async (credential: string) => {
    const t0 = performance.now();
    const r = await raiseSos(hub.url, credential, randomUUID());
    assert.equal(r.status, 201, 'a genuine SOS is accepted');
    const { call } = await r.json();
    const e = await police.next((e) => e.type === 'call.ringing' && e.data.call.id === call.id, 5000);
    await db.sql`UPDATE calls SET status = 'ended', ended_at = now(), next_escalation_at = NULL WHERE id = ${call.id}`;
    return e.at - t0;
  };
  const rings = async (n: number) => {
    const latencies: number[] = [];
    for (let i = 0; i < n; i++) {
      latencies.push(await ring(others[i % others.length]!.credential));
      await new Promise((r) => setTimeout(r, 50));
    }
    return latencies;
  };
  try {
    // The same rings without the flood, just before and just after it: whatever else loads the
    // machine then (other test runs on a shared CI box) weighs on the baseline as on the flood.
    const before = await rings(15);
    // The flooding kiosk is its own process (as it would be its own machine): its client work must
    // not delay this process's clock on the police socket. 8 workers in a loop, distinct keys.
    const t0 = performance.now();
    const flooder = startFlood(hub.url, db.demo.station.credential, { workers: 8, minEach: 10 });
    await new Promise((r) => setTimeout(r, 200));
    const flooded = await rings(30);
    const { statuses, retryAfter, total } = await flooder.stop();
    const perSecond = total / ((performance.now() - t0) / 1000);
    const after = await rings(15);
    const quiet = [...before, ...after];
    const [qMedian, qP90, fMedian, fP90] = [percentile(quiet, 50), percentile(quiet, 90), percentile(flooded, 50), percentile(flooded, 90)];
    console.log(
      `flood: ${total} requests (${perSecond.toFixed(0)}/s) ${JSON.stringify(statuses)}; others rang in ${ms(flooded)} ms ` +
        `(median ${fMedian.toFixed(0)}, p90 ${fP90.toFixed(0)}); without the flood ${ms(before)} | ${ms(after)} ms ` +
        `(median ${qMedian.toFixed(0)}, p90 ${qP90.toFixed(0)})`,
    );
    assert.ok(total >= 80, 'every worker kept pressing');
    assert.ok((statuses['429'] ?? 0) > 0, 'the flood is rate limited');
    assert.match(retryAfter ?? '', /^\d+$/);
    assert.equal(statuses['201'], 1, 'the first press made the call; every other press joined it or was refused');
    // Refusals are held a moment (http/rate-limit.ts): a kiosk pressing in a loop is slowed to a few
    // presses per connection per second. Without that, the 8 loops got 400-500 answers a second and
    // took the CPU the other stations' calls needed (their ring p99 went from tens to hundreds of ms).
    assert.ok(perSecond < 100, `the flood was slowed to under 100 answers a second (was ${perSecond.toFixed(0)}/s)`);
    // Under the flood the others ring about as fast as without it (medians 1.0-1.4x here, idle or
    // pinned to one core); a flood that doubled their time fails the first bound. Medians, as the
    // flood's first second (its burst allowance, ~25 presses served in full) slows a few rings to
    // 2-10x: that and a loaded machine's stray slow ring move a tail, not the middle. The second
    // bound catches a tail gone wrong whatever the baseline (the bound was 1 s at p99 before).
    const limit = 1.6 * qMedian + 2;
    assert.ok(
      fMedian <= limit,
      `under the flood the others' median ring ${fMedian.toFixed(0)} ms is within 1.6x the quiet ${qMedian.toFixed(0)} ms`,
    );
    assert.ok(fP90 < 300, `under the flood the others rang within 300 ms at p90 (was ${fP90.toFixed(0)} ms)`);
  } finally {
    police.close();
  }
  assert.equal(await openCalls(db.demo.station.id), 1, 'the flood made one call');
  const rung = police.events.filter((e) => e.type === 'call.ringing' && e.data.call.station.id === db.demo.station.id).length;
  assert.equal(rung, 1, 'police were rung once for the flooding station');
});

test("a station cannot pre-empt a doctor's escalation by sending the hub's key", async () => {
  const consultId = randomUUID();
  const r = await raiseSos(hub.url, db.demo.station.credential, `consult-${consultId}`);
  assert.equal(r.status, 201);
  const stationCall = (await r.json()).call.id;
  await db.sql`UPDATE calls SET status = 'ended', ended_at = now(), next_escalation_at = NULL WHERE id = ${stationCall}`;

  // The hub's own flow (consults/service.ts escalateConsult) raises with `consult-<id>`.
  const config = loadConfig(hubEnv(db.url));
  const bus = await startBus(db.url, () => {});
  try {
    const d = { config, sql: db.sql, bus, media: createMedia(config.livekit), log: pino({ level: 'silent' }), metrics: createMetrics() };
    const station = (await stationById(db.sql, db.demo.station.id))!;
    const escalated = await raiseCall(d, station, `consult-${consultId}`, 'Bác sĩ chuyển cấp cứu');
    assert.equal(escalated.created, true, 'a new emergency call, not the ended one the station made');
    assert.notEqual(escalated.call.id, stationCall);
    assert.equal(escalated.call.status, 'ringing');
  } finally {
    await bus.close();
  }
});
