// "Who saw my information": the identified resident sees the staff reads of their data (who,
// when, which data, why) and nobody else's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { breakGlassFor } from './fhir-care.ts';
import { citizenSession, normalSet, postReadings } from './vitals-fixtures.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const mine = () => fetch(`${hub.url}/api/audit/mine`, { headers: { authorization: `Station ${db.demo.station.credential}` } });

test('the resident at the kiosk sees who read their data and why; the next resident does not', async () => {
  const s = await citizenSession(db, db.demo.station.id, '079160001111');
  assert.equal((await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: normalSet() })).status, 200);
  const doctor = await login(hub.url, 'bacsi.dung', DEMO_PASSWORD);
  await breakGlassFor(hub.url, doctor, s.citizenId);
  assert.equal((await fetch(`${hub.url}/fhir/Observation?patient=${s.citizenId}`, { headers: { cookie: doctor } })).status, 200);

  const r = await mine();
  assert.equal(r.status, 200);
  const log = await r.json();
  assert.equal(log.days, 90);
  const vitals = log.entries.find((e: any) => e.data === 'vitals');
  assert.equal(vitals.why, 'break_glass');
  assert.equal(vitals.role, 'clinician');
  assert.match(vitals.name, /^BS\./);
  assert.match(vitals.reason, /test: reading this patient/);
  assert.ok(
    log.entries.some((e: any) => e.why === 'break_glass' && e.data === 'identity'),
    'the break-glass itself is listed',
  );

  await citizenSession(db, db.demo.station.id, '079160002222');
  assert.deepEqual((await (await mine()).json()).entries, [], "the next resident sees nothing of the previous one's log");
  await db.sql`UPDATE citizen_sessions SET ended_at = now() WHERE station_id = ${db.demo.station.id} AND ended_at IS NULL`;
  assert.equal((await mine()).status, 409, 'nobody identified: nothing to show');
});
