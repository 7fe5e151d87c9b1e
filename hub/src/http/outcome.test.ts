import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { fail, ok, refuse } from './outcome.ts';
import { fhirRefuse, issue } from '../fhir/outcome.ts';

test("a refusal is the hub's JSON error body, with its status and any detail", async () => {
  const app = new Hono()
    .get('/card', (c) =>
      refuse(c, fail(422, 'verification_failed', 'The ID card could not be verified', { failures: ['mrz_dg13_mismatch'] })),
    )
    .get('/call', (c) => refuse(c, fail(409, 'call_ended', 'This call has already ended')));
  const card = await app.request('/card');
  assert.equal(card.status, 422);
  assert.deepEqual(await card.json(), {
    error: { code: 'verification_failed', message: 'The ID card could not be verified', failures: ['mrz_dg13_mismatch'] },
  });
  const call = await app.request('/call');
  assert.equal(call.status, 409);
  assert.deepEqual(await call.json(), { error: { code: 'call_ended', message: 'This call has already ended' } });
  assert.deepEqual(ok(3), { ok: true, value: 3 });
});

test('under /fhir the same refusal is an OperationOutcome', async () => {
  const app = new Hono()
    .get('/gone', (c) => fhirRefuse(c, fail(404, 'not-found', 'Patient/x is not known')))
    .get('/bad', (c) =>
      fhirRefuse(c, fail(422, 'invalid', 'not valid', { issues: [issue('required', 'a', 'Observation.code'), issue('value', 'b')] })),
    );
  const gone = await app.request('/gone');
  assert.equal(gone.status, 404);
  assert.match(gone.headers.get('content-type')!, /application\/fhir\+json/);
  assert.deepEqual(await gone.json(), {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'not-found', details: { text: 'Patient/x is not known' } }],
  });
  const bad = await app.request('/bad');
  assert.equal(bad.status, 422);
  assert.deepEqual(
    (await bad.json()).issue.map((i: { code: string }) => i.code),
    ['required', 'value'],
  );
});
