// SOS burst: a city-wide event. S stations press SOS within the same 100 ms, each sending its
// request 3 times at once (as an agent that retries on a slow answer would, with one idempotency
// key), to a hub (its own process) with the real LiveKit server and PostgreSQL. Measures request →
// every console of the station's ward has the ringing event (the consoles in a process of their own,
// scripts/bench/ring-listener.ts), and counts calls: exactly one per
// station, none lost. Then the same burst, in the same run, at a bare server (burst-floor.ts): what
// this machine allows at all. Both report the CPU the server, this process and the machine used.
import { randomUUID } from 'node:crypto';
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnv } from './bench-env.ts';
import { seedBenchCity } from './bench-city.ts';
import { cpuMeter } from '../procs.ts';
import { percentile, round } from './stats.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const STATIONS = arg('stations', 200),
  CONSOLES = arg('consoles', 100),
  WARDS = arg('wards', 50),
  COPIES = arg('copies', 3),
  WINDOW_MS = arg('window', 100);
const log = (m: string) => console.error(`[bench sos-burst] ${m}`);

const env = await benchEnv('sos_burst');
log(`seeding ${WARDS} wards, ${STATIONS} stations, ${CONSOLES} officers`);
const city = await seedBenchCity(env.sql, { wards: WARDS, stations: STATIONS, officers: CONSOLES });
const hub = await env.spawnHub(
  { ESCALATE_T1_MS: '3600000', ESCALATE_T2_MS: '7200000' },
  process.env.BENCH_HUB_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HUB_PROF}`] : [],
);

const here = dirname(fileURLToPath(import.meta.url));
const now = () => performance.timeOrigin + performance.now();
const perWard = new Map<number, number>();
for (const o of city.officers) perWard.set(o.wardId, (perWard.get(o.wardId) ?? 0) + 1);

/** The burst against one server: request → every console of the ward rang, per station. */
async function burst(baseUrl: string, serverPid: number, consoles: { url: string; cookie?: string }[]) {
  // the consoles in a process of their own
  const listener = fork(join(here, 'ring-listener.ts'), [], { execArgv: ['--import', 'tsx'] });
  const ready = new Promise((res) => listener.once('message', res));
  listener.send({ consoles });
  await ready;
  async function press(st: { credential: string; wardId: number }, delayMs: number) {
    await new Promise((r) => setTimeout(r, delayMs));
    const key = randomUUID();
    const t0 = now();
    const answers = await Promise.all(
      Array.from({ length: COPIES }, async () => {
        // the agent retries until the hub answers: a 429 or 503 is tried again
        for (let attempt = 0; attempt < 50; attempt++) {
          const r = await fetch(`${baseUrl}/api/calls`, {
            method: 'POST',
            headers: { authorization: `Station ${st.credential}`, 'idempotency-key': key, 'content-type': 'application/json' },
            body: '{"kind":"sos"}',
          });
          if (r.status === 200 || r.status === 201) return ((await r.json()) as { call: { id: string } }).call.id;
          await r.body?.cancel();
          await new Promise((res) => setTimeout(res, 50 + attempt * 50));
        }
        return undefined;
      }),
    );
    const ids = new Set(answers.filter((x): x is string => !!x));
    return { id: [...ids][0], t0, want: perWard.get(st.wardId) ?? 0 };
  }
  const t0 = now();
  const meter = cpuMeter({ server: serverPid });
  const pressed = await Promise.all(city.stations.map((s) => press(s, Math.random() * WINDOW_MS)));
  // CPU spent while the burst was answered: where the time went on a machine all of it shares
  const cpu = { wall: Math.round(now() - t0), ...meter.read() };
  // every ring is out by now or lost; the consoles' process says when each console first had it
  await new Promise((r) => setTimeout(r, 3000));
  const collected = new Promise<{ arrivals: [string, number[]][] }>((res) => listener.once('message', res as never));
  listener.send('collect');
  const arrivals = new Map((await collected).arrivals);
  listener.send('stop');
  const rings = pressed.map((p) => {
    const got = (p.id && arrivals.get(p.id)) || [];
    return got.length < p.want ? { lost: true, ringMs: Number.NaN } : { lost: false, ringMs: Math.max(...got) - p.t0 };
  });
  return { rings, cpu };
}

log(`${STATIONS} stations press SOS within ${WINDOW_MS} ms, ${COPIES} copies each, at the hub`);
const wsUrl = `${env.hubUrl.replace(/^http/, 'ws')}/ws`;
const hubRun = await burst(
  env.hubUrl,
  hub.pid!,
  city.officers.map((o) => ({ url: wsUrl, cookie: o.cookie })),
);
const [{ calls }] = (await env.sql<{ calls: number }[]>`SELECT count(*)::int AS calls FROM calls`) as unknown as [{ calls: number }];
const perStation = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM calls GROUP BY station_id`;
const duplicates = perStation.reduce((s, r) => s + Math.max(0, r.n - 1), 0);
const lost = STATIONS - perStation.length + hubRun.rings.filter((r) => r.lost).length;
await env.stopHub();

// the floor, the same burst in the same run: a bare server doing only what must happen before a ring
log('the same burst at the floor (a bare node:http server: one insert, one send per console)');
const floorProc = fork(join(here, 'burst-floor.ts'), [], { execArgv: ['--import', 'tsx'] });
const floorPort = await new Promise<number>((res) => {
  floorProc.once('message', (m: { port: number }) => res(m.port));
  floorProc.send({ dbUrl: env.dbUrl, stations: city.stations.map((s) => [s.credential, s.wardId]) });
});
const floorRun = await burst(
  `http://127.0.0.1:${floorPort}`,
  floorProc.pid!,
  city.officers.map((o) => ({ url: `ws://127.0.0.1:${floorPort}/ws?ward=${o.wardId}` })),
);
floorProc.kill();
await env.stop();
const floorRing = floorRun.rings.filter((r) => !r.lost).map((r) => r.ringMs);

const ring = hubRun.rings.filter((r) => !r.lost).map((r) => r.ringMs);
log(`CPU during the burst, ms: hub ${JSON.stringify(hubRun.cpu)}; floor ${JSON.stringify(floorRun.cpu)}`);
log(
  `request -> ward ringing: p50 ${round(percentile(ring, 50))} ms, p99 ${round(percentile(ring, 99))} ms; calls ${calls}; ` +
    `floor p50 ${round(percentile(floorRing, 50))} ms, p99 ${round(percentile(floorRing, 99))} ms (${floorRun.rings.filter((r) => r.lost).length} lost)`,
);
console.log(
  JSON.stringify({
    bench: 'sos-burst',
    stations: STATIONS,
    copies: COPIES,
    consoles: CONSOLES,
    calls,
    p50_ms: round(percentile(ring, 50)),
    p99_ms: round(percentile(ring, 99)),
    duplicates,
    lost,
    floor_p50_ms: round(percentile(floorRing, 50)),
    floor_p99_ms: round(percentile(floorRing, 99)),
    ratio: round(percentile(ring, 99) / percentile(floorRing, 99)),
    hub_cpu_ms: hubRun.cpu,
    floor_cpu_ms: floorRun.cpu,
  }),
);
