import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkParams,
  dateConds,
  dateRange,
  observationFilter,
  paging,
  patientCriteria,
  refIds,
  resourceFilter,
  SearchError,
  sortDesc,
  tokens,
} from './search.ts';

const range = (v: string) => dateRange(v).map((d) => d.toISOString());
const P = '0b6f0f6e-1c1a-4d7e-9a55-3f2b1c0d9e8f',
  E = '1c7a1f6e-2c1a-4d7e-9a55-3f2b1c0d9e8f';

test('a date without a zone is a day in Vietnam (UTC+07:00), as long as its precision says', () => {
  assert.deepEqual(range('2024'), ['2023-12-31T17:00:00.000Z', '2024-12-31T17:00:00.000Z']);
  assert.deepEqual(range('2024-12'), ['2024-11-30T17:00:00.000Z', '2024-12-31T17:00:00.000Z']);
  assert.deepEqual(range('2024-03-05'), ['2024-03-04T17:00:00.000Z', '2024-03-05T17:00:00.000Z']);
  assert.deepEqual(range('2024-03-05T10:20'), ['2024-03-05T03:20:00.000Z', '2024-03-05T03:21:00.000Z']);
});

test('a dateTime with a zone keeps it, down to the millisecond', () => {
  assert.deepEqual(range('2024-03-05T10:20Z'), ['2024-03-05T10:20:00.000Z', '2024-03-05T10:21:00.000Z']);
  assert.deepEqual(range('2024-03-05T10:20:30-05:00'), ['2024-03-05T15:20:30.000Z', '2024-03-05T15:20:31.000Z']);
  assert.deepEqual(range('2024-03-05T10:20:30.25+07:00'), ['2024-03-05T03:20:30.250Z', '2024-03-05T03:20:30.251Z']);
});

test('what is not a FHIR date is refused, not guessed', () => {
  for (const v of ['05/03/2024', '2024-13', '2024-03-32', '2024-3-5', 'yesterday']) assert.throws(() => dateRange(v), SearchError, v);
});

test('date prefixes: eq, gt, ge, lt, le; the others are refused', () => {
  const [eq, gt, le] = dateConds(['2024-03-05', 'gt2024', 'le2024-03-05T10:20Z']);
  assert.deepEqual([eq!.op, gt!.op, le!.op], ['eq', 'gt', 'le']);
  assert.equal(gt!.hi.toISOString(), '2024-12-31T17:00:00.000Z');
  assert.deepEqual(dateConds(undefined), []);
  assert.throws(() => dateConds(['ne2024']), /prefix "ne" is not supported/);
  assert.throws(() => dateConds(['ap2024']), SearchError);
});

test('references, tokens, paging and sorting', () => {
  assert.deepEqual(refIds([`Patient/${P.toUpperCase()},${E}`], 'Patient', 'patient'), [P, E]);
  assert.throws(() => refIds([P, E], 'Patient', 'patient'), /given once/);
  assert.throws(() => refIds(['Encounter/' + P], 'Patient', 'subject'), /not a Patient id/);
  assert.deepEqual(tokens(['http://loinc.org|8310-5,8867-4,|x'], 'code'), {
    exact: ['http://loinc.org|8310-5'],
    codeOnly: ['8867-4', 'x'],
  });
  assert.throws(() => tokens(['a b'], 'code'), /not a token/);
  assert.deepEqual(paging({}), { count: 50, offset: 0 });
  assert.deepEqual(paging({ _count: ['0'], _offset: ['20'] }), { count: 0, offset: 20 });
  assert.throws(() => paging({ _count: ['201'] }), /_count/);
  assert.throws(() => paging({ _offset: ['-1'] }), /_offset/);
  assert.equal(sortDesc({}), true);
  assert.equal(sortDesc({ _sort: ['date'] }), false);
  assert.throws(() => sortDesc({ _sort: ['code'] }), /_sort supports/);
  assert.throws(() => checkParams({ name: ['x'] }, ['_id']), /Unsupported search parameter "name"/);
  assert.throws(() => checkParams({ _format: ['xml'] }, []), /Only JSON/);
});

test('an Observation search becomes one filter, and says which patients it is about', () => {
  const { filter, patients } = observationFilter({
    patient: [P],
    subject: [`Patient/${P}`],
    code: ['8310-5'],
    date: ['ge2024', 'lt2025'],
    encounter: [E],
  });
  assert.deepEqual(patients, [P]);
  assert.deepEqual(filter.encounter, [E]);
  assert.deepEqual(filter.code, { exact: [], codeOnly: ['8310-5'] });
  assert.deepEqual(
    filter.dates.map((d) => d.op),
    ['ge', 'lt'],
  );
  assert.equal(observationFilter({}).patients, undefined);
  assert.throws(() => observationFilter({ _id: ['x'] }), /not an Observation id/);
  assert.throws(() => resourceFilter({ _id: ['x'] }, 'Device'), /not a Device id/);
});

test('a Patient search needs _id or a CCCD identifier; other systems match nobody', () => {
  assert.throws(() => patientCriteria({}), /requires _id or identifier/);
  assert.deepEqual(patientCriteria({ identifier: ['https://id.gov.vn/cccd|079160001234,http://other|1,079160009999'] }), {
    ids: undefined,
    idNumbers: ['079160001234', '079160009999'],
  });
  assert.throws(() => patientCriteria({ identifier: ['12345'] }), /12-digit CCCD/);
  const both = patientCriteria({ _id: [`${P.toUpperCase()},not-a-uuid`], identifier: ['079160001234'] });
  assert.deepEqual(both.ids, [P]);
  assert.ok(both.onlyIds?.has(P));
});
