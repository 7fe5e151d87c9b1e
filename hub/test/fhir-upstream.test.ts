// Forwarding to an upstream FHIR server: hub A forwards every stored Observation with
// fhir-kit-client to hub B (a second, real hub whose FHIR API takes writes from an integration
// client). B is down for a while: nothing is lost, nothing arrives twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, startTestHub } from './support/env.ts';
import { citizenSession, postReadings, reading } from './vitals-fixtures.ts';
import { freePort } from '../../scripts/ports.ts';
import { deferrer } from '@tram/testing/teardown.ts';

const TOKEN = 'integration-token-0123456789';

test('Observations reach the upstream exactly once, across an upstream outage', async (t) => {
  const defer = deferrer(t);
  const a = await freshDatabase(),
    b = await freshDatabase();
  defer(async () => {
    await a.drop();
    await b.drop();
  });
  const bPort = String(await freePort());
  const hubA = await startTestHub(a.url, { FHIR_UPSTREAM_URL: `http://127.0.0.1:${bPort}/fhir`, FHIR_UPSTREAM_TOKEN: TOKEN });
  defer(() => hubA.stop());
  const { sessionId } = await citizenSession(a, a.demo.station.id);
  const send = async (n: number) => {
    const r = await postReadings(hubA.url, a.demo.station.credential, {
      sessionId,
      readings: Array.from({ length: n }, (_, i) => reading('temperature', 36.5 + i / 10)),
    });
    assert.equal(r.status, 200);
    return (await r.json()).accepted.length as number;
  };
  const received = async () =>
    (await b.sql<{ n: number; max: number | null }[]>`SELECT count(*)::int AS n, max(version_id) AS max FROM fhir_received`)[0]!;
  const outbox = async () =>
    (await a.sql<{ n: number; attempts: number | null }[]>`SELECT count(*)::int AS n, max(attempts) AS attempts FROM fhir_outbox`)[0]!;

  // B is not running yet: A keeps trying
  assert.equal(await send(3), 3);
  await new Promise((r) => setTimeout(r, 1500));
  const waiting = await outbox();
  assert.equal(waiting.n, 3);
  assert.ok((waiting.attempts ?? 0) >= 1, 'A tried and recorded the failure');

  const hubB = await startTestHub(b.url, { PORT: bPort, FHIR_INTEGRATION_TOKEN: TOKEN });
  defer(() => hubB.stop());
  // a wrong token is refused by B
  const bad = await fetch(`http://127.0.0.1:${bPort}/fhir/Observation/x1`, {
    method: 'PUT',
    headers: { authorization: 'Bearer nope-nope-nope-nope', 'content-type': 'application/fhir+json' },
    body: '{}',
  });
  assert.equal(bad.status, 401);
  assert.equal((await bad.json()).resourceType, 'OperationOutcome');

  assert.equal(await send(2), 2);
  const deadline = Date.now() + 15_000;
  while ((await received()).n < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const got = await received();
  assert.equal(got.n, 5, 'every Observation arrived');
  assert.equal(got.max, 1, 'none arrived twice (a second PUT of the same content would not bump the version either)');
  // A deletes each outbox row once B has answered: the last one may still be going
  while ((await outbox()).n > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await outbox()).n, 0);
  const ids = async (sql: typeof a.sql, table: string) => (await sql.unsafe(`SELECT id::text FROM ${table} ORDER BY id`)).map((r) => r.id);
  assert.deepEqual(await ids(b.sql, 'fhir_received'), await ids(a.sql, 'fhir_observations'), 'the upstream holds them under the same ids');
});
