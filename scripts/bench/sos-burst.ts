// SOS burst: a city-wide event. S stations press SOS within the same 100 ms, each sending its
// request 3 times at once (as an agent that retries on a slow answer would, with one idempotency
// key), to a hub (its own process) with the real LiveKit server and PostgreSQL. Measures request →
// every console of the station's ward has the ringing event (the consoles in a process of their own,
// scripts/bench/ring-listener.ts), and counts calls: exactly one per
// station, none lost.
import { randomUUID } from 'node:crypto';
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnv } from './bench-env.ts';
import { seedBenchCity } from './bench-city.ts';
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
await env.spawnHub(
  { ESCALATE_T1_MS: '3600000', ESCALATE_T2_MS: '7200000' },
  process.env.BENCH_HUB_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HUB_PROF}`] : [],
);

log('connecting consoles (their own process)');
const listener = fork(join(dirname(fileURLToPath(import.meta.url)), 'ring-listener.ts'), [], { execArgv: ['--import', 'tsx'] });
const ready = new Promise((res) => listener.once('message', res));
listener.send({ hubUrl: env.hubUrl, cookies: city.officers.map((o) => o.cookie) });
await ready;
const now = () => performance.timeOrigin + performance.now();
const perWard = new Map<number, number>();
for (const o of city.officers) perWard.set(o.wardId, (perWard.get(o.wardId) ?? 0) + 1);

async function press(st: { credential: string; wardId: number }, delayMs: number) {
  await new Promise((r) => setTimeout(r, delayMs));
  const key = randomUUID();
  const t0 = now();
  const answers = await Promise.all(
    Array.from({ length: COPIES }, async () => {
      // the agent retries until the hub answers: a 429 or 503 is tried again
      for (let attempt = 0; attempt < 50; attempt++) {
        const r = await fetch(`${env.hubUrl}/api/calls`, {
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
  return { id: [...ids][0], t0, want: perWard.get(st.wardId) ?? 0, ids: ids.size };
}

log(`${STATIONS} stations press SOS within ${WINDOW_MS} ms, ${COPIES} copies each`);
const pressed = await Promise.all(city.stations.map((s) => press(s, Math.random() * WINDOW_MS)));
// every ring is out by now or lost; the consoles' process says when each arrived
await new Promise((r) => setTimeout(r, 3000));
const collected = new Promise<{ arrivals: [string, number[]][] }>((res) => listener.once('message', res as never));
listener.send('collect');
const arrivals = new Map((await collected).arrivals);
listener.send('stop');
const results = pressed.map((p) => {
  const got = (p.id && arrivals.get(p.id)) || [];
  return got.length < p.want ? { lost: true, ringMs: Number.NaN } : { lost: false, ringMs: Math.max(...got) - p.t0 };
});
const [{ calls }] = (await env.sql<{ calls: number }[]>`SELECT count(*)::int AS calls FROM calls`) as unknown as [{ calls: number }];
const perStation = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM calls GROUP BY station_id`;
const duplicates = perStation.reduce((s, r) => s + Math.max(0, r.n - 1), 0);
const lost = STATIONS - perStation.length + results.filter((r) => r.lost).length;
await env.stop();

const ring = results.filter((r) => !r.lost).map((r) => r.ringMs);
log(`request -> ward ringing: p50 ${round(percentile(ring, 50))} ms, p99 ${round(percentile(ring, 99))} ms; calls ${calls}`);
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
  }),
);
