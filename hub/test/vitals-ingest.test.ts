// Station ingest: readings become validated vital-signs Observations, once each; flags reach the kiosk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, listen, login, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { validateFully } from '../src/fhir/validate.ts';
import { stationSession } from '../src/identity/store.ts';
import { citizenSession, normalSet, postReadings, reading } from './vitals-fixtures.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let s: Awaited<ReturnType<typeof citizenSession>>;
before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
  s = await citizenSession(db, db.demo.station.id);
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const counts = async () =>
  (await db.sql`SELECT (SELECT count(*) FROM fhir_observations)::int AS obs, (SELECT count(*) FROM fhir_resources)::int AS res`)[0]!;

test('a batch of every kind becomes vital-signs Observations that pass the validator; BMI is derived', async () => {
  const batch = normalSet();
  const r = await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: batch });
  assert.equal(r.status, 200);
  const b = await r.json();
  assert.deepEqual(b.rejected, []);
  assert.deepEqual([...b.accepted].sort(), batch.map((x) => x.id).sort());
  assert.deepEqual(b.duplicates, []);
  assert.deepEqual(b.flags, []);
  assert.equal(b.derived.length, 1, 'BMI from the fresh height and weight');

  const rows = await db.sql<
    { resource: any; code: string }[]
  >`SELECT resource, code FROM fhir_observations WHERE encounter_id = ${s.sessionId}`;
  assert.equal(rows.length, batch.length + 1);
  for (const { resource } of rows) {
    assert.deepEqual(validateFully(resource), [], `${resource.code.coding[0].code} is valid`);
    assert.equal(resource.subject.reference, `Patient/${s.citizenId}`);
    assert.equal(resource.encounter.reference, `Encounter/${s.sessionId}`);
    assert.ok(resource.category.some((c: any) => c.coding.some((x: any) => x.code === 'vital-signs')));
  }
  const byCode = new Map(rows.map((x) => [x.code, x.resource]));
  assert.deepEqual([...byCode.keys()].sort(), ['29463-7', '39156-5', '2708-6', '8302-2', '8310-5', '85354-9', '8867-4', '9279-1'].sort());
  const spo2 = byCode.get('2708-6');
  assert.deepEqual(
    spo2.code.coding.map((c: any) => c.code),
    ['2708-6', '59408-5', '150456'],
  );
  assert.equal(byCode.get('8867-4').code.coding[1].code, '149530', 'pulse rate from the oximeter: MDC_PULS_OXIM_PULS_RATE');
  const bp = byCode.get('85354-9');
  assert.equal(bp.valueQuantity, undefined);
  assert.deepEqual(
    bp.component.map((c: any) => [c.code.coding[0].code, c.valueQuantity.value, c.valueQuantity.code]),
    [
      ['8480-6', 122, 'mm[Hg]'],
      ['8462-4', 78, 'mm[Hg]'],
      ['8478-0', 93, 'mm[Hg]'],
    ],
  );
  assert.equal(byCode.get('39156-5').valueQuantity.value, +(62.4 / 1.58 ** 2).toFixed(3));
  assert.equal(byCode.get('39156-5').valueQuantity.code, 'kg/m2');
  // PHD: the sensor and the gateway are Devices that exist
  const temp = byCode.get('8310-5');
  const [sensor] =
    await db.sql`SELECT resource FROM fhir_resources WHERE resource_type = 'Device' AND id = ${temp.device.reference.split('/')[1]}`;
  assert.equal(sensor!.resource.modelNumber, 'GY-MCU90614');
  const gw = temp.extension.find((e: any) => e.url === 'http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice').valueReference
    .reference;
  assert.equal(sensor!.resource.parent.reference, gw);
  assert.equal(temp.identifier[0].value, batch[2]!.id);
  const [enc] = await db.sql`SELECT resource FROM fhir_resources WHERE resource_type = 'Encounter' AND id = ${s.sessionId}`;
  assert.equal(enc!.resource.status, 'in-progress');
});

