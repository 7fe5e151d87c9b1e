// A doctor escalates a consult to the police: the officer who owns the call follows the resident's
// live vitals over the FHIR subscription socket, and a 115 medic added to the call reads the handover;
// only while that holds (nobody else, and nothing after the call ends), every read audited with the
// call as its purpose.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { citizenSession, postReadings, reading } from './vitals-fixtures.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { createStaff } from '../src/auth/service.ts';
import { upsertCitizen } from '../src/identity/store.ts';

const TOPIC = 'https://tram.vn/fhir/SubscriptionTopic/vital-signs-observation';
const BP = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let dung: string, an: string, binh: string, medic: string, otherMedic: string, cred: string;
let session: Awaited<ReturnType<typeof citizenSession>>;
let callId: string;

const req = async (cookie: string | null, method: string, path: string, body?: unknown, type = 'application/json') => {
  const headers: Record<string, string> = { 'content-type': type, accept: type };
  if (cookie) headers['cookie'] = cookie;
  const r = await fetch(`${hub.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: (await r.json().catch(() => null)) as any };
};
const fhir = (cookie: string, method: string, path: string, body?: unknown) =>
  req(cookie, method, `/fhir${path}`, body, 'application/fhir+json');

const subscription = (patient: string) => ({
  resourceType: 'Subscription',
  status: 'requested',
  reason: 'Sinh hiệu trong cuộc gọi khẩn cấp',
  criteria: TOPIC,
  _criteria: { extension: [{ url: `${BP}/backport-filter-criteria`, valueString: `Observation?patient=Patient/${patient}` }] },
  channel: {
    type: 'websocket',
    payload: 'application/fhir+json',
    _payload: { extension: [{ url: `${BP}/backport-payload-content`, valueCode: 'full-resource' }] },
    extension: [{ url: `${BP}/backport-heartbeat-period`, valueUnsignedInt: 30 }],
  },
});
const param = (p: any, name: string) => p?.parameter?.find((x: any) => x.name === name);
const typeOf = (bundle: any) => param(bundle.entry?.[0]?.resource, 'type')?.valueCode;
const spo2Of = (bundle: any) =>
  (bundle.entry ?? [])
    .map((e: any) => e.resource)
    .filter((r: any) => r?.resourceType === 'Observation' && r.code.coding.some((c: any) => c.code === '59408-5'))
    .map((r: any) => r.valueQuantity.value as number);

/** The resident measures SpO2 in the booth (the station agent's batch); the hub stores it. */
async function measure(spo2: number) {
  const r = await postReadings(hub.url, cred, { sessionId: session.sessionId, readings: [reading('spo2', spo2)] });
  const body = (await r.json()) as { accepted: string[] };
  assert.equal(r.status, 200);
  assert.equal(body.accepted.length, 1, JSON.stringify(body));
}

/** A socket bound to the subscription, collecting its frames. */
async function bound(cookie: string, subId: string) {
  const t = await fhir(cookie, 'GET', `/Subscription/${subId}/$get-ws-binding-token`);
  assert.equal(t.status, 200, JSON.stringify(t.body));
  const ws = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/fhir/ws`);
  const frames: any[] = [];
  ws.on('message', (m) => frames.push(JSON.parse(m.toString())));
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  ws.send(`bind-with-token ${param(t.body, 'token').valueString}`);
  const until = async (pred: (f: any) => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const f = frames.find(pred);
      if (f) return f;
      await new Promise((r) => setTimeout(r, 25));
    }
    return undefined;
  };
  assert.ok(await until((f) => typeOf(f) === 'handshake'), 'handshake');
  return { ws, frames, until };
}

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
  cred = db.demo.station.credential;
  await createStaff(db.sql, { username: 'yte.115', displayName: 'Cấp cứu 115 Lan', role: 'medic', password: DEMO_PASSWORD });
  await createStaff(db.sql, { username: 'yte.khac', displayName: 'Cấp cứu 115 Hà', role: 'medic', password: DEMO_PASSWORD });
  [dung, an, binh, medic, otherMedic] = (await Promise.all(
    ['bacsi.dung', 'canbo.an', 'canbo.binh', 'yte.115', 'yte.khac'].map((u) => login(hub.url, u, DEMO_PASSWORD)),
  )) as [string, string, string, string, string];
  // A resident measures, sees the doctor, and the doctor escalates; officer An answers.
  session = await citizenSession(db, db.demo.station.id, '079160004321');
  await measure(88);
  assert.equal((await req(dung, 'PUT', '/api/consults/presence', { available: true })).status, 200);
  const q = await fetch(`${hub.url}/api/consults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Station ${cred}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify({ reason: 'breathing' }),
  });
  assert.equal(q.status, 201);
  const consult = ((await q.json()) as { consult: { id: string } }).consult;
  assert.equal((await req(dung, 'POST', `/api/consults/${consult.id}/accept`)).status, 200);
  const esc = await req(dung, 'POST', `/api/consults/${consult.id}/escalate`);
  assert.equal(esc.status, 201);
  callId = esc.body.call.id;
  assert.equal((await req(an, 'POST', `/api/calls/${callId}/answer`)).status, 200);
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

test('the owning officer follows the live vitals; a colleague of the same ward cannot; nothing else of FHIR is open', async () => {
  const refused = await fhir(binh, 'POST', '/Subscription', subscription(session.citizenId));
  assert.equal(refused.status, 403, 'a colleague who did not answer');
  assert.equal((await fhir(an, 'GET', `/Observation?patient=${session.citizenId}`)).status, 403, 'no FHIR search for officers');
  assert.equal((await fhir(an, 'GET', `/Patient/${session.citizenId}`)).status, 403, 'no FHIR read for officers');
  // (no session for them: a second session at the station would end the resident's)
  const other = await upsertCitizen(db.sql, { idNumber: '079160009999', fullName: 'Trần Văn Bảy', dateOfBirth: '01/01/1950', sex: 'Nam' });
  assert.equal((await fhir(an, 'POST', '/Subscription', subscription(other))).status, 403, 'another resident');

  const created = await fhir(an, 'POST', '/Subscription', subscription(session.citizenId));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const sock = await bound(an, created.body.id);
  // the resident re-measures in the booth
  await measure(93);
  const note = await sock.until((f) => typeOf(f) === 'event-notification' && spo2Of(f).length > 0);
  assert.ok(note, 'the re-measured SpO2 reaches the officer');
  assert.deepEqual(spo2Of(note), [93]);

  // each delivery is audited for the officer, with the call as its purpose
  const audit = await db.sql<{ detail: any }[]>`
    SELECT detail FROM audit_log WHERE actor = 'staff:canbo.an' AND action IN ('fhir.subscribe', 'fhir.read') ORDER BY id`;
  assert.deepEqual(
    audit.map((a) => a.detail.purpose),
    [`call:${callId}`, `call:${callId}`],
    JSON.stringify(audit),
  );
  sock.ws.terminate();
});

test('a 115 medic added to the call reads the handover and may follow the vitals; a medic not in it cannot', async () => {
  assert.equal((await req(medic, 'GET', `/api/calls/${callId}/medical`)).status, 404, 'not added yet');
  assert.equal((await req(an, 'POST', `/api/calls/${callId}/responders`, { username: 'yte.115', note: 'SpO2 thấp' })).status, 201);
  const h = await req(medic, 'GET', `/api/calls/${callId}/medical`);
  assert.equal(h.status, 200);
  assert.equal(h.body.handover.patient.id, session.citizenId);
  assert.equal(h.body.handover.vitals.find((v: any) => v.kind === 'spo2').value, 88);
  const [read] = await db.sql<{ detail: any }[]>`
    SELECT detail FROM audit_log WHERE actor = 'staff:yte.115' AND action = 'call.medical.read'`;
  assert.equal(read?.detail.purpose, `call:${callId}`);
  assert.equal(read?.detail.as, 'medic');

  assert.equal((await req(otherMedic, 'GET', `/api/calls/${callId}/medical`)).status, 404, 'a medic not in the call');
  assert.equal((await fhir(otherMedic, 'POST', '/Subscription', subscription(session.citizenId))).status, 403);
  assert.equal((await fhir(medic, 'POST', '/Subscription', subscription(session.citizenId))).status, 201);
  assert.equal((await req(binh, 'GET', `/api/calls/${callId}/medical`)).status, 404, 'an officer who did not answer');
});

test('when the call ends, notifications stop, no new socket binds, and the medic can no longer read', async () => {
  const created = await fhir(an, 'POST', '/Subscription', subscription(session.citizenId));
  assert.equal(created.status, 201);
  const sock = await bound(an, created.body.id);
  assert.equal((await req(an, 'POST', `/api/calls/${callId}/end`, { reason: 'resolved' })).status, 200);
  await measure(95);
  // the control: the resident's reading was stored and numbered for the subscription
  const [ev] = await db.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM fhir_subscription_events WHERE subscription_id = ${created.body.id}`;
  assert.equal(ev!.n, 1, 'the event was recorded');
  assert.equal(await sock.until((f) => typeOf(f) === 'event-notification', 1500), undefined, 'no delivery after the call');
  assert.equal((await fhir(an, 'GET', `/Subscription/${created.body.id}/$get-ws-binding-token`)).status, 403);
  assert.equal((await req(medic, 'GET', `/api/calls/${callId}/medical`)).status, 404);
  sock.ws.terminate();
});
