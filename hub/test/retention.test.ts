// Retention: an admin erases a citizen on request (Decree 13/2023) with the audit trail intact,
// and the purge removes what has outlived its period while keeping what has not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { breakGlassFor } from './fhir-care.ts';
import { citizenSession, normalSet, postReadings } from './vitals-fixtures.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let admin: string, doctor: string;

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url, { RETENTION_OBSERVATION_DAYS: '30', RETENTION_TECHNICAL_DAYS: '7' });
  [admin, doctor] = [await login(hub.url, 'quantri', DEMO_PASSWORD), await login(hub.url, 'bacsi.dung', DEMO_PASSWORD)];
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const post = (cookie: string, path: string, body: unknown = {}) =>
  fetch(`${hub.url}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const endSession = () =>
  fetch(`${hub.url}/api/identity/session`, {
    method: 'DELETE',
    headers: { authorization: `Station ${db.demo.station.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'card_removed' }),
  });

test('an admin erases a citizen with a reason: health data and identity gone, the audit trail whole and the erasure recorded', async () => {
  const s = await citizenSession(db, db.demo.station.id, '079160004321');
  assert.equal((await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: normalSet() })).status, 200);
  await breakGlassFor(hub.url, doctor, s.citizenId);
  assert.equal((await fetch(`${hub.url}/fhir/Patient/${s.citizenId}`, { headers: { cookie: doctor } })).status, 200);
  const erase = (cookie: string, body: unknown) => post(cookie, `/api/admin/citizens/${s.citizenId}/erase`, body);
  const reason = 'Yêu cầu xóa dữ liệu của công dân theo Nghị định 13/2023, đơn số 42';

  assert.equal((await erase(admin, { reason })).status, 409, 'not while the resident is at the station');
  assert.equal((await endSession()).status, 200);
  assert.equal((await erase(doctor, { reason })).status, 403, 'admins only');
  assert.equal((await erase(admin, { reason: 'short' })).status, 400, 'a reason is required');
  assert.equal((await post(admin, `/api/admin/citizens/${randomUUID()}/erase`, { reason })).status, 404);
  const auditBefore = (await db.sql`SELECT count(*)::int AS n FROM audit_log WHERE subject LIKE ${`%${s.citizenId}%`}`)[0]!.n;
  assert.ok(auditBefore > 0);

  const r = await erase(admin, { reason });
  assert.equal(r.status, 200, await r.clone().text());
  assert.ok((await r.json()).removed.observations > 0);
  const [c] = await db.sql`SELECT id_number, full_name, date_of_birth, erased_at FROM citizens WHERE id = ${s.citizenId}`;
  assert.deepEqual([c!.id_number, c!.full_name, c!.date_of_birth], [null, null, null]);
  assert.ok(c!.erased_at);
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM fhir_observations WHERE patient_id = ${s.citizenId}`)[0]!.n, 0);
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM fhir_resources WHERE patient_id = ${s.citizenId}`)[0]!.n, 0);
  // the trail keeps its rows about the (now pseudonymous) id, and says who erased, when and why
  const auditAfter = (await db.sql`SELECT count(*)::int AS n FROM audit_log WHERE subject LIKE ${`%${s.citizenId}%`}`)[0]!.n;
  assert.ok(auditAfter >= auditBefore + 1);
  const [row] =
    await db.sql`SELECT actor, at, detail FROM audit_log WHERE action = 'citizen.erase' AND subject = ${`citizen:${s.citizenId}`}`;
  assert.equal(row!.actor, 'staff:quantri');
  assert.equal(row!.detail.reason, reason);
  assert.equal((await fetch(`${hub.url}/fhir/Patient/${s.citizenId}`, { headers: { cookie: doctor } })).status, 404);
  assert.equal((await erase(admin, { reason })).status, 409, 'once');
});

test('the purge removes what outlived its period and keeps the rest', async () => {
  const s = await citizenSession(db, db.demo.station.id, '079160006543');
  assert.equal((await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: normalSet() })).status, 200);
  const [old] = await db.sql`UPDATE fhir_observations SET effective = now() - interval '40 days'
                             WHERE id = (SELECT id FROM fhir_observations WHERE patient_id = ${s.citizenId} LIMIT 1) RETURNING id`;
  const kept = (await db.sql`SELECT count(*)::int AS n FROM fhir_observations WHERE patient_id = ${s.citizenId}`)[0]!.n - 1;
  await db.sql`INSERT INTO identity_challenges (station_id, nonce, expires_at, used_at) VALUES (${db.demo.station.id}, ${randomBytes(8)}, now(), now())`;
  await db.sql`INSERT INTO webhook_deliveries (id, received_at) VALUES ('old-hook', now() - interval '8 days'), ('new-hook', now())`;
  await db.sql`INSERT INTO staff_sessions (token_hash, staff_id, expires_at) SELECT ${randomBytes(32)}, id, now() - interval '1 hour' FROM staff WHERE username = 'bacsi.dung'`;
  await db.sql`INSERT INTO station_self_tests (station_id, trigger, status, created_at, finished_at, deadline_at) VALUES
    (${db.demo.station.id}, 'nightly', 'passed', now() - interval '9 days', now() - interval '9 days', now() - interval '9 days'),
    (${db.demo.station.id}, 'nightly', 'failed', now() - interval '1 day', now() - interval '1 day', now() - interval '1 day')`;

  const r = await post(admin, '/api/admin/retention/purge');
  assert.equal(r.status, 200);
  const { removed } = await r.json();
  assert.ok(
    removed.observations >= 1 && removed.challenges >= 1 && removed.webhookIds >= 1 && removed.staffSessions >= 1,
    JSON.stringify(removed),
  );
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM fhir_observations WHERE id = ${old!.id}`)[0]!.n, 0);
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM fhir_observations WHERE patient_id = ${s.citizenId}`)[0]!.n, kept);
  assert.deepEqual(
    (await db.sql`SELECT id FROM webhook_deliveries WHERE id IN ('old-hook', 'new-hook')`).map((x) => x.id),
    ['new-hook'],
  );
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM staff_sessions WHERE expires_at < now()`)[0]!.n, 0);
  assert.deepEqual(
    (await db.sql`SELECT status FROM station_self_tests WHERE station_id = ${db.demo.station.id}`).map((x) => x.status),
    ['failed'],
    "a self-test older than the technical period goes, last night's stays",
  );
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'retention.purge'`)[0]!.n, 1);
  assert.equal((await fetch(`${hub.url}/fhir/metadata`, { headers: { cookie: admin } })).status, 200, 'the admin session survived');
});
