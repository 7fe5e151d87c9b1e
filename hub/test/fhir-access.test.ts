// Health data only to whom needs it: a clinician reads the patients of the consults they accepted
// (and for CLINICIAN_ACCESS_HOURS after), anyone else only through an audited, flagged break-glass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { citizenSession, normalSet, postReadings } from './vitals-fixtures.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { createStaff } from '../src/auth/service.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let dung: string, hoa: string;
let mai: { citizenId: string; sessionId: string }, binh: { citizenId: string; sessionId: string };
let consultId: string;
const MAI_CCCD = '079160001234',
  BINH_CCCD = '079170005678';

before(async () => {
  db = await freshDatabase();
  await createStaff(db.sql, { username: 'bacsi.hoa', displayName: 'BS. Lý Thu Hòa', role: 'clinician', password: DEMO_PASSWORD });
  hub = await startTestHub(db.url);
  [dung, hoa] = [await login(hub.url, 'bacsi.dung', DEMO_PASSWORD), await login(hub.url, 'bacsi.hoa', DEMO_PASSWORD)];
  const cred = db.demo.station.credential;
  // Mai measures and sees bacsi.dung; then Binh measures at the same station
  mai = await citizenSession(db, db.demo.station.id, MAI_CCCD);
  assert.equal((await postReadings(hub.url, cred, { sessionId: mai.sessionId, readings: normalSet() })).status, 200);
  assert.equal((await fhir(dung, 'PUT', '/api/consults/presence', { available: true })).status, 200);
  const r = await fetch(`${hub.url}/api/consults`, {
    method: 'POST',
    headers: { authorization: `Station ${cred}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ reason: 'checkup' }),
  });
  assert.equal(r.status, 201);
  consultId = (await r.json()).consult.id;
  assert.equal((await fhir(dung, 'POST', `/api/consults/${consultId}/accept`)).status, 200);
  binh = await citizenSession(db, db.demo.station.id, BINH_CCCD);
  assert.equal((await postReadings(hub.url, cred, { sessionId: binh.sessionId, readings: normalSet() })).status, 200);
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

function fhir(cookie: string, method: string, path: string, body?: unknown) {
  return fetch(`${hub.url}${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const get = async (cookie: string, path: string) => {
  const r = await fhir(cookie, 'GET', path);
  return { status: r.status, body: (await r.json()) as any };
};
const patientsIn = (b: any) =>
  [...new Set((b.entry ?? []).map((e: any) => e.resource.subject?.reference ?? `Patient/${e.resource.id}`))].sort();

test('a clinician with no consult reads nobody: searches come back empty, reads and named searches are refused', async () => {
  assert.deepEqual(patientsIn((await get(hoa, '/fhir/Observation?_count=200')).body), []);
  assert.deepEqual(patientsIn((await get(hoa, `/fhir/Patient?identifier=${MAI_CCCD}`)).body), [], 'a CCCD number alone opens nothing');
  assert.deepEqual(patientsIn((await get(hoa, '/fhir/Encounter')).body), []);
  const read = await get(hoa, `/fhir/Patient/${mai.citizenId}`);
  assert.equal(read.status, 403);
  assert.equal(read.body.resourceType, 'OperationOutcome');
  assert.equal((await get(hoa, `/fhir/Observation?patient=${mai.citizenId}`)).status, 403);
  assert.equal((await get(hoa, `/fhir/Observation/$lastn?patient=${mai.citizenId}`)).status, 403);
  const obsId = (await db.sql`SELECT id FROM fhir_observations WHERE patient_id = ${mai.citizenId} LIMIT 1`)[0]!.id;
  assert.equal((await get(hoa, `/fhir/Observation/${obsId}`)).status, 403);
  const sub = await fhir(hoa, 'POST', '/fhir/Subscription', {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'watch',
    criteria: 'https://tram.vn/fhir/SubscriptionTopic/vital-signs-observation',
    _criteria: {
      extension: [
        {
          url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria',
          valueString: `Observation?patient=${mai.citizenId}`,
        },
      ],
    },
    channel: { type: 'websocket', payload: 'application/fhir+json' },
  });
  assert.equal(sub.status, 403, 'nobody subscribes to a patient outside their care');
  const denied = await db.sql`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'staff:bacsi.hoa' AND action = 'fhir.denied'`;
  assert.ok(denied[0]!.n >= 5, 'refused attempts are audited');
});

test('the accepting clinician reads their patient, and an unfiltered search returns only them, audited by patient', async () => {
  const all = await get(dung, '/fhir/Observation?_count=200');
  assert.equal(all.status, 200);
  assert.deepEqual(patientsIn(all.body), [`Patient/${mai.citizenId}`]);
  const [mine] = await db.sql`SELECT count(*)::int AS n FROM fhir_observations WHERE patient_id = ${mai.citizenId}`;
  assert.equal(all.body.total, mine!.n);
  const [audit] =
    await db.sql`SELECT subject, detail FROM audit_log WHERE actor = 'staff:bacsi.dung' AND action = 'fhir.search' ORDER BY id DESC LIMIT 1`;
  assert.deepEqual(audit!.detail.patients, [mai.citizenId], 'the audit row names the patients returned, not only the query');
  assert.equal(audit!.subject, `Patient/${mai.citizenId}`);
  assert.equal(audit!.detail.basis[mai.citizenId], `consult:${consultId}`);
  assert.equal((await get(dung, `/fhir/Patient/${mai.citizenId}`)).status, 200);
  assert.equal((await get(dung, `/fhir/Patient/${binh.citizenId}`)).status, 403);
  assert.deepEqual(patientsIn((await get(dung, `/fhir/Patient?identifier=${MAI_CCCD},${BINH_CCCD}`)).body), [`Patient/${mai.citizenId}`]);
});

test('break-glass: a typed reason is required, grants one patient for a time, and is audited and flagged', async () => {
  const short = await fhir(hoa, 'POST', '/fhir/$break-glass', { patient: binh.citizenId, reason: 'need' });
  assert.equal(short.status, 400);
  assert.equal((await get(hoa, `/fhir/Patient/${binh.citizenId}`)).status, 403, 'a refused break-glass grants nothing');
  const reason = 'Cấp cứu: bệnh nhân ngất tại trạm, bác sĩ phụ trách vắng';
  const ok = await fhir(hoa, 'POST', '/fhir/$break-glass', {
    resourceType: 'Parameters',
    parameter: [
      { name: 'patient', valueReference: { reference: `Patient/${binh.citizenId}` } },
      { name: 'reason', valueString: reason },
    ],
  });
  assert.equal(ok.status, 200);
  const granted: any = await ok.json();
  assert.ok(Date.parse(granted.parameter.find((p: any) => p.name === 'expires').valueInstant) > Date.now());
  assert.equal((await get(hoa, `/fhir/Patient/${binh.citizenId}`)).status, 200);
  assert.deepEqual(patientsIn((await get(hoa, '/fhir/Observation?_count=200')).body), [`Patient/${binh.citizenId}`]);
  assert.equal((await get(hoa, `/fhir/Patient/${mai.citizenId}`)).status, 403, 'only the one patient');
  const [bg] = await db.sql`SELECT subject, detail FROM audit_log WHERE actor = 'staff:bacsi.hoa' AND action = 'fhir.break_glass'`;
  assert.equal(bg!.subject, `Patient/${binh.citizenId}`);
  assert.equal(bg!.detail.reason, reason);
  assert.equal(bg!.detail.flagged, true);
  const [read] =
    await db.sql`SELECT detail FROM audit_log WHERE actor = 'staff:bacsi.hoa' AND action = 'fhir.read' ORDER BY id DESC LIMIT 1`;
  assert.match(read!.detail.basis, /^break-glass:/);
  // the grant runs out
  await db.sql`UPDATE fhir_break_glass SET expires_at = now() - interval '1 second' WHERE patient_id = ${binh.citizenId}`;
  assert.equal((await get(hoa, `/fhir/Patient/${binh.citizenId}`)).status, 403);
});

test('access through a consult ends CLINICIAN_ACCESS_HOURS (24) after the consult ended', async () => {
  await db.sql`UPDATE consults SET status = 'completed', ended_at = now() - interval '23 hours' WHERE id = ${consultId}`;
  assert.equal((await get(dung, `/fhir/Patient/${mai.citizenId}`)).status, 200);
  await db.sql`UPDATE consults SET ended_at = now() - interval '25 hours' WHERE id = ${consultId}`;
  assert.equal((await get(dung, `/fhir/Patient/${mai.citizenId}`)).status, 403);
  assert.deepEqual(patientsIn((await get(dung, '/fhir/Observation')).body), []);
});
