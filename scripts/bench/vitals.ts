// Vitals ingest benchmark, hub side: S stations (each with a citizen session and its kiosk socket
// subscribed to `station:<id>`) POST batches of readings concurrently to a hub in its own process.
// Measures validated+stored readings per second and POST -> `vitals.observation` event latency
// (the whole batch seen on the station's socket), and in the same run the floor: plain batched
// INSERTs of the same Observation JSON into PostgreSQL at the same concurrency and batch size.
// C clinicians hold FHIR Subscriptions (websocket, full-resource) on the residents of C stations;
// their POST -> notification latency is reported beside (fhir_p50_ms, fhir_p99_ms).
// The pty -> agent -> hub -> clinician path is measured by `npm run bench -- vitals-path`.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { benchEnv } from './bench-env.ts';
import { cpuMeter, parentOf } from '../procs.ts';
import { percentile, round } from './stats.ts';
import { subscribeToPatient } from './fhir-subscriber.ts';
import { startBus } from '../../hub/src/db/bus.ts';
import { upsertWard } from '../../hub/src/stations/store.ts';
import { registerStation } from '../../hub/src/stations/service.ts';
import { upsertCitizen } from '../../hub/src/identity/store.ts';
import { openSession } from '../../hub/src/identity/service.ts';
import { createStaff } from '../../hub/src/auth/service.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const STATIONS = arg('stations', 20),
  BATCH = arg('batch', 50),
  SECONDS = arg('seconds', 10),
  WARMUP_S = arg('warmup', 2);
// clinicians with a FHIR Subscription (websocket, full-resource) on the resident of one station each
const SUBSCRIBERS = Math.min(arg('subscribers', 10), STATIONS);
// 0: closed loop (each station posts again as soon as its batch is seen: throughput). N > 0: each
// station posts one batch every N ms (open loop: latency at a given load).
const INTERVAL_MS = arg('interval', 0);
const log = (m: string) => console.error(`[bench vitals] ${m}`);

const env = await benchEnv('vitals', Math.min(STATIONS, 20));
const { sql } = env;

log(`seeding ${STATIONS} stations with a citizen session each`);
const bus = await startBus(env.dbUrl, () => {});
const wardId = await upsertWard(sql, { code: 'BENCH', name: 'Phường Bench', city: 'TP.HCM' });
const stations: { id: string; credential: string; sessionId: string; citizenId: string }[] = [];
for (let i = 0; i < STATIONS; i++) {
  const st = await registerStation(sql, { code: `vs-${i}`, name: `Trạm ${i}`, address: `${i} Đường Bench`, wardId });
  const citizenId = await upsertCitizen(sql, {
    idNumber: String(790000000000 + i),
    fullName: `Công dân ${i}`,
    dateOfBirth: '01/01/1970',
    sex: 'Nam',
  });
  const session = await sql.begin((tx) => openSession(tx, bus, st.id, citizenId, { bench: true }));
  stations.push({ id: st.id, credential: st.credential, sessionId: session.id, citizenId });
}
await bus.close();
for (let i = 0; i < SUBSCRIBERS; i++)
  await createStaff(sql, { username: `doc${i}`, displayName: `BS ${i}`, role: 'clinician', password: 'bench-password' });

const { hubUrl, hubPort } = env;
// PostgreSQL's CPU is its postmaster's and every backend's under it
const [{ pid: backend }] = (await sql<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`) as unknown as [{ pid: number }];
const dbPid = parentOf(backend);
// sessions must not go idle during the run
const hub = await env.spawnHub(
  { CITIZEN_IDLE_S: '3600' },
  process.env.BENCH_HUB_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HUB_PROF}`] : [],
);

// each kiosk socket counts the readings of each batch it has seen
interface Pending {
  want: number;
  got: number;
  done?: number;
  wake?: () => void;
  fhirWant: number;
  fhirGot: number;
  fhirDone?: number;
  fhirWake?: () => void;
}
const seen = new Map<string, Pending>();
/** POST -> the hub's answer, per batch */
const postLat: number[] = [];
const batchOf = new Map<string, string>(); // reading id -> batch id
const sockets: WebSocket[] = [];
for (const st of stations) {
  const ws = new WebSocket(`ws://127.0.0.1:${hubPort}/ws`, { headers: { authorization: `Station ${st.credential}` } });
  ws.on('message', (m) => {
    const t = performance.now();
    const e = JSON.parse(m.toString());
    if (e.type !== 'vitals.observation') return;
    for (const o of e.data.observations) {
      const b = seen.get(batchOf.get(o.readingId) ?? '');
      if (b && ++b.got === b.want) {
        b.done = t;
        b.wake?.();
      }
    }
  });
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  sockets.push(ws);
}