test('the same batch twice: duplicates, nothing doubled', async () => {
  const batch = [reading('temperature', 36.9), reading('heart_rate', 80)];
  const first = await (await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: batch })).json();
  assert.equal(first.accepted.length, 2);
  const before = await counts();
  const again = await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: batch });
  assert.equal(again.status, 200);
  const b = await again.json();
  assert.deepEqual(b.accepted, []);
  assert.deepEqual([...b.duplicates].sort(), batch.map((x) => x.id).sort());
  assert.deepEqual(await counts(), before);
  // a repeat inside one batch is a duplicate too
  const one = reading('spo2', 98);
  const c = await (await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: [one, one] })).json();
  assert.deepEqual([c.accepted, c.duplicates], [[one.id], [one.id]]);
});

test('out-of-range values raise flags in the response, as interpretation, and on the station topic', async () => {
  const kiosk = await listen(hub.url, { station: db.demo.station.credential });
  try {
    const t0 = Date.now();
    const batch = [
      reading('temperature', 38.4, new Date(t0 - 2000)),
      reading('spo2', 89),
      reading('blood_pressure', { systolic: 186, diastolic: 100 }),
      reading('heart_rate', 120, new Date(t0 - 5000)),
      reading('heart_rate', 45), // the later one counts: bradycardia
    ];
    const b = await (await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: batch })).json();
    assert.deepEqual(b.flags.map((f: any) => f.code).sort(), ['bradycardia', 'fever', 'hypertensive_crisis', 'low_spo2']);
    for (const f of b.flags) {
      assert.ok(f.message.vi.length > 20 && f.message.en.length > 20);
      assert.ok(f.observationId);
    }
    assert.match(b.flags.find((f: any) => f.code === 'hypertensive_crisis').message.vi, /186\/100 mmHg/);
    const e = await kiosk.next(
      (x) => x.type === 'vitals.observation' && x.data.observations.some((o: any) => o.readingId === batch[0]!.id),
    );
    assert.equal(e.data.sessionId, s.sessionId);
    assert.equal(e.data.observations.length, 5);
    assert.deepEqual(e.data.flags.map((f: any) => f.code).sort(), ['bradycardia', 'fever', 'hypertensive_crisis', 'low_spo2']);
    const bpSummary = e.data.observations.find((o: any) => o.kind === 'blood_pressure');
    assert.deepEqual(bpSummary.values, { systolic: 186, diastolic: 100 });
    assert.equal(bpSummary.interpretation, 'HH');
    const [row] = await db.sql`SELECT resource FROM fhir_observations WHERE reading_id = ${batch[0]!.id}`;
    assert.equal(row!.resource.interpretation[0].coding[0].code, 'H');
  } finally {
    kiosk.close();
  }
});

test('a big batch is split across several bus events, each under the NOTIFY limit', async () => {
  const kiosk = await listen(hub.url, { station: db.demo.station.credential });
  try {
    const batch = Array.from({ length: 100 }, (_, i) => reading('blood_pressure', { systolic: 120 + (i % 10), diastolic: 80, mean: 93 }));
    const b = await (await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: batch })).json();
    assert.equal(b.accepted.length, 100);
    const want = new Set(batch.map((x) => x.id));
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const got = new Set(
        kiosk.events.filter((e) => e.type === 'vitals.observation').flatMap((e) => e.data.observations.map((o: any) => o.readingId)),
      );
      if ([...want].every((id) => got.has(id))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const events = kiosk.events.filter((e) => e.type === 'vitals.observation');
    assert.ok(events.length >= 2, `split into ${events.length} events`);
    assert.equal(events.flatMap((e) => e.data.observations).filter((o: any) => want.has(o.readingId)).length, 100);
  } finally {
    kiosk.close();
  }
});

test('per-reading problems are rejected with a reason; the rest of the batch is stored', async () => {
  const before = await counts();
  const good = reading('weight', 70);
  const batch = [
    good,
    reading('temperature', 310, undefined, { unit: 'K' }), // unit outside the bodytemp binding
    reading('temperature', 52), // implausible
    reading('spo2', 101),
    reading('blood_pressure', { systolic: 70, diastolic: 90 }), // systolic below diastolic
    reading('heart_rate', 70, new Date(Date.parse(s.openedAt) - 3_600_000)), // before the session
  ];
  const b = await (await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: batch })).json();
  assert.deepEqual(b.accepted, [good.id]);
  assert.equal(b.rejected.length, 5);
  assert.match(b.rejected.find((x: any) => x.id === batch[1]!.id).reason, /^unit_not_allowed/);
  assert.match(b.rejected.find((x: any) => x.id === batch[2]!.id).reason, /^implausible/);
  assert.match(b.rejected.find((x: any) => x.id === batch[5]!.id).reason, /^outside_session/);
  assert.equal(b.derived.length, 1, 'a new weight with the earlier height of the session gives a new BMI');
  assert.equal((await counts()).obs, before.obs + 2);
});

