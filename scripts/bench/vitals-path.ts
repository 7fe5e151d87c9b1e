// Vitals, the whole path: for S stations, a GY-MCU90614 thermometer frame is written to a real
// socat pty; the station agent (serialport driver, recording policy, on-disk queue, forwarder)
// sends it to the hub (its own process), which validates and stores it as an Observation and
// notifies the clinician's FHIR Subscription (websocket). Latency: last byte written to the pty ->
// the subscriber has the Observation. In the same run, the floor: plain batched inserts of the
// same JSON into PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type WebSocket from 'ws';
import { benchEnv } from './bench-env.ts';
import { percentile, round } from './stats.ts';
import { subscribeToPatient } from './fhir-subscriber.ts';
import { startBus } from '../../hub/src/db/bus.ts';
import { upsertWard } from '../../hub/src/stations/store.ts';
import { registerStation } from '../../hub/src/stations/service.ts';
import { upsertCitizen } from '../../hub/src/identity/store.ts';
import { openSession } from '../../hub/src/identity/service.ts';
import { createStaff } from '../../hub/src/auth/service.ts';
import { encodeGyMcu90614 } from '@tram/station-agent/devices/gy-mcu90614.ts';
import { parseDeviceConfigs } from '@tram/station-agent/devices/device-config.ts';
import { startAgent, type RunningAgent } from '@tram/station-agent/gateway/server.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const STATIONS = arg('stations', 5),
  SECONDS = arg('seconds', 20);
// the agent records a streaming device at most once a second per kind: write a bit slower
const PERIOD_MS = arg('period', 1100);
const log = (m: string) => console.error(`[bench vitals-path] ${m}`);

const env = await benchEnv('vitals-path', 4);
const { sql, hubUrl } = env;
const work = mkdtempSync(join(tmpdir(), 'tram-bench-path-'));
const bus = await startBus(env.dbUrl, () => {});
const wardId = await upsertWard(sql, { code: 'BENCH', name: 'Phường Bench', city: 'TP.HCM' });
const stations: { credential: string; sessionId: string; citizenId: string }[] = [];
for (let i = 0; i < STATIONS; i++) {
  const st = await registerStation(sql, { code: `vp-${i}`, name: `Trạm ${i}`, address: `${i} Đường Bench`, wardId });
  const citizenId = await upsertCitizen(sql, {
    idNumber: String(791000000000 + i),
    fullName: `Công dân ${i}`,
    dateOfBirth: '01/01/1970',
    sex: 'Nam',
  });
  const session = await sql.begin((tx) => openSession(tx, bus, st.id, citizenId, { bench: true }));
  stations.push({ credential: st.credential, sessionId: session.id, citizenId });
  await createStaff(sql, { username: `doc${i}`, displayName: `BS ${i}`, role: 'clinician', password: 'bench-password' });
}
await bus.close();

await env.spawnHub({ CITIZEN_IDLE_S: '3600' });

// per station: a pty pair, an agent on its host end, a clinician subscribed to the resident
const written = new Map<string, number>(); // `${station}:${centi-degrees}` -> time the frame's last byte was written
const latencies: number[] = [];
let measuring = false;
const socats: ChildProcess[] = [],
  agents: RunningAgent[] = [],
  subs: WebSocket[] = [],
  devFds: number[] = [];
for (let i = 0; i < STATIONS; i++) {
  const dev = join(work, `dev${i}`),
    host = join(work, `host${i}`);
  const socat = spawn('socat', [`pty,raw,echo=0,link=${dev}`, `pty,raw,echo=0,link=${host}`], { stdio: 'ignore' });
  socats.push(socat);
  while (!existsSync(dev) || !existsSync(host)) await new Promise((r) => setTimeout(r, 20));
  devFds.push(openSync(dev, constants.O_RDWR | constants.O_NOCTTY));
  const agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl,
    credential: stations[i]!.credential,
    dataDir: join(work, `agent${i}`),
    uiDir: work,
    cardReader: 'off',
    devices: parseDeviceConfigs([{ id: `thermo-${i}`, kind: 'temperature', protocol: 'gy-mcu90614', path: host }]),
  });
  agent.vitals.setSession(stations[i]!.sessionId);
  agents.push(agent);
  subs.push(
    await subscribeToPatient(hubUrl, `doc${i}`, 'bench-password', stations[i]!.citizenId, (resource, t) => {
      if (!measuring) return;
      const key = `${i}:${Math.round(resource.valueQuantity.value * 100)}`;
      const t0 = written.get(key);
      if (t0 !== undefined) {
        latencies.push(t - t0);
        written.delete(key);
      }
    }),
  );
}
for (const a of agents)
  while (!a.vitals.devices.statuses().some((s) => s.state === 'connected')) await new Promise((r) => setTimeout(r, 20));

// each station writes one frame per period with a value unique within the run
let seq = 0;
const timers = stations.map((_, i) =>
  setInterval(
    () => {
      const centi = 3600 + (seq++ % 300);
      const frame = encodeGyMcu90614({ objectCel: centi / 100, ambientCel: 25 });
      writeSync(devFds[i]!, frame);
      written.set(`${i}:${centi}`, performance.now());
    },
    PERIOD_MS + i * 7,
  ),
);
log(`${STATIONS} stations, warming up`);
await new Promise((r) => setTimeout(r, 3000));
measuring = true;
written.clear();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
measuring = false;
for (const t of timers) clearInterval(t);

// the floor: batched inserts of the same Observation JSON
const [sample] = await sql<{ resource: unknown }[]>`SELECT resource FROM fhir_observations LIMIT 1`;
await sql`CREATE TABLE bench_floor (id serial PRIMARY KEY, resource jsonb NOT NULL)`;
const batch = Array.from({ length: 50 }, () => JSON.stringify(sample!.resource));
const f0 = performance.now();
let floorRows = 0;
while (performance.now() - f0 < 3000) {
  await sql`INSERT INTO bench_floor (resource) SELECT * FROM unnest(${batch}::text[]::jsonb[])`;
  floorRows += batch.length;
}
const floorPerS = floorRows / ((performance.now() - f0) / 1000);

for (const s of subs) s.terminate();
for (const a of agents) await a.stop();
for (const fd of devFds) closeSync(fd);
for (const s of socats) s.kill();
await env.stop();
rmSync(work, { recursive: true, force: true });

log(
  `${latencies.length} readings from the pty to the clinician's subscription: p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms; floor ${round(floorPerS)} inserts/s`,
);
console.log(
  JSON.stringify({
    bench: 'vitals-path',
    stations: STATIONS,
    subscribers: STATIONS,
    readings: latencies.length,
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
    floor_insert_per_s: round(floorPerS),
  }),
);
