// The officer's live vitals read the Observations the hub sends: checked against the hub's own
// Observation builder, so a change in what the hub writes breaks this test, not the console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readingObservation } from '../../../hub/src/vitals/observation.ts';
import { vitalOf } from './live-vitals.ts';

const ctx = { stationId: '7d1f3c1e-2b8a-4c52-9d3e-0f6a1b2c3d4e', citizenId: 'a1b2c3d4-0000-4000-8000-000000000001', encounterId: 'e1' };
const at = '2026-11-30T13:00:00.000Z';
const device = { id: 'nibp-1', model: 'Medlab NIBP2010', protocol: 'nibp2010' };

test('blood pressure from its two components, with the flag of its interpretation', () => {
  const o = readingObservation(
    ctx,
    { id: 'r1', kind: 'blood_pressure', values: { systolic: 171, diastolic: 104, mean: 126 }, unit: 'mm[Hg]', at, device } as never,
    'H',
  );
  assert.deepEqual(vitalOf(o), { kind: 'blood_pressure', at, unit: 'mm[Hg]', flag: 'H', values: { systolic: 171, diastolic: 104 } });
});

test('a value reading; normal has no flag; what is not a vital sign is skipped', () => {
  const o = readingObservation(ctx, { id: 'r2', kind: 'spo2', value: 97, unit: '%', at, device } as never, 'N');
  assert.deepEqual(vitalOf(o), { kind: 'spo2', at, unit: '%', value: 97 });
  assert.equal(vitalOf({ resourceType: 'Parameters' }), null);
  assert.equal(vitalOf({ ...o, code: { coding: [{ system: 'http://loinc.org', code: '0000-0' }] } }), null);
});
