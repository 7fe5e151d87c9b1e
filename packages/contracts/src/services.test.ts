import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICES, formSchemaOf, submitServiceBody } from './index.ts';

test('the catalogue: unique codes, both languages, two sentences before any form, every form builds', () => {
  assert.equal(new Set(SERVICES.map((s) => s.code)).size, SERVICES.length);
  for (const code of [
    'temporary_residence',
    'temporary_absence',
    'stay_notice',
    'permanent_residence',
    'id_card_appointment',
    'old_id_confirmation',
    'traffic_fine',
    'birth_registration',
    'death_registration',
    'marital_status',
    'judicial_record',
    'electricity',
    'water',
    'apartment_fee',
    'health_insurance',
  ])
    assert.ok(
      SERVICES.some((s) => s.code === code),
      code,
    );
  for (const s of SERVICES) {
    for (const t of [s.title, s.about]) assert.ok(t.vi && t.en, s.code);
    assert.equal(s.about.vi.split(/[.;] /).length >= 2, true, `${s.code}: two sentences`);
    assert.ok(formSchemaOf(s.code), s.code);
  }
  const ct01 = SERVICES.find((s) => s.code === 'temporary_residence')!;
  for (const f of ['headName', 'relationship', 'headIdNumber', 'request', 'members'])
    assert.ok(
      ct01.fields.some((x) => x.name === f),
      f,
    );
});

test('a form refuses bad input with the field named, accepts a good one', () => {
  const schema = formSchemaOf('stay_notice')!;
  const good = {
    fullName: 'Nguyễn Thị Mai',
    idNumber: '079160001234',
    dateOfBirth: '12/03/1960',
    guestName: 'Khách',
    guestIdNumber: '079160001235',
    fromDate: '01/12/2025',
    toDate: '03/12/2025',
    phone: '0903123456',
  };
  assert.ok(schema.safeParse(good).success);
  const bad = schema.safeParse({ ...good, toDate: '2025-12-03', extra: 1 });
  assert.ok(!bad.success);
  const paths = bad.error!.issues.map((i) => i.path.join('.') || i.code);
  assert.ok(paths.includes('toDate'));
  assert.ok(!submitServiceBody.safeParse({ service: 'apartment_fee', fields: {} }).success, 'a payment is not a submission');
});
