// Fleet benchmark: N simulated station agents (default 5,000) heartbeat into one hub (its own
// process) every I seconds (default 15 s, the agent's default: real time, not compressed; pass
// --interval=S to compress) for D seconds. A heartbeat that changes nothing writes nothing (the hub
// compares digests in memory and touches last-seen in one batched statement per tick); a few
// heartbeats change a device's state (--change=0.005 of them) and so write a health row and a
// timeline row. Then K agents stop and the time from each one's last heartbeat to the admins'
// `station.alert` (offline) is measured, with the offline threshold T = --offline=S (default 2 I).
// Reported: heartbeats/s answered, the hub process's CPU (% of one core, from /proc), rows written
// per second (pg_stat_user_tables inserts+updates+deletes over the load phase), offline p99.
import { randomBytes, createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import type { Heartbeat } from '@tram/contracts';
import { heartbeat } from '@tram/testing/fleet/heartbeat.ts';
import { benchEnv } from './bench-env.ts';
import { cpuMs } from '../procs.ts';
import { percentile, round } from './stats.ts';
import { upsertWard } from '../../hub/src/stations/store.ts';
import { createStaff } from '../../hub/src/auth/service.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const N = arg('stations', 5000),
  INTERVAL_S = arg('interval', 15),
  SECONDS = arg('seconds', 60),
  CHANGE = arg('change', 0.005),
  STOPPED = Math.min(arg('stop', 200), N),
  OFFLINE_S = arg('offline', 2 * INTERVAL_S),
  TICK_MS = arg('tick', 1000);
const log = (m: string) => console.error(`[bench fleet] ${m}`);

const env = await benchEnv('fleet', 4);
const { sql } = env;
log(`seeding ${N} stations`);
const wardId = await upsertWard(sql, { code: 'BENCH-FLEET', name: 'Phường Bench', city: 'TP.HCM' });
const stations: { code: string; credential: string }[] = [];
for (let i = 0; i < N; i += 1000) {
  const chunk = Array.from({ length: Math.min(1000, N - i) }, (_, k) => {
    const code = `fleet-${i + k}`;
    const secret = randomBytes(24).toString('base64url');
    stations.push({ code, credential: `${code}:${secret}` });
    return { code, hash: createHash('sha256').update(secret).digest('hex') };
  });
  await sql`
    INSERT INTO stations (code, name, address, ward_id, credential_hash, enrolled_at)
    SELECT c, 'Trạm ' || c, 'Đường Bench', ${wardId}, decode(h, 'hex'), now()
    FROM unnest(${chunk.map((c) => c.code)}::text[], ${chunk.map((c) => c.hash)}::text[]) AS t(c, h)`;
}
await createStaff(sql, { username: 'bench.admin', displayName: 'Bench', role: 'admin', password: 'bench-password-0123' });

const hub = await env.spawnHub({
  FLEET_OFFLINE_S: String(OFFLINE_S),
  FLEET_TICK_MS: String(TICK_MS),
  RATE_LIMIT_BURST: '1000000',
  RATE_LIMIT_PER_S: '1000000',
});
const login = await fetch(`${env.hubUrl}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'bench.admin', password: 'bench-password-0123' }),
});
const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
const alerts = new Map<string, number>();
const alarmed = new Set<string>();
let stoppedAt = Number.POSITIVE_INFINITY;
const ws = new WebSocket(`${env.hubUrl.replace(/^http/, 'ws')}/ws`, { headers: { cookie } });
ws.on('message', (m) => {
  const e = JSON.parse(m.toString()) as { type: string; data: { code: string; kind: string; raised: boolean } };
  if (e.type === 'station.alert' && e.data.kind === 'offline' && e.data.raised) {
    alarmed.add(e.data.code);
    if (performance.now() >= stoppedAt && !alerts.has(e.data.code)) alerts.set(e.data.code, performance.now());
  }
});
await new Promise((r) => ws.once('message', r));

const cpu = () => cpuMs(hub.pid!) / 1000;
const rowsWritten = async () =>
  Number(
    (await sql<{ n: string }[]>`SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::text AS n FROM pg_stat_user_tables`)[0]!.n,
  );

const beat = (connected: boolean): Heartbeat =>
  heartbeat({
    uptimeS: Math.floor(performance.now() / 1000),
    devices: [{ id: 'thermo-1', kind: 'thermometer', state: connected ? 'connected' : 'disconnected' }],
  });
// Like agents behind one NAT would: a bounded pool of kept-alive connections to the hub.
const pool = new Agent({ keepAlive: true, maxSockets: 128 });
const hubUrl = new URL(env.hubUrl);
const post = (credential: string, body: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(
      {
        agent: pool,
        host: hubUrl.hostname,
        port: hubUrl.port,
        method: 'POST',
        path: '/api/station/heartbeat',
        headers: { authorization: `Station ${credential}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
const whyFailed = new Map<string, number>();
let answered = 0,
  failed = 0,
  changed = 0;
const lastBeat = new Map<string, number>();
const stopAt = new Set<string>();
let running = true;
const agents = stations.map(async (s, i) => {
  let connected = true;
  // spread the first beats over one interval, as agents started at different times
  await new Promise((r) => setTimeout(r, (i / N) * INTERVAL_S * 1000));
  while (running && !stopAt.has(s.code)) {
    if (Math.random() < CHANGE) {
      connected = !connected;
      changed++;
    }
    const t = performance.now();
    try {
      const status = await post(s.credential, JSON.stringify(beat(connected)));
      if (status === 204) answered++;
      else {
        failed++;
        whyFailed.set(`HTTP ${status}`, (whyFailed.get(`HTTP ${status}`) ?? 0) + 1);
      }
    } catch (e) {
      failed++;
      const why = (e as Error).message;
      whyFailed.set(why, (whyFailed.get(why) ?? 0) + 1);
    }
    lastBeat.set(s.code, t);
    await new Promise((r) => setTimeout(r, Math.max(0, INTERVAL_S * 1000 - (performance.now() - t))));
  }
});

log(`${N} agents heartbeating every ${INTERVAL_S} s for ${SECONDS} s (first ${INTERVAL_S} s are the ramp, not measured)`);
await new Promise((r) => setTimeout(r, INTERVAL_S * 1000));
const a0 = answered,
  c0 = cpu(),
  w0 = await rowsWritten(),
  t0 = performance.now();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const elapsed = (performance.now() - t0) / 1000;
const heartbeatsPerS = (answered - a0) / elapsed;
const hubCpuPct = ((cpu() - c0) / elapsed) * 100;
await new Promise((r) => setTimeout(r, 1500)); // pg statistics are flushed about every second
const dbWritesPerS = ((await rowsWritten()) - w0) / (elapsed + 1.5);
log(
  `load: ${round(heartbeatsPerS)} of ${round(N / INTERVAL_S)} offered heartbeats/s, hub CPU ${round(hubCpuPct)} % of a core, ${round(dbWritesPerS)} rows written/s, ${changed} state changes, ${failed} failed`,
);

// Offline detection: K agents stop; from each one's last heartbeat to the admins' alert.
const victims = stations.slice(0, STOPPED).map((s) => s.code);
for (const c of victims) stopAt.add(c);
stoppedAt = performance.now();
log(`${STOPPED} agents stopped; waiting for their offline alerts (T = ${OFFLINE_S} s)`);
const deadline = performance.now() + (OFFLINE_S + INTERVAL_S + 30) * 1000;
while (victims.some((c) => !alerts.has(c)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 200));
const detect = victims.filter((c) => alerts.has(c) && lastBeat.has(c)).map((c) => (alerts.get(c)! - lastBeat.get(c)!) / 1000);
const falseAlarms = [...alarmed].filter((c) => !victims.includes(c)).length;
if (whyFailed.size) log(`failures: ${JSON.stringify(Object.fromEntries(whyFailed))}`);
running = false;
ws.close();
await Promise.race([Promise.all(agents), new Promise((r) => setTimeout(r, INTERVAL_S * 1000 + 2000))]);
await env.stop();
log(
  `offline detected for ${detect.length}/${STOPPED} stopped agents; last heartbeat -> alert p50 ${round(percentile(detect, 50))} s, p99 ${round(percentile(detect, 99))} s (T = ${OFFLINE_S} s, tick ${TICK_MS} ms); ${falseAlarms} false alarms`,
);
console.log(
  JSON.stringify({
    bench: 'fleet',
    stations: N,
    heartbeats_per_s: round(heartbeatsPerS),
    hub_cpu_pct: round(hubCpuPct),
    db_writes_per_s: round(dbWritesPerS),
    offline_detect_p99_s: round(percentile(detect, 99)),
    interval_s: INTERVAL_S,
    offline_t_s: OFFLINE_S,
    measured_s: SECONDS,
    failed,
    false_alarms: falseAlarms,
  }),
);