// FHIR subscribers: one clinician per station's resident
const subscribed = new Set<string>(); // station ids whose resident has a subscriber
let fhirEvents = 0;
for (let i = 0; i < SUBSCRIBERS; i++) {
  const st = stations[i]!;
  sockets.push(
    await subscribeToPatient(hubUrl, `doc${i}`, 'bench-password', st.citizenId, (resource, t) => {
      fhirEvents++;
      const pending = seen.get(batchOf.get(resource.identifier[0].value) ?? '');
      if (pending && ++pending.fhirGot === pending.fhirWant) {
        pending.fhirDone = t;
        pending.fhirWake?.();
      }
    }),
  );
  subscribed.add(st.id);
}

const jitter = (base: number, spread: number) => +(base + (Math.random() - 0.5) * spread).toFixed(1);
function makeReadings(n: number) {
  const at = new Date().toISOString();
  return Array.from({ length: n }, (_, i) => {
    const id = randomUUID();
    switch (i % 6) {
      case 0:
        return {
          id,
          kind: 'temperature',
          value: jitter(36.8, 1),
          unit: 'Cel',
          at,
          device: { id: 'thermo-1', model: 'GY-MCU90614', protocol: 'gy-mcu906' },
        };
      case 1:
        return {
          id,
          kind: 'spo2',
          value: Math.round(jitter(97, 4)),
          unit: '%',
          at,
          device: { id: 'oxi-1', model: 'Contec CMS50D+', protocol: 'cms50d-v7' },
        };
      case 2:
        return {
          id,
          kind: 'heart_rate',
          value: Math.round(jitter(75, 30)),
          unit: '/min',
          at,
          device: { id: 'oxi-1', model: 'Contec CMS50D+', protocol: 'cms50d-v7' },
        };
      case 3:
        return {
          id,
          kind: 'blood_pressure',
          values: { systolic: Math.round(jitter(125, 20)), diastolic: Math.round(jitter(80, 10)) },
          unit: 'mm[Hg]',
          at,
          device: { id: 'nibp-1', model: 'Medlab NIBP2020', protocol: 'medlab-nibp' },
        };
      case 4:
        return {
          id,
          kind: 'weight',
          value: jitter(65, 20),
          unit: 'kg',
          at,
          device: { id: 'scale-1', model: 'Mettler Toledo ICS425', protocol: 'MT-SICS' },
        };
      default:
        return {
          id,
          kind: 'respiratory_rate',
          value: Math.round(jitter(16, 4)),
          unit: '/min',
          at,
          device: { id: 'oxi-1', model: 'Contec CMS50D+', protocol: 'cms50d-v7' },
        };
    }
  });
}