test('bad input: clear 4xx, nothing written', async () => {
  const before = await counts();
  const cred = db.demo.station.credential;
  const expect = async (r: Response, status: number, code: string) => {
    assert.equal(r.status, status);
    const b = await r.json();
    assert.equal(b.error.code, code);
    assert.doesNotMatch(JSON.stringify(b), /at \w+ \(|node_modules|\.ts:\d+/);
    return b;
  };
  await expect(await postReadings(hub.url, cred, { sessionId: randomUUID(), readings: [reading('spo2', 97)] }), 409, 'no_citizen_session');
  const other = await citizenSession(db, db.demo.station.id, '079160009999'); // ends the first session
  await expect(await postReadings(hub.url, cred, { sessionId: 'nope', readings: [reading('spo2', 97)] }), 400, 'invalid_request');
  await expect(await postReadings(hub.url, cred, { sessionId: s.sessionId, readings: [] }), 400, 'invalid_request');
  await expect(
    await postReadings(hub.url, cred, { sessionId: s.sessionId, readings: Array.from({ length: 101 }, () => reading('spo2', 97)) }),
    400,
    'invalid_request',
  );
  let b = await expect(
    await postReadings(hub.url, cred, { sessionId: s.sessionId, readings: [reading('blood_pressure', 120)] }),
    400,
    'invalid_request',
  );
  assert.ok(b.error.issues.some((i: any) => i.path === 'readings.0.values'));
  b = await expect(
    await postReadings(hub.url, cred, { sessionId: s.sessionId, readings: [{ ...reading('spo2', 97), kind: 'glucose' }] }),
    400,
    'invalid_request',
  );
  await expect(
    await postReadings(hub.url, cred, { sessionId: s.sessionId, readings: [{ ...reading('spo2', 97), at: 'yesterday' }] }),
    400,
    'invalid_request',
  );
  await expect(
    await postReadings(hub.url, cred, { sessionId: s.sessionId, readings: [{ ...reading('spo2', 97), extra: 1 }] }),
    400,
    'invalid_request',
  );
  await expect(
    await postReadings(hub.url, 'tram-dao-kim-cuong-01:wrongwrongwrongwrongwrong', {
      sessionId: s.sessionId,
      readings: [reading('spo2', 97)],
    }),
    401,
    'unauthorized',
  );
  const police = await login(hub.url, 'canbo.an', DEMO_PASSWORD);
  await expect(
    await fetch(`${hub.url}/api/vitals/readings`, {
      method: 'POST',
      headers: { cookie: police, 'content-type': 'application/json' },
      body: '{}',
    }),
    403,
    'forbidden',
  );
  assert.deepEqual(await counts(), before);

  // the first session has ended: readings taken while it was open still land in it, later ones do not
  const endedAt = Date.parse((await stationSession(db.sql, db.demo.station.id, s.sessionId))!.endedAt!);
  const late = reading('temperature', 36.6, new Date(endedAt + 1000));
  const inside = reading('temperature', 36.6, new Date(endedAt - 1000));
  b = await (await postReadings(hub.url, cred, { sessionId: s.sessionId, readings: [inside, late] })).json();
  assert.deepEqual(b.accepted, [inside.id]);
  assert.match(b.rejected[0].reason, /^outside_session/);
  const [enc] = await db.sql`SELECT resource, version_id FROM fhir_resources WHERE resource_type = 'Encounter' AND id = ${s.sessionId}`;
  assert.equal(enc!.resource.status, 'finished');
  assert.ok(enc!.version_id >= 2, 'the Encounter got a new version when the session ended');
  // ...but only for a few minutes: an older session of the station is closed for good
  await db.sql`UPDATE citizen_sessions SET ended_at = now() - interval '6 minutes' WHERE id = ${s.sessionId}`;
  const old = await postReadings(hub.url, cred, {
    sessionId: s.sessionId,
    readings: [reading('temperature', 36.6, new Date(endedAt - 2000))],
  });
  assert.equal(old.status, 409);
  assert.equal((await old.json()).error.code, 'no_citizen_session');
  s = other;
});
