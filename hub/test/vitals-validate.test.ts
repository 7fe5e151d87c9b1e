// The ingest path validates once per shape; it must agree with validating every instance in full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { validateFully, validateObservation, validatorStats } from '../src/fhir/validate.ts';
import { readingObservation } from '../src/vitals/observation.ts';
import { assess } from '../src/vitals/flags.ts';
import { reading, type Kind } from './vitals-fixtures.ts';

const ctx = { stationId: randomUUID(), citizenId: randomUUID(), encounterId: randomUUID() };
const values: Record<Kind, () => number | { systolic: number; diastolic: number; mean?: number }> = {
  temperature: () => 35 + Math.random() * 5,
  height: () => 140 + Math.random() * 50,
  weight: () => 40 + Math.random() * 60,
  spo2: () => Math.round(85 + Math.random() * 15),
  heart_rate: () => Math.round(40 + Math.random() * 90),
  respiratory_rate: () => Math.round(8 + Math.random() * 20),
  blood_pressure: () =>
    Math.random() < 0.5
      ? { systolic: 110 + Math.round(Math.random() * 90), diastolic: 70 + Math.round(Math.random() * 50) }
      : { systolic: 120, diastolic: 80, mean: 93 },
};

function build(kind: Kind) {
  const r = reading(kind, values[kind]()) as any;
  const canonical = kind === 'blood_pressure' ? r.values : r.value;
  return readingObservation(ctx, r, assess(kind, canonical).interpretation) as any;
}

test('cached and full validation agree on valid and broken Observations', () => {
  const kinds = Object.keys(values) as Kind[];
  const runsBefore = validatorStats.medplumRuns;
  for (let i = 0; i < 700; i++) {
    const obs = build(kinds[i % kinds.length]!);
    assert.deepEqual(validateObservation(obs), [], JSON.stringify(obs));
    assert.deepEqual(validateFully(obs), []);
  }
  const runs = validatorStats.medplumRuns - runsBefore;
  assert.ok(runs <= 40, `medplum ran ${runs} times for 700 Observations (once per shape)`);

  const breakers: [string, (o: any) => void][] = [
    [
      'id with a space',
      (o) => {
        o.id = 'not valid';
      },
    ],
    [
      'reference without type',
      (o) => {
        o.subject.reference = 'abc';
      },
    ],
    [
      'bad dateTime',
      (o) => {
        o.effectiveDateTime = '2025-13-01T10:00:00Z';
      },
    ],
    [
      'no category',
      (o) => {
        delete o.category;
      },
    ],
    [
      'status outside the value set',
      (o) => {
        o.status = 'done';
      },
    ],
    [
      'unit outside the binding',
      (o) => {
        if (o.valueQuantity) o.valueQuantity.code = 'K';
        else o.component[0].valueQuantity.code = 'K';
      },
    ],
    [
      'value not a number',
      (o) => {
        if (o.valueQuantity) o.valueQuantity.value = '37';
        else o.component[0].valueQuantity.value = '120';
      },
    ],
    [
      'unknown element',
      (o) => {
        o.colour = 'red';
      },
    ],
  ];
  for (const kind of kinds) {
    for (const [what, breakIt] of breakers) {
      const obs = build(kind);
      breakIt(obs);
      assert.ok(validateObservation(obs).length > 0, `${kind}: ${what} passes the cached validator`);
      assert.ok(validateFully(obs).length > 0, `${kind}: ${what} passes the full validator`);
    }
  }
});

test('Observations of many stations share their shapes; a station id that is not a FHIR id is refused', () => {
  const kinds = Object.keys(values) as Kind[];
  const ofStation = (stationId: string, kind: Kind) => {
    const r = reading(kind, values[kind]()) as any;
    const canonical = kind === 'blood_pressure' ? r.values : r.value;
    return readingObservation({ ...ctx, stationId }, r, assess(kind, canonical).interpretation) as any;
  };
  for (const kind of kinds) validateObservation(ofStation(randomUUID(), kind)); // every shape seen once
  const runsBefore = validatorStats.medplumRuns;
  for (let s = 0; s < 30; s++) {
    const stationId = randomUUID();
    for (const kind of kinds) assert.deepEqual(validateObservation(ofStation(stationId, kind)), []);
  }
  // interpretations (N/H/L…) still make shapes of their own; 30 stations must not
  assert.ok(validatorStats.medplumRuns - runsBefore <= 20, `medplum ran ${validatorStats.medplumRuns - runsBefore} times for 30 stations`);
  const broken = ofStation('not a station', 'temperature');
  assert.match(JSON.stringify(validateObservation(broken)), /system is not valid/);
});
