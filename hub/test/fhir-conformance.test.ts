// FHIR conformance findings of an independent validator, each pinned: no empty arrays, the session
// Encounter finished when the card is removed, $validate with effectivePeriod (vs-1 / per-1),
// impossible dates refused, $lastn paged by _count, ETag / Last-Modified on reads, XML refused
// with 406/415, unsupported interactions 405.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { breakGlassFor } from './fhir-care.ts';
import { citizenSession, normalSet, postReadings } from './vitals-fixtures.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let s: Awaited<ReturnType<typeof citizenSession>>;
let cookie: string;

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
  s = await citizenSession(db, db.demo.station.id);
  const r = await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: normalSet() });
  assert.equal(r.status, 200);
  cookie = await login(hub.url, 'bacsi.dung', DEMO_PASSWORD);
  await breakGlassFor(hub.url, cookie, s.citizenId);
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const call = (method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${hub.url}/fhir${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/fhir+json', ...init.headers },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
const hasEmptyArray = (v: unknown): boolean =>
  Array.isArray(v) ? v.length === 0 || v.some(hasEmptyArray) : !!v && typeof v === 'object' && Object.values(v).some(hasEmptyArray);

test('no empty arrays: an empty searchset has no entry; the CapabilityStatement has no empty list', async () => {
  const empty = await (await call('GET', `/Observation?patient=${s.citizenId}&code=9999-9`)).json();
  assert.equal(empty.total, 0);
  assert.equal('entry' in empty, false);
  assert.equal(hasEmptyArray(empty), false);
  assert.equal(hasEmptyArray(await (await call('GET', '/metadata')).json()), false);
});

test("removing the card finishes the session's Encounter with period.end", async () => {
  const r = await fetch(`${hub.url}/api/identity/session`, {
    method: 'DELETE',
    headers: { authorization: `Station ${db.demo.station.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'card_removed' }),
  });
  assert.equal(r.status, 200, await r.text());
  let enc: any;
  for (let i = 0; i < 50; i++) {
    enc = await (await call('GET', `/Encounter/${s.sessionId}`)).json();
    if (enc.status === 'finished') break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(enc.status, 'finished');
  assert.ok(Date.parse(enc.period.end) >= Date.parse(enc.period.start));
});

test('$validate: effectivePeriod is valid (vs-1 binds only dateTime); per-1 start <= end is checked', async () => {
  const body = (effective: Record<string, unknown>) => ({
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8310-5', display: 'Body temperature' }] },
    subject: { reference: `Patient/${s.citizenId}` },
    ...effective,
    valueQuantity: { value: 36.9, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' },
  });
  const okPeriod = await (
    await call('POST', '/Observation/$validate', {
      body: body({ effectivePeriod: { start: '2026-11-30T07:00:00Z', end: '2026-11-30T07:05:00Z' } }),
    })
  ).json();
  assert.deepEqual(
    okPeriod.issue.filter((i: any) => i.severity === 'error'),
    [],
  );
  const backwards = await (
    await call('POST', '/Observation/$validate', {
      body: body({ effectivePeriod: { start: '2026-11-30T08:00:00Z', end: '2026-11-30T07:00:00Z' } }),
    })
  ).json();
  assert.ok(backwards.issue.some((i: any) => i.severity === 'error' && /per-1/.test(i.details.text)));
  const impossible = await (
    await call('POST', '/Observation/$validate', { body: body({ effectiveDateTime: '2026-02-30T10:00:00Z' }) })
  ).json();
  assert.ok(
    impossible.issue.some((i: any) => i.severity === 'error'),
    'an impossible day is not a valid dateTime',
  );
});

test('impossible search dates are 400, not rolled over', async () => {
  for (const d of ['2026-02-30', '2026-11-30T25:00:00Z', '2026-13']) {
    const r = await call('GET', `/Observation?patient=${s.citizenId}&date=${encodeURIComponent(d)}`);
    assert.equal(r.status, 400, d);
    assert.equal((await r.json()).resourceType, 'OperationOutcome');
  }
});

test('$lastn honours _count, with a next link', async () => {
  const b = await (await call('GET', `/Observation/$lastn?patient=${s.citizenId}&_count=2`)).json();
  assert.equal(b.entry.length, 2);
  assert.ok(b.total > 2);
  assert.ok(b.link.some((l: any) => l.relation === 'next'));
});

test('reads carry ETag and Last-Modified from meta', async () => {
  const [row] = await db.sql`SELECT id FROM fhir_observations WHERE patient_id = ${s.citizenId} LIMIT 1`;
  const r = await call('GET', `/Observation/${row!.id}`);
  const obs = await r.json();
  assert.equal(r.headers.get('etag'), `W/"${obs.meta.versionId}"`);
  assert.equal(Date.parse(r.headers.get('last-modified')!), Math.floor(Date.parse(obs.meta.lastUpdated) / 1000) * 1000);
});

test('XML is refused: 406 for Accept or _format, 415 for an XML body', async () => {
  assert.equal((await call('GET', '/metadata', { headers: { accept: 'application/fhir+xml' } })).status, 406);
  assert.equal((await call('GET', `/Observation?patient=${s.citizenId}&_format=xml`)).status, 406);
  assert.equal((await call('GET', '/metadata', { headers: { accept: 'application/fhir+json, application/fhir+xml;q=0.5' } })).status, 200);
  const xml = await call('POST', '/Observation/$validate', { body: '<Observation/>', headers: { 'content-type': 'application/fhir+xml' } });
  assert.equal(xml.status, 415);
  assert.equal((await xml.json()).resourceType, 'OperationOutcome');
});

test('unsupported interactions on served types are 405 with Allow', async () => {
  for (const [method, path] of [
    ['POST', '/Patient'],
    ['DELETE', `/Patient/${s.citizenId}`],
    ['POST', '/Encounter'],
    ['DELETE', `/Observation/${s.sessionId}`],
  ] as const) {
    const r = await call(method, path, method === 'POST' ? { body: {} } : {});
    assert.equal(r.status, 405, `${method} ${path}`);
    assert.ok(r.headers.get('allow'));
  }
  assert.equal((await call('GET', '/Nothing')).status, 404);
});
