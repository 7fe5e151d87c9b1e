// SOS on the scaled-out system: two hub processes and two LiveKit nodes on Redis behind the
// balancer (scripts/cluster/), S stations and C police consoles spread over both hubs. Each call
// is raised through the front; what is timed is request → every console of the ward (on either
// hub) has the ringing event. The floor is measured in the same run (insert + CreateRoom + a
// WebSocket send), as in the single-hub `sos` benchmark.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { benchEnv } from './bench-env.ts';
import { seedBenchCity } from './bench-city.ts';
import { startFloor } from './floor.ts';
import { percentile, round } from './stats.ts';
import { freePort } from '../ports.ts';
import { startCluster } from '../cluster/cluster.ts';
import { startRedis } from '../../media/redis.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const STATIONS = arg('stations', 10_000),
  CONSOLES = arg('consoles', 1000),
  CALLS = arg('calls', 1000),
  WARDS = arg('wards', 100);
const log = (m: string) => console.error(`[bench sos-cluster] ${m}`);

const env = await benchEnv('sos_cluster');
log(`seeding ${WARDS} wards, ${STATIONS} stations, ${CONSOLES} officers`);
const city = await seedBenchCity(env.sql, { wards: WARDS, stations: STATIONS, officers: CONSOLES });

const work = mkdtempSync(join(tmpdir(), 'tram-bench-cluster-'));
const redis = await startRedis({ port: await freePort() });
const lk = async (): Promise<[number, number, number]> => [await freePort(), await freePort(), await freePort()];
const cluster = await startCluster({
  databaseUrl: env.dbUrl,
  port: await freePort(),
  hubPorts: [await freePort(), await freePort()],
  livekitPorts: [await lk(), await lk()],
  livekit: { key: env.stack.env.LIVEKIT_API_KEY!, secret: env.stack.env.LIVEKIT_API_SECRET! },
  redis: { address: redis.address },
  workDir: work,
  hubEnv: {
    ...process.env,
    LOG_LEVEL: 'warn',
    ESCALATE_T1_MS: '3600000',
    ESCALATE_T2_MS: '7200000',
    // every load generator connects from one loopback address, as in benchEnv's single hub
    WS_UPGRADE_BURST: '1000000',
  },
});
const hubs = cluster.hubs.map((h) => h.url);

const arrivals = new Map<string, number[]>();
const sockets: WebSocket[] = [];
const open = (url: string, headers: Record<string, string>, onMsg?: (m: string) => void) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { headers });
    ws.on('message', (m) => onMsg?.(m.toString()));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
log('connecting consoles (alternating hubs) and stations (alternating hubs)');
for (const [i, o] of city.officers.entries()) {
  sockets.push(
    await open(hubs[i % 2]!, { cookie: o.cookie }, (m) => {
      const t = performance.now();
      const e = JSON.parse(m);
      if (e.type !== 'call.ringing') return;
      const a = arrivals.get(e.data.call.id);
      if (a) a.push(t);
      else arrivals.set(e.data.call.id, [t]);
    }),
  );
}
for (let i = 0; i < city.stations.length; i += 200)
  sockets.push(
    ...(await Promise.all(
      city.stations.slice(i, i + 200).map((s, j) => open(hubs[(i + j) % 2]!, { authorization: `Station ${s.credential}` })),
    )),
  );
const perWard = new Map<number, number>();
for (const o of city.officers) perWard.set(o.wardId, (perWard.get(o.wardId) ?? 0) + 1);

async function sos(st: { credential: string; wardId: number }) {
  const t0 = performance.now();
  const r = await fetch(`${cluster.url}/api/calls`, {
    method: 'POST',
    headers: { authorization: `Station ${st.credential}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    body: '{"kind":"sos"}',
  });
  if (r.status !== 201) throw new Error(`SOS failed: ${r.status} ${await r.text()}`);
  const { call } = (await r.json()) as { call: { id: string } };
  const want = perWard.get(st.wardId) ?? 0;
  const deadline = performance.now() + 5000;
  while ((arrivals.get(call.id)?.length ?? 0) < want) {
    if (performance.now() > deadline) throw new Error(`call ${call.id}: ${arrivals.get(call.id)?.length ?? 0}/${want} consoles rang`);
    await new Promise((res) => setImmediate(res));
  }
  const ringMs = Math.max(...arrivals.get(call.id)!) - t0;
  // one open call per station: close it outside the timing, so a later press is a new call
  await env.sql`UPDATE calls SET status = 'ended', ended_at = now(), end_reason = 'resolved', next_escalation_at = NULL WHERE id = ${call.id}`;
  return ringMs;
}

const node = cluster.hubs[0]!.livekit;
const floor = await startFloor(env.sql, {
  apiUrl: node.apiUrl,
  publicUrl: node.wsUrl,
  apiKey: env.stack.env.LIVEKIT_API_KEY!,
  apiSecret: env.stack.env.LIVEKIT_API_SECRET!,
});
log('warming up');
for (let i = 0; i < 20; i++) {
  await sos(city.stations[(i * 7) % STATIONS]!);
  await floor.sample();
}
log(`raising ${CALLS} calls through the front`);
const ring: number[] = [],
  flo: number[] = [];
for (let i = 0; i < CALLS; i++) {
  ring.push(await sos(city.stations[(i * 13 + 1) % STATIONS]!));
  flo.push(await floor.sample());
}
const served = Object.fromEntries(cluster.balancer.served);

for (const ws of sockets) ws.terminate();
floor.close();
await cluster.stop();
await redis.stop();
await env.stop();
rmSync(work, { recursive: true, force: true });

const p99 = percentile(ring, 99),
  floorP99 = percentile(flo, 99);
log(
  `ring p50 ${round(percentile(ring, 50))} ms p99 ${round(p99)} ms; floor p99 ${round(floorP99)} ms; requests per hub ${JSON.stringify(served)}`,
);
console.log(
  JSON.stringify({
    bench: 'sos-cluster',
    hubs: 2,
    stations: STATIONS,
    consoles: CONSOLES,
    calls: CALLS,
    p50_ms: round(percentile(ring, 50)),
    p99_ms: round(p99),
    floor_p99_ms: round(floorP99),
    ratio: round(p99 / floorP99),
  }),
);
