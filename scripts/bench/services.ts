// Public services and payments benchmark against a hub in its own process: S stations, each with
// an identified resident, submit temporary-residence applications with one ~60 KB JPEG photo
// (sealed with AES-256-GCM at the hub) in a closed loop for a few seconds: submissions per second
// and submit latency p99. Then N apartment-fee payments: a signed payOS notification is POSTed
// and the time until `payment.paid` reaches the station's socket (what the agent relays to the
// kiosk) is measured: paid p99.
import { randomBytes, randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { benchEnv } from './bench-env.ts';
import { percentile, round } from './stats.ts';
import { startBus } from '../../hub/src/db/bus.ts';
import { upsertWard } from '../../hub/src/stations/store.ts';
import { registerStation } from '../../hub/src/stations/service.ts';
import { upsertCitizen } from '../../hub/src/identity/store.ts';
import { openSession } from '../../hub/src/identity/service.ts';
import { createStaff } from '../../hub/src/auth/service.ts';
import { payosNotification } from '../../packages/testing/src/services/adapters.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const STATIONS = arg('stations', 8),
  SECONDS = arg('seconds', 8),
  PAYMENTS = arg('payments', 100);
const PAYOS_KEY = 'bench-payos-checksum-key-0123456789';
const log = (m: string) => console.error(`[bench services] ${m}`);

const env = await benchEnv('services', 4);
const { sql, hubUrl } = env;
try {
  log(`seeding ${STATIONS} stations with a resident each`);
  const bus = await startBus(env.dbUrl, () => {});
  const wardId = await upsertWard(sql, { code: 'BENCH-SVC', name: 'Phường Bench', city: 'TP.HCM' });
  const stations: { id: string; credential: string; idNumber: string }[] = [];
  for (let i = 0; i < STATIONS; i++) {
    const st = await registerStation(sql, { code: `svc-${i}`, name: `Trạm ${i}`, address: `${i} Đường Bench`, wardId });
    const idNumber = String(790100000000 + i);
    const citizenId = await upsertCitizen(sql, { idNumber, fullName: `Công dân ${i}`, dateOfBirth: '01/01/1960', sex: 'Nữ' });
    await sql.begin((tx) => openSession(tx, bus, st.id, citizenId, { bench: true }));
    stations.push({ id: st.id, credential: st.credential, idNumber });
  }
  await bus.close();
  await createStaff(sql, { username: 'bql', displayName: 'BQL', role: 'building_manager', password: 'bench-password' });
  await env.spawnHub({ CITIZEN_IDLE_S: '3600', PAYOS_CHECKSUM_KEY: PAYOS_KEY, RATE_LIMIT_BURST: '1000000', RATE_LIMIT_PER_S: '1000000' });

  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(60_000), Buffer.from([0xff, 0xd9])]).toString('base64');
  const body = JSON.stringify({
    service: 'temporary_residence',
    fields: {
      address: 'Căn hộ A-1203, 12 Nguyễn Huệ',
      headName: 'Trần Văn Bình',
      relationship: 'parent',
      headIdNumber: '079080009999',
      request: 'Đăng ký tạm trú cho mẹ',
      phone: '0903123456',
    },
    attachments: [{ document: 'residence_proof', contentType: 'image/jpeg', data: photo }],
  });
  const submit = async (s: (typeof stations)[number]) => {
    const t0 = performance.now();
    const r = await fetch(`${hubUrl}/api/services/submissions`, {
      method: 'POST',
      headers: { authorization: `Station ${s.credential}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body,
    });
    await r.arrayBuffer();
    if (r.status !== 201) throw new Error(`submit: HTTP ${r.status}`);
    return performance.now() - t0;
  };
  // warm-up
  for (const s of stations) await submit(s);
  log(`submitting for ${SECONDS} s from ${STATIONS} stations`);
  const lat: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    stations.map(async (s) => {
      while (performance.now() < end) lat.push(await submit(s));
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;

  log(`${PAYMENTS} payments: signed notification → payment.paid on the station socket`);
  const loginR = await fetch(`${hubUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bql', password: 'bench-password' }),
  });
  const cookie = loginR.headers.get('set-cookie')!.split(';')[0]!;
  const s0 = stations[0]!;
  const ws = new WebSocket(`${hubUrl.replace(/^http/, 'ws')}/ws`, { headers: { authorization: `Station ${s0.credential}` } });
  const waiting = new Map<string, (at: number) => void>();
  ws.on('message', (m) => {
    const e = JSON.parse(m.toString());
    if (e.type === 'payment.paid') waiting.get(e.data.id)?.(performance.now());
  });
  await new Promise((r) => ws.once('open', r));
  const paid: number[] = [];
  for (let i = 0; i < PAYMENTS; i++) {
    const period = `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    const f = await fetch(`${hubUrl}/api/payments/ledger`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ building: 'A', apartment: 'A-1', period, amountVnd: 500_000 + i, residentIdNumber: s0.idNumber }),
    });
    const fee = (await f.json()).fee;
    const p = await fetch(`${hubUrl}/api/payments`, {
      method: 'POST',
      headers: { authorization: `Station ${s0.credential}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ payable: `fee:${fee.id}` }),
    });
    const { payment } = await p.json();
    const seen = new Promise<number>((res) => waiting.set(payment.id, res));
    const n = payosNotification(PAYOS_KEY, { amount: payment.amountVnd, description: `CK ${payment.reference}` });
    const t = performance.now();
    const r = await fetch(`${hubUrl}/api/payments/payos/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(n),
    });
    await r.arrayBuffer();
    paid.push((await seen) - t);
  }
  ws.close();
  const result = {
    bench: 'services',
    submissions_per_s: round(lat.length / elapsed),
    submit_p50_ms: round(percentile(lat, 50)),
    submit_p99_ms: round(percentile(lat, 99)),
    paid_p50_ms: round(percentile(paid, 50)),
    paid_p99_ms: round(percentile(paid, 99)),
    stations: STATIONS,
    submissions: lat.length,
    payments: PAYMENTS,
  };
  console.log(JSON.stringify(result));
} finally {
  await env.stop();
}
