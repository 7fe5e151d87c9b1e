// The FHIR facade driven by a real FHIR client (fhir-kit-client 2.x) against a running hub.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'fhir-kit-client';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { validateFully } from '../src/fhir/validate.ts';
import { upsertResources } from '../src/fhir/store.ts';
import { breakGlassFor } from './fhir-care.ts';
import { citizenSession, normalSet, postReadings, reading } from './vitals-fixtures.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let s: Awaited<ReturnType<typeof citizenSession>>;
let client: Client;
let cookie: string;
const temps: ReturnType<typeof reading>[] = [];
let t0: number;
const LOINC = 'http://loinc.org';

before(async () => {
  db = await freshDatabase();
  // One clinician makes every request of this file, back to back: the per-caller limit (tested in
  // bad-input and the route tests) is not what this file checks, and faster ingest left its
  // $validate calls short of tokens (429) in a full run.
  hub = await startTestHub(db.url, { RATE_LIMIT_BURST: '1000' });
  s = await citizenSession(db, db.demo.station.id);
  // 12 temperatures 3 s apart (for date and paging), then one of each kind
  t0 = Math.floor(Date.now() / 1000) * 1000 - 45_000;
  for (let i = 0; i < 12; i++) temps.push(reading('temperature', 36 + i / 10, new Date(t0 + i * 3000)));
  let r = await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: temps });
  assert.equal((await r.json()).accepted.length, 12);
  r = await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: normalSet(new Date(t0 + 40_000)) });
  assert.equal((await r.json()).accepted.length, 7);
  cookie = await login(hub.url, 'bacsi.dung', DEMO_PASSWORD);
  await breakGlassFor(hub.url, cookie, s.citizenId);
  client = new Client({ baseUrl: `${hub.url}/fhir`, customHeaders: { cookie } });
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const ids = (b: any) => (b.entry ?? []).map((e: any) => e.resource.id as string);
const auditCount = async () =>
  (await db.sql`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'staff:bacsi.dung' AND action IN ('fhir.read', 'fhir.search')`)[0]!
    .n as number;
