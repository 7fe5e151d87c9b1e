import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VITAL_KINDS, VITALS } from '@tram/contracts';
import { PROFILES, profileByLoinc } from './profiles.ts';

test('every vital kind has its R4 profile, with the codes and units of the contracts', () => {
  assert.deepEqual(Object.keys(PROFILES).sort(), [...VITAL_KINDS].sort());
  for (const k of VITAL_KINDS) {
    assert.equal(PROFILES[k].loinc, VITALS[k].loinc);
    assert.equal(profileByLoinc.get(VITALS[k].loinc[0]!.code)?.kind, k);
  }
  assert.equal(PROFILES.spo2.profile, 'http://hl7.org/fhir/StructureDefinition/oxygensat');
  assert.deepEqual(
    PROFILES.blood_pressure.components?.map((c) => [c.loinc.code, c.units, c.required]),
    [
      ['8480-6', ['mm[Hg]'], true],
      ['8462-4', ['mm[Hg]'], true],
      ['8478-0', ['mm[Hg]'], false],
    ],
  );
  assert.equal(PROFILES.blood_pressure.validateAgainstBase, true);
  assert.equal(PROFILES.weight.validateAgainstBase, undefined);
});
