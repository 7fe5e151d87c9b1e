import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toLatestVitals } from './latest.ts';

const at = new Date('2025-01-02T03:04:05Z');
const q = (value: number, code: string) => ({ value, code, unit: code });
const bp = (systolic: number, diastolic?: number) => ({
  component: [
    { code: { coding: [{ code: '8480-6' }] }, valueQuantity: q(systolic, 'mm[Hg]') },
    ...(diastolic === undefined ? [] : [{ code: { coding: [{ code: '8462-4' }] }, valueQuantity: q(diastolic, 'mm[Hg]') }]),
  ],
});

test('the latest value of each known kind, flagged as a fresh reading would be', () => {
  const out = toLatestVitals([
    { code: '85354-9', effective: at, resource: bp(185, 95) },
    { code: '8310-5', effective: at, resource: { valueQuantity: q(38.4, 'Cel') } },
    { code: '39156-5', effective: at, resource: { valueQuantity: q(31.2, 'kg/m2') } },
    { code: '59408-5', effective: at, resource: { valueQuantity: q(97, '%') } }, // not a primary code: no kind
  ]);
  assert.deepEqual(out, [
    { kind: 'blood_pressure', values: { systolic: 185, diastolic: 95 }, unit: 'mm[Hg]', at: at.toISOString(), flag: 'hypertensive_crisis' },
    { kind: 'temperature', value: 38.4, unit: 'Cel', at: at.toISOString(), flag: 'fever' },
    { kind: 'bmi', value: 31.2, unit: 'kg/m2', at: at.toISOString() },
  ]);
});

test('a panel without its diastolic value is left out rather than shown half', () => {
  assert.deepEqual(toLatestVitals([{ code: '85354-9', effective: at, resource: bp(120) }]), []);
});
