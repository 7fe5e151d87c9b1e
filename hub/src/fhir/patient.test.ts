import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPatient } from './patient.ts';

const citizen = (dateOfBirth: string | null, sex: string | null) => ({
  id: 'c1',
  idNumber: '079160001234',
  fullName: 'Nguyễn Thị Mai',
  dateOfBirth,
  sex,
});

test('the date of birth as printed on the card becomes a FHIR date of the same precision', () => {
  assert.equal(renderPatient(citizen('12/03/1960', null)).birthDate, '1960-03-12');
  assert.equal(renderPatient(citizen('03/1960', null)).birthDate, '1960-03');
  assert.equal(renderPatient(citizen('1960', null)).birthDate, '1960');
  assert.equal('birthDate' in renderPatient(citizen('12-03-1960', null)), false);
});

test('sex in Vietnamese or English; anything else is unknown, nothing is absent', () => {
  assert.equal(renderPatient(citizen(null, 'Nữ')).gender, 'female');
  assert.equal(renderPatient(citizen(null, 'Nam')).gender, 'male');
  assert.equal(renderPatient(citizen(null, 'X')).gender, 'unknown');
  assert.equal('gender' in renderPatient(citizen(null, null)), false);
  assert.deepEqual(renderPatient(citizen(null, null)).identifier, [
    { use: 'official', system: 'https://id.gov.vn/cccd', value: '079160001234' },
  ]);
});