const wait = (p: Pending, done: 'done' | 'fhirDone', wake: 'wake' | 'fhirWake', what: string) =>
  p[done] !== undefined
    ? Promise.resolve()
    : new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${what}: batch not complete within 5 s`)), 5000);
        p[wake] = () => {
          clearTimeout(timer);
          resolve();
        };
      });

async function station(st: (typeof stations)[number], until: number, lat: number[] | null, fhirLat: number[] | null): Promise<number> {
  let stored = 0;
  // spread the stations' first posts over one interval so an open-loop run is not a thundering herd
  if (INTERVAL_MS) await new Promise((r) => setTimeout(r, Math.random() * INTERVAL_MS));
  while (performance.now() < until) {
    const readings = makeReadings(BATCH);
    const batchId = randomUUID();
    for (const r of readings) batchOf.set(r.id, batchId);
    const b: Pending = { want: BATCH, got: 0, fhirWant: subscribed.has(st.id) ? BATCH : 0, fhirGot: 0 };
    seen.set(batchId, b);
    const t0 = performance.now();
    const res = await fetch(`${hubUrl}/api/vitals/readings`, {
      method: 'POST',
      headers: { authorization: `Station ${st.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: st.sessionId, readings }),
    });
    const body = (await res.json()) as { accepted?: string[]; rejected?: unknown[] };
    if (res.status !== 200 || body.accepted!.length !== BATCH)
      throw new Error(`ingest failed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    stored += BATCH;
    if (lat) postLat.push(performance.now() - t0);
    await wait(b, 'done', 'wake', `kiosk socket, station ${st.id}`);
    lat?.push(b.done! - t0);
    if (b.fhirWant) {
      await wait(b, 'fhirDone', 'fhirWake', `FHIR subscriber, station ${st.id}`);
      fhirLat?.push(b.fhirDone! - t0);
    }
    if (INTERVAL_MS) await new Promise((r) => setTimeout(r, Math.max(0, t0 + INTERVAL_MS - performance.now())));
    seen.delete(batchId);
    for (const r of readings) batchOf.delete(r.id);
  }
  return stored;
}

log(`warming up ${WARMUP_S} s`);
await Promise.all(stations.map((st) => station(st, performance.now() + WARMUP_S * 1000, null, null)));
log(`${STATIONS} stations x batches of ${BATCH} for ${SECONDS} s`);
const latencies: number[] = [],
  fhirLatencies: number[] = [];
const tStart = performance.now();
const meter = cpuMeter({ hub: hub.pid!, db: dbPid });
const stored = (await Promise.all(stations.map((st) => station(st, tStart + SECONDS * 1000, latencies, fhirLatencies)))).reduce(
  (a, b) => a + b,
  0,
);
const ingestPerS = stored / ((performance.now() - tStart) / 1000);
const ingestCpu = meter.read();

// the floor: the same Observation JSON, plain batched INSERTs, same concurrency and batch size
const sample = (await sql<{ resource: string }[]>`SELECT resource::text AS resource FROM fhir_observations LIMIT ${BATCH}`).map(
  (r) => r.resource,
);
await sql`CREATE TABLE bench_floor (id uuid PRIMARY KEY, resource jsonb NOT NULL)`;
let floorRows = 0;
const fStart = performance.now(),
  fUntil = fStart + SECONDS * 1000;
const floorMeter = cpuMeter({ db: dbPid });
await Promise.all(
  stations.map(async () => {
    while (performance.now() < fUntil) {
      await sql`INSERT INTO bench_floor (id, resource) SELECT * FROM unnest(${sample.map(() => randomUUID())}::uuid[], ${sample}::text[]::jsonb[])`;
      floorRows += sample.length;
    }
  }),
);
const floorPerS = floorRows / ((performance.now() - fStart) / 1000);
const floorCpu = floorMeter.read();
// CPU per reading (µs) in each process: where a reading's cost goes on a machine all of them share
const perReading = (cpu: Record<string, number>, n: number) =>
  Object.fromEntries(Object.entries(cpu).map(([k, ms]) => [k, round((ms * 1000) / n)]));

for (const ws of sockets) ws.terminate();
await env.stop();

log(
  `stored ${stored} readings in ${SECONDS} s: ${round(ingestPerS)}/s validated and stored; POST -> whole batch on the kiosk socket p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms; floor ${round(floorPerS)} rows/s; POST -> FHIR subscription notification (${SUBSCRIBERS} subscribers, ${fhirEvents} resources) p50 ${round(percentile(fhirLatencies, 50))} ms, p99 ${round(percentile(fhirLatencies, 99))} ms`,
);
console.log(
  JSON.stringify({
    bench: 'vitals',
    stations: STATIONS,
    subscribers: SUBSCRIBERS,
    ingest_per_s: round(ingestPerS),
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
    floor_insert_per_s: round(floorPerS),
    batch: BATCH,
    interval_ms: INTERVAL_MS,
    fhir_p50_ms: round(percentile(fhirLatencies, 50)),
    fhir_p99_ms: round(percentile(fhirLatencies, 99)),
    ratio: round(ingestPerS / floorPerS),
    post_p50_ms: round(percentile(postLat, 50)),
    cpu_us_per_reading: perReading(ingestCpu, stored),
    floor_cpu_us_per_row: perReading(floorCpu, floorRows),
  }),
);
