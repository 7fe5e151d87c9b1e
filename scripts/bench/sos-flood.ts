// SOS flood fairness: one station floods the hub (its own process) with SOS presses, each with a new
// Idempotency-Key, from its own process; meanwhile other stations of the ward press SOS one after
// another. Measures SOS request -> the ward's police console rings, for the others, with and without
// the flood, and what the flood got back.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { benchEnv } from './bench-env.ts';
import { percentile, round } from './stats.ts';
import { upsertWard } from '../../hub/src/stations/store.ts';
import { registerStation } from '../../hub/src/stations/service.ts';
import { createStaff } from '../../hub/src/auth/service.ts';
import { startFlood } from '../../hub/test/support/sos-flood.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const RINGS = arg('rings', 40),
  WORKERS = arg('workers', 8);
const log = (m: string) => console.error(`[bench sos-flood] ${m}`);

const env = await benchEnv('sos_flood');
const { sql, hubUrl } = env;
const wardId = await upsertWard(sql, { code: 'WF', name: 'Phường Flood', city: 'TP.HCM' });
const flooder = await registerStation(sql, { code: 'st-flood', name: 'Trạm flood', address: '1 Đường Bench', wardId });
const others: string[] = [];
for (let i = 0; i < RINGS; i++)
  others.push((await registerStation(sql, { code: `st-${i}`, name: `Trạm ${i}`, address: `${i} Đường Bench`, wardId })).credential);
await createStaff(sql, { username: 'officer', displayName: 'Officer', role: 'police', password: 'bench-password', wardIds: [wardId] });
// no escalation during the run: every call stays a plain ward ring
await env.spawnHub({ ESCALATE_T1_MS: '3600000', ESCALATE_T2_MS: '7200000' });

const login = await fetch(`${hubUrl}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'officer', password: 'bench-password' }),
});
const rang = new Map<string, number>();
const waiting = new Map<string, () => void>();
const ws = new WebSocket(`${hubUrl.replace(/^http/, 'ws')}/ws`, { headers: { cookie: login.headers.get('set-cookie')!.split(';')[0]! } });
ws.on('message', (m) => {
  const t = performance.now();
  const e = JSON.parse(m.toString());
  if (e.type !== 'call.ringing') return;
  rang.set(e.data.call.id, t);
  waiting.get(e.data.call.id)?.();
});
await new Promise((r) => ws.once('open', r));

async function ring(credential: string): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(`${hubUrl}/api/calls`, {
    method: 'POST',
    headers: { authorization: `Station ${credential}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    body: '{"kind":"sos"}',
  });
  if (r.status !== 201) throw new Error(`SOS failed: ${r.status}`);
  const { call } = (await r.json()) as { call: { id: string } };
  if (!rang.has(call.id))
    await new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`call ${call.id} did not ring within 5 s`)), 5000);
      waiting.set(call.id, () => {
        clearTimeout(t);
        res();
      });
    });
  return rang.get(call.id)! - t0;
}
const endAll = () => sql`UPDATE calls SET status = 'ended', ended_at = now(), next_escalation_at = NULL WHERE status <> 'ended'`;

log('warming up');
for (const c of others.slice(0, 5)) await ring(c);
await endAll();
log(`quiet: ${RINGS} stations press SOS`);
const quiet: number[] = [];
for (const c of others) {
  quiet.push(await ring(c));
  await new Promise((r) => setTimeout(r, 50));
}
await endAll();
await new Promise((r) => setTimeout(r, 1100)); // the stations' buckets refill

log(`flood: ${WORKERS} workers; the same ${RINGS} stations press SOS again`);
const flood = startFlood(hubUrl, flooder.credential, { workers: WORKERS, minEach: 0 });
await new Promise((r) => setTimeout(r, 300));
const under: number[] = [];
for (const c of others) {
  under.push(await ring(c));
  await new Promise((r) => setTimeout(r, 50));
}
const result = await flood.stop();
ws.terminate();
await env.stop();

const accepted = (result.statuses['201'] ?? 0) + (result.statuses['200'] ?? 0);
log(
  `others rang: quiet p50 ${round(percentile(quiet, 50))} ms p99 ${round(percentile(quiet, 99))} ms; under flood p50 ${round(percentile(under, 50))} ms p99 ${round(percentile(under, 99))} ms; flood ${JSON.stringify(result.statuses)}`,
);
console.log(
  JSON.stringify({
    bench: 'sos-flood',
    flood_requests: result.total,
    accepted,
    rejected_429: result.statuses['429'] ?? 0,
    others_p50_ms: round(percentile(under, 50)),
    others_p99_ms: round(percentile(under, 99)),
    quiet_p99_ms: round(percentile(quiet, 99)),
  }),
);
