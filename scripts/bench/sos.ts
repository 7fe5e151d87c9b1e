// SOS benchmark: N stations and M police consoles connected to a hub (its own process) with the
// real LiveKit server and PostgreSQL. Measures SOS request -> every console of the station's ward
// has the ringing event, and in the same run the floor: one PostgreSQL insert + one LiveKit
// CreateRoom + one WebSocket send.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { benchEnv } from './bench-env.ts';
import { percentile, round } from './stats.ts';
import { upsertWard } from '../../hub/src/stations/store.ts';
import { registerStation } from '../../hub/src/stations/service.ts';
import { createStaff } from '../../hub/src/auth/service.ts';
import { startFloor } from './floor.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const STATIONS = arg('stations', 1000),
  CONSOLES = arg('consoles', 200),
  CALLS = arg('calls', 500),
  WARDS = arg('wards', 50);
const log = (m: string) => console.error(`[bench sos] ${m}`);

const env = await benchEnv('sos');
const { stack, sql } = env;

log(`seeding ${WARDS} wards, ${STATIONS} stations, ${CONSOLES} officers`);
const wardIds: number[] = [];
for (let w = 0; w < WARDS; w++) wardIds.push(await upsertWard(sql, { code: `W${w}`, name: `Phường ${w}`, city: 'TP.HCM' }));
const stations: { credential: string; wardId: number }[] = [];
for (let i = 0; i < STATIONS; i++) {
  const wardId = wardIds[i % WARDS]!;
  const s = await registerStation(sql, { code: `st-${i}`, name: `Trạm ${i}`, address: `${i} Đường Bench`, wardId });
  stations.push({ credential: s.credential, wardId });
}
const officerWard: number[] = [];
await Promise.all(
  Array.from({ length: CONSOLES }, (_, i) => {
    officerWard[i] = wardIds[i % WARDS]!;
    return createStaff(sql, {
      username: `officer${i}`,
      displayName: `Officer ${i}`,
      role: 'police',
      password: 'bench-password',
      wardIds: [officerWard[i]!],
    });
  }),
);

const { hubUrl, hubPort } = env;
// no escalation during the run: every call stays a plain ward ring
await env.spawnHub({ ESCALATE_T1_MS: '3600000', ESCALATE_T2_MS: '7200000' });

// consoles: log in and open a socket each; record arrival times of ringing events per call
const arrivals = new Map<string, number[]>();
const waiters = new Map<string, () => void>();
const sockets: WebSocket[] = [];
const openSocket = (headers: Record<string, string>, onMsg?: (m: string) => void) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${hubPort}/ws`, { headers });
    ws.on('message', (m) => onMsg?.(m.toString()));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
log('connecting consoles and stations');
for (let i = 0; i < CONSOLES; i += 20) {
  await Promise.all(
    Array.from({ length: Math.min(20, CONSOLES - i) }, async (_, j) => {
      const r = await fetch(`${hubUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `officer${i + j}`, password: 'bench-password' }),
      });
      const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
      sockets.push(
        await openSocket({ cookie }, (m) => {
          const t = performance.now();
          const e = JSON.parse(m);
          if (e.type !== 'call.ringing') return;
          const a = arrivals.get(e.data.call.id);
          if (a) a.push(t);
          else arrivals.set(e.data.call.id, [t]);
          waiters.get(e.data.call.id)?.();
        }),
      );
    }),
  );
}
for (let i = 0; i < STATIONS; i += 100) {
  await Promise.all(
    stations.slice(i, i + 100).map(async (s) => sockets.push(await openSocket({ authorization: `Station ${s.credential}` }))),
  );
}
const perWard = new Map<number, number>();
for (const w of officerWard) perWard.set(w, (perWard.get(w) ?? 0) + 1);

async function sos(st: { credential: string; wardId: number }) {
  const t0 = performance.now();
  const r = await fetch(`${hubUrl}/api/calls`, {
    method: 'POST',
    headers: { authorization: `Station ${st.credential}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    body: '{"kind":"sos"}',
  });
  const ackMs = performance.now() - t0;
  if (r.status !== 201) throw new Error(`SOS failed: ${r.status}`);
  const { call } = (await r.json()) as { call: { id: string } };
  const want = perWard.get(st.wardId) ?? 0;
  // Woken by the console sockets' handler (times are taken there, on arrival): polling here would
  // spin a core the hub and PostgreSQL need on a 2-core machine, and the floor does not poll.
  await new Promise<void>((done, failed) => {
    const check = () => {
      if ((arrivals.get(call.id)?.length ?? 0) < want) return;
      clearTimeout(timer);
      waiters.delete(call.id);
      done();
    };
    const timer = setTimeout(() => {
      waiters.delete(call.id);
      failed(new Error(`call ${call.id}: ${arrivals.get(call.id)?.length ?? 0}/${want} consoles rang`));
    }, 5000);
    waiters.set(call.id, check);
    check();
  });
  const ringMs = Math.max(...arrivals.get(call.id)!) - t0;
  // A station has one open emergency call at a time: close this one (outside the timing) so the
  // station's next press is a new call, not a join.
  await sql`UPDATE calls SET status = 'ended', ended_at = now(), end_reason = 'resolved', next_escalation_at = NULL WHERE id = ${call.id}`;
  return { ringMs, ackMs };
}

// the floor, measured the same way in the same run
const floorer = await startFloor(sql, {
  apiUrl: stack.env.LIVEKIT_URL!,
  publicUrl: stack.env.LIVEKIT_PUBLIC_URL!,
  apiKey: stack.env.LIVEKIT_API_KEY!,
  apiSecret: stack.env.LIVEKIT_API_SECRET!,
});
const floor = () => floorer.sample();

log('warming up');
for (let i = 0; i < 20; i++) {
  await sos(stations[(i * 7) % STATIONS]!);
  await floor();
}
arrivals.clear();
log(`raising ${CALLS} calls`);
const ring: number[] = [],
  ack: number[] = [],
  flo: number[] = [];
for (let i = 0; i < CALLS; i++) {
  // interleave so both see the same machine state
  const s = await sos(stations[(i * 13 + 1) % STATIONS]!);
  ring.push(s.ringMs);
  ack.push(s.ackMs);
  flo.push(await floor());
}

for (const ws of sockets) ws.terminate();
floorer.close();
await env.stop();

const p99 = percentile(ring, 99),
  floorP99 = percentile(flo, 99);
log(
  `SOS -> ward ringing: p50 ${round(percentile(ring, 50))} ms, p99 ${round(p99)} ms; SOS acknowledged with token: p50 ${round(percentile(ack, 50))} ms, p99 ${round(percentile(ack, 99))} ms; floor p50 ${round(percentile(flo, 50))} ms, p99 ${round(floorP99)} ms`,
);
console.log(
  JSON.stringify({
    bench: 'sos',
    stations: STATIONS,
    consoles: CONSOLES,
    calls: CALLS,
    p50_ms: round(percentile(ring, 50)),
    p99_ms: round(p99),
    floor_p99_ms: round(floorP99),
    ratio: round(p99 / floorP99),
    ack_p99_ms: round(percentile(ack, 99)),
    floor_p50_ms: round(percentile(flo, 50)),
  }),
);
