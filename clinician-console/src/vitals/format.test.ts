import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VITALS, VITAL_KINDS } from '@tram/contracts';
import { KIND_ORDER, UNIT_TEXT, flagText, kindText, reasonText, sexText, valueText, waitedText } from './format.ts';
import { i18n } from '../i18n.ts';
import { toSample } from '../fhir/observations.ts';

test('every vital kind of the contracts is shown once, with its unit in screen words', () => {
  assert.deepEqual([...KIND_ORDER].sort(), [...VITAL_KINDS].sort());
  for (const k of VITAL_KINDS) assert.ok(UNIT_TEXT[VITALS[k].unit], `no screen text for ${k}'s unit ${VITALS[k].unit}`);
});

test('codes the hub sends read as words; an unknown code reads as itself', () => {
  assert.equal(flagText('low_spo2'), 'SpO₂ thấp');
  assert.equal(reasonText('chest_pain'), 'Đau ngực');
  assert.equal(flagText('f_low_spo2'), 'f_low_spo2');
  assert.equal(reasonText('toString'), 'toString');
  assert.equal(valueText({ values: { systolic: 128, diastolic: 82 } }), '128/82');
  assert.equal(valueText({ value: 36.84 }), '36.8');
});

test('an Observation with any LOINC code of a kind becomes a sample of that kind', () => {
  for (const k of VITAL_KINDS) {
    for (const c of VITALS[k].loinc) {
      const o =
        k === 'blood_pressure'
          ? {
              component: VITALS.blood_pressure.components!.map((p, i) => ({
                code: { coding: [{ system: p.loinc.system, code: p.loinc.code }] },
                valueQuantity: { value: [130, 85, 100][i] },
              })),
            }
          : { valueQuantity: { value: 1, code: VITALS[k].unit } };
      const s = toSample({
        resourceType: 'Observation',
        id: `o-${c.code}`,
        effectiveDateTime: '2025-01-01T10:00:00Z',
        code: { coding: [{ system: c.system, code: c.code }] },
        ...o,
      });
      assert.equal(s?.kind, k, c.code);
    }
  }
  const bp = toSample({
    resourceType: 'Observation',
    id: 'bp',
    effectiveDateTime: '2025-01-01T10:00:00Z',
    code: { coding: [VITALS.blood_pressure.loinc[0]!] },
    component: [
      { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 150 } },
      { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 95 } },
    ],
  });
  assert.deepEqual(bp?.values, { systolic: 150, diastolic: 95 });
});

test('values outside the normal band read as words (↑ cao / ↓ thấp), not only colour; times are 24-hour', async () => {
  const { abnormal, abnormalText, clock24 } = await import('./format.ts');
  assert.equal(abnormal('blood_pressure', { values: { systolic: 148, diastolic: 92 } }), 'high');
  assert.equal(abnormal('blood_pressure', { values: { systolic: 128, diastolic: 82 } }), null);
  assert.equal(abnormal('blood_pressure', { values: { systolic: 130, diastolic: 95 } }), 'high', 'diastolic alone');
  assert.equal(abnormal('spo2', { value: 88 }), 'low');
  assert.equal(abnormal('temperature', { value: 38.6 }), 'high');
  assert.equal(abnormal('heart_rate', { value: 72 }), null);
  assert.equal(abnormal('weight', { value: 300 }), null, 'not judged');
  assert.equal(abnormalText('high'), '↑ cao');
  assert.equal(clock24(new Date(2026, 0, 1, 15, 7).getTime()), '15:07');
});

test('in English the same codes read in English only, and back in Vietnamese after switching back', (t) => {
  t.after(() => i18n.setLang('vi'));
  assert.equal(i18n.lang(), 'vi', 'Vietnamese by default');
  const since = new Date(Date.now() - 125_000).toISOString();
  assert.equal(waitedText(since, Date.now()), '2 phút');
  i18n.setLang('en');
  assert.equal(flagText('low_spo2'), 'Low SpO₂');
  assert.equal(reasonText('breathing'), 'Breathing difficulty');
  assert.equal(kindText('blood_pressure'), 'BP');
  assert.equal(sexText('Nữ'), 'F');
  assert.equal(waitedText(since, Date.now()), '2 min');
  i18n.setLang('vi');
  assert.equal(kindText('blood_pressure'), 'Huyết áp');
});