async function fails(p: Promise<unknown>, status: number): Promise<any> {
  try {
    await p;
  } catch (err: any) {
    assert.equal(err.response?.status, status, err.message);
    assert.equal(err.response.data.resourceType, 'OperationOutcome');
    assert.ok(err.response.data.issue[0].details.text.length > 5);
    assert.doesNotMatch(JSON.stringify(err.response.data), /at \w+ \(|node_modules|\.ts:\d+/);
    return err.response.data;
  }
  assert.fail(`expected HTTP ${status}`);
}

test('metadata is a CapabilityStatement for R4 that lists what is served', async () => {
  const cs: any = await new Client({ baseUrl: `${hub.url}/fhir` }).capabilityStatement(); // no login needed
  assert.equal(cs.resourceType, 'CapabilityStatement');
  assert.equal(cs.fhirVersion, '4.0.1');
  const types = cs.rest[0].resource.map((r: any) => r.type);
  assert.deepEqual(types, ['Patient', 'Observation', 'Encounter', 'Device', 'ClinicalImpression', 'Subscription']);
  const obs = cs.rest[0].resource[1];
  assert.deepEqual(obs.searchParam.map((p: any) => p.name).sort(), [
    '_count',
    '_id',
    '_offset',
    'category',
    'code',
    'date',
    'encounter',
    'patient',
    'subject',
  ]);
  const r = await fetch(`${hub.url}/fhir/metadata`);
  assert.match(r.headers.get('content-type')!, /application\/fhir\+json/);
});

test('read Patient, Observation, Encounter, Device; each read is audited', async () => {
  const before = await auditCount();
  const p: any = await client.read({ resourceType: 'Patient', id: s.citizenId });
  assert.deepEqual(p.identifier[0], { use: 'official', system: 'https://id.gov.vn/cccd', value: '079160001234' });
  assert.equal(p.birthDate, '1960-03-12');
  assert.equal(p.gender, 'female');
  const search: any = await client.search({
    resourceType: 'Observation',
    searchParams: { patient: s.citizenId, code: `${LOINC}|8310-5`, _count: 1 },
  });
  const o: any = await client.read({ resourceType: 'Observation', id: search.entry[0].resource.id });
  assert.equal(o.meta.versionId, '1');
  assert.ok(Date.parse(o.meta.lastUpdated) > 0);
  assert.deepEqual(validateFully(o), []);
  const e: any = await client.read({ resourceType: 'Encounter', id: s.sessionId });
  assert.equal(e.subject.reference, `Patient/${s.citizenId}`);
  const d: any = await client.read({ resourceType: 'Device', id: o.device.reference.split('/')[1] });
  assert.equal(d.type.coding[0].code, '65573');
  assert.equal(d.specialization[0].systemType.coding[0].code, '528392');
  const gw: any = await client.read({ resourceType: 'Device', id: d.parent.reference.split('/')[1] });
  assert.equal(gw.identifier[0].value, 'tram-dao-kim-cuong-01');
  assert.equal(await auditCount(), before + 6);
  const [row] = await db.sql`SELECT subject, detail FROM audit_log WHERE action = 'fhir.read' AND subject = ${`Observation/${o.id}`}`;
  assert.equal(row!.detail.patient, s.citizenId);
});

test('Observation search: every parameter, sort and paging', async () => {
  const q = (p: Record<string, string | number>) => client.search({ resourceType: 'Observation', searchParams: p }) as Promise<any>;
  const all = await q({ patient: s.citizenId, _count: 100 });
  assert.equal(all.type, 'searchset');
  assert.equal(all.total, 20); // 12 + 7 + BMI
  assert.deepEqual(ids(await q({ subject: `Patient/${s.citizenId}`, _count: 100 })).sort(), ids(all).sort());
  assert.equal((await q({ patient: `Patient/${s.citizenId}`, _count: 100 })).entry.length, 20);
  await fails(q({ patient: randomUUID() }), 403); // not in this clinician's care (fhir-access.test.ts)
  assert.equal((await q({ encounter: `Encounter/${s.sessionId}`, _count: 100 })).total, 20);
  assert.equal((await q({ encounter: randomUUID() })).total, 0);
  assert.equal((await q({ patient: s.citizenId, code: `${LOINC}|8310-5`, _count: 100 })).total, 13);
  assert.equal((await q({ patient: s.citizenId, code: '8310-5' })).total, 13);
  assert.equal((await q({ patient: s.citizenId, code: 'urn:iso:std:iso:11073:10101|150456' })).total, 1);
  assert.equal((await q({ patient: s.citizenId, code: `${LOINC}|59408-5,${LOINC}|85354-9` })).total, 2);
  assert.equal((await q({ patient: s.citizenId, code: 'http://snomed.info/sct|8310-5' })).total, 0);
  const countOnly = await q({ category: 'http://terminology.hl7.org/CodeSystem/observation-category|vital-signs', _count: 0 });
  assert.equal(countOnly.total, 20);
  assert.equal(countOnly.entry, undefined, 'FHIR JSON has no empty arrays: an empty page has no entry');
  assert.equal(
    countOnly.link.some((l: any) => l.relation === 'next'),
    false,
    '_count=0 has no next page',
  );
  assert.equal((await q({ category: 'laboratory' })).total, 0);

  // date prefixes against second-precision instants (the readings are 3 s apart from t0)
  const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const temp = { patient: s.citizenId, code: '8310-5' };
  const n = async (...dates: string[]) =>
    ((await client.search({ resourceType: 'Observation', searchParams: { ...temp, date: dates as any } })) as any).total;
  assert.equal(await n(at(t0 + 9000)), 1);
  assert.equal(await n(`eq${at(t0 + 9000)}`), 1);
  assert.equal(await n(`gt${at(t0 + 9000)}`), 9); // readings 4..11 + the one at +40 s
  assert.equal(await n(`ge${at(t0 + 9000)}`), 10);
  assert.equal(await n(`lt${at(t0 + 9000)}`), 3);
  assert.equal(await n(`le${at(t0 + 9000)}`), 4);
  assert.equal(await n(`ge${at(t0 + 3000)}`, `lt${at(t0 + 12_000)}`), 3);
  const day = new Date(t0 + 7 * 3600_000).toISOString().slice(0, 10); // the day in UTC+7
  assert.equal(await n(day), 13);
  assert.equal(await n(`gt${day}`), 0);
  assert.equal(await n(`lt${day}`), 0);

  // _sort and paging
  const asc = await q({ ...temp, _sort: 'date', _count: 100 });
  const times = asc.entry.map((e: any) => Date.parse(e.resource.effectiveDateTime));
  assert.deepEqual(
    times,
    [...times].sort((a: number, b: number) => a - b),
  );
  const desc = await q({ ...temp, _sort: '-date', _count: 100 });
  assert.deepEqual(ids(desc), ids(asc).reverse());
  let page = await q({ ...temp, _sort: 'date', _count: 5 });
  const seen: string[] = [];
  let pages = 0;
  while (page) {
    pages++;
    assert.equal(page.link.find((l: any) => l.relation === 'self').url.startsWith(`${hub.url}/fhir/Observation?`), true);
    seen.push(...ids(page));
    page = await client.nextPage({ bundle: page });
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, ids(asc));
});

test('$lastn gives the latest per code', async () => {
  const one: any = await client.operation({ resourceType: 'Observation', name: '$lastn', method: 'GET', input: { patient: s.citizenId } });
  assert.equal(one.resourceType, 'Bundle');
  const codes = one.entry.map((e: any) => e.resource.code.coding[0].code).sort();
  assert.deepEqual(codes, ['2708-6', '29463-7', '39156-5', '8302-2', '8310-5', '85354-9', '8867-4', '9279-1'].sort());
  const t = one.entry.find((e: any) => e.resource.code.coding[0].code === '8310-5').resource;
  assert.equal(t.valueQuantity.value, 36.7); // the normal set's, measured last
  const three: any = await client.operation({
    resourceType: 'Observation',
    name: '$lastn',
    method: 'GET',
    input: { patient: s.citizenId, max: 3, code: '8310-5', category: 'vital-signs' },
  });
  assert.deepEqual(
    three.entry.map((e: any) => e.resource.valueQuantity.value),
    [36.7, 37.1, 37],
  );
  await fails(client.operation({ resourceType: 'Observation', name: '$lastn', method: 'GET', input: { max: 2 } }), 400);
  await fails(
    client.operation({ resourceType: 'Observation', name: '$lastn', method: 'GET', input: { patient: s.citizenId, max: 0 } }),
    400,
  );
});

test('Patient, Encounter and Device search', async () => {
  const byCccd: any = await client.search({ resourceType: 'Patient', searchParams: { identifier: 'https://id.gov.vn/cccd|079160001234' } });
  assert.deepEqual(ids(byCccd), [s.citizenId]);
  assert.deepEqual(ids(await client.search({ resourceType: 'Patient', searchParams: { _id: s.citizenId } })), [s.citizenId]);
  assert.equal(
    ((await client.search({ resourceType: 'Patient', searchParams: { identifier: 'https://id.gov.vn/cccd|079160009999' } })) as any).total,
    0,
  );
  assert.deepEqual(ids(await client.search({ resourceType: 'Encounter', searchParams: { patient: s.citizenId } })), [s.sessionId]);
  const devices: any = await client.search({ resourceType: 'Device', searchParams: {} });
  assert.equal(devices.total, 6); // the gateway and five sensors
  // other domains store their resources through the same store (consults: visit notes)
  const noteId = randomUUID();
  await upsertResources(db.sql, [
    {
      type: 'ClinicalImpression',
      id: noteId,
      stationId: db.demo.station.id,
      patientId: s.citizenId,
      resource: {
        resourceType: 'ClinicalImpression',
        id: noteId,
        status: 'completed',
        subject: { reference: `Patient/${s.citizenId}` },
        description: 'Đau đầu',
      },
    },
  ]);
  const note: any = await client.read({ resourceType: 'ClinicalImpression', id: noteId });
  assert.equal(note.meta.versionId, '1');
  assert.deepEqual(ids(await client.search({ resourceType: 'ClinicalImpression', searchParams: { patient: s.citizenId } })), [noteId]);
});

test('batch of reads through the base URL with a trailing slash', async () => {
  // a POST to /fhir (no slash) reaches the same handler
  const plain = await fetch(`${hub.url}/fhir`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [] }),
  });
  assert.equal((await plain.json()).type, 'batch-response');
  const r: any = await client.batch({
    body: {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'GET', url: `Patient/${s.citizenId}` } },
        { request: { method: 'GET', url: `Observation?patient=${s.citizenId}&code=8867-4` } },
        { request: { method: 'GET', url: `Patient/${randomUUID()}` } },
      ],
    },
  });
  assert.equal(r.type, 'batch-response');
  assert.deepEqual(
    r.entry.map((e: any) => e.response.status.split(' ')[0]),
    ['200', '200', '404'],
  );
  assert.equal(r.entry[1].resource.total, 1);
  await fails(client.transaction({ body: { resourceType: 'Bundle', type: 'transaction', entry: [] } }), 422);
});

