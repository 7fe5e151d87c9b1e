import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Reading } from '@tram/contracts';
import { allowedUnits, checkReading, toCanonical } from './bounds.ts';

const device = { id: 'd1', model: 'M', protocol: 'p' };
const r = (kind: Reading['kind'], unit: string, v: number | { systolic: number; diastolic: number; mean?: number }): Reading => ({
  id: 'r1',
  kind,
  unit,
  at: '2025-01-01T00:00:00Z',
  device,
  ...(typeof v === 'number' ? { value: v } : { values: v }),
});

test("units are the vital-signs profiles' UCUM codes; BP components share mm[Hg]", () => {
  assert.deepEqual(allowedUnits('temperature'), ['Cel', '[degF]']);
  assert.deepEqual(allowedUnits('blood_pressure'), ['mm[Hg]']);
  assert.equal(toCanonical('[lb_av]', 100), 45.359237);
  assert.equal(toCanonical('g', 62400), 62.4);
  assert.equal(toCanonical('[in_i]', 10), 25.4);
});

test('a reading in another allowed unit is converted; one in a wrong unit is refused', () => {
  assert.deepEqual(checkReading(r('temperature', '[degF]', 100.4)), { ok: true, canonical: 38 });
  const wrong = checkReading(r('temperature', 'kg', 37));
  assert.equal(wrong.ok, false);
  assert.match((wrong as { reason: string }).reason, /^unit_not_allowed: temperature takes Cel or \[degF\], got kg/);
});

test('implausible values are device faults: refused, not flagged', () => {
  assert.match((checkReading(r('spo2', '%', 40)) as { reason: string }).reason, /^implausible: spo2 40 % outside 50..100/);
  assert.match(
    (checkReading(r('blood_pressure', 'mm[Hg]', { systolic: 80, diastolic: 90 })) as { reason: string }).reason,
    /systolic must be above diastolic/,
  );
  assert.match(
    (checkReading(r('blood_pressure', 'mm[Hg]', { systolic: 120, diastolic: 80, mean: 130 })) as { reason: string }).reason,
    /mean must lie between/,
  );
  assert.deepEqual(checkReading(r('blood_pressure', 'mm[Hg]', { systolic: 120, diastolic: 80 })), {
    ok: true,
    canonical: { systolic: 120, diastolic: 80 },
  });
});