test('errors are OperationOutcomes with the right status', async () => {
  await fails(client.read({ resourceType: 'Observation', id: randomUUID() }), 404);
  await fails(client.read({ resourceType: 'Patient', id: 'not-a-known-id' }), 404);
  await fails(client.read({ resourceType: 'Device', id: 'bad id!' }), 400);
  await fails(client.search({ resourceType: 'Observation', searchParams: { patient: 'x y' } }), 400);
  await fails(client.search({ resourceType: 'Observation', searchParams: { date: 'tomorrow' } }), 400);
  await fails(client.search({ resourceType: 'Observation', searchParams: { date: 'ne2025-01-01' } }), 400);
  await fails(client.search({ resourceType: 'Observation', searchParams: { 'value-quantity': '37' } }), 400);
  await fails(client.search({ resourceType: 'Observation', searchParams: { _count: 5000 } }), 400);
  await fails(client.search({ resourceType: 'Observation', searchParams: { _sort: 'value' } }), 400);
  await fails(client.search({ resourceType: 'Patient', searchParams: {} }), 400);
  await fails(client.read({ resourceType: 'Condition', id: randomUUID() }), 404);
  await fails(client.create({ resourceType: 'Observation', body: { resourceType: 'Observation' } }), 405);
});

test('a hand-made invalid Observation is rejected with an OperationOutcome; nothing is stored', async () => {
  const stored = (await db.sql`SELECT count(*)::int AS n FROM fhir_observations`)[0]!.n;
  const good: any = await client.read({
    resourceType: 'Observation',
    id: (await db.sql`SELECT id FROM fhir_observations WHERE code = '85354-9' LIMIT 1`)[0]!.id,
  });
  delete good.meta;
  const ok: any = await client.operation({ resourceType: 'Observation', name: '$validate', input: good });
  assert.deepEqual(
    ok.issue.map((i: any) => i.severity),
    ['information'],
    JSON.stringify(ok),
  );
  const v = async (o: any) =>
    ((await client.operation({ resourceType: 'Observation', name: '$validate', input: o })) as any).issue
      .filter((i: any) => i.severity === 'error')
      .map((i: any) => i.details.text as string);
  const noCategory = { ...good };
  delete noCategory.category;
  assert.ok((await v(noCategory)).length > 0);
  const kelvin = structuredClone(good);
  kelvin.component[0].valueQuantity.code = 'K';
  assert.match((await v(kelvin)).join('\n'), /unit "K" is not allowed/);
  const noDiastolic = structuredClone(good);
  noDiastolic.component.splice(1, 1);
  assert.match((await v(noDiastolic)).join('\n'), /8462-4/);
  const badDate = { ...good, effectiveDateTime: '2025-02-30T25:00:00Z' };
  assert.ok((await v(badDate)).length > 0);
  const badStatus = { ...good, status: 'done' };
  assert.match((await v(badStatus)).join('\n'), /status/);
  const asParameters = await client.operation({
    resourceType: 'Observation',
    name: '$validate',
    input: { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: noCategory }] },
  });
  assert.equal((asParameters as any).issue[0].severity, 'error');
  // the same checks guard ingest: validateFully and the ingest path agree on a stored resource
  assert.deepEqual(validateFully({ ...good, meta: undefined }), []);
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM fhir_observations`)[0]!.n, stored);
});

test('police and anonymous callers are refused with OperationOutcomes; nothing is audited for them', async () => {
  const police = new Client({ baseUrl: `${hub.url}/fhir`, customHeaders: { cookie: await login(hub.url, 'canbo.an', DEMO_PASSWORD) } });
  const anon = new Client({ baseUrl: `${hub.url}/fhir` });
  const outcome = await fails(police.read({ resourceType: 'Patient', id: s.citizenId }), 403);
  assert.equal(outcome.issue[0].code, 'forbidden');
  await fails(police.search({ resourceType: 'Observation', searchParams: { patient: s.citizenId } }), 403);
  await fails(police.operation({ resourceType: 'Observation', name: '$lastn', method: 'GET', input: { patient: s.citizenId } }), 403);
  await fails(anon.read({ resourceType: 'Observation', id: randomUUID() }), 401);
  await fails(anon.batch({ body: { resourceType: 'Bundle', type: 'batch', entry: [] } }), 401);
  const [n] = await db.sql`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'fhir.%' AND actor <> 'staff:bacsi.dung'`;
  assert.equal(n!.n, 0);
});
