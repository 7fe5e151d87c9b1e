import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addWorkingDays, isDayOff } from './working-days.ts';

// Vietnamese wall-clock time to an instant (UTC+7)
const vn = (s: string) => new Date(`${s}+07:00`);
const day = (s: string) => new Date(`${s}T00:00:00Z`);

test('weekends are skipped: 3 working days from a Thursday is the next Tuesday, 17:00 in Vietnam', () => {
  assert.equal(addWorkingDays(vn('2025-11-27T10:00:00'), 3).toISOString(), vn('2025-12-02T17:00:00').toISOString());
});

test("the day is Vietnam's: 23:30 UTC on Friday is already Saturday in Hà Nội", () => {
  // Fri 28/11 23:30 UTC = Sat 29/11 06:30 in Vietnam → counting starts after Saturday
  assert.equal(addWorkingDays(new Date('2025-11-28T23:30:00Z'), 1).toISOString(), vn('2025-12-01T17:00:00').toISOString());
});

test('Tết Bính Ngọ 2026 (16–20/02) is skipped', () => {
  // Fri 13/02/2026 + 1 working day: not 16/02 (Tết) but Mon 23/02
  assert.equal(addWorkingDays(vn('2026-02-13T09:00:00'), 1).toISOString(), vn('2026-02-23T17:00:00').toISOString());
  for (const d of ['2026-02-16', '2026-02-17', '2026-02-20']) assert.ok(isDayOff(day(d)), d);
  assert.equal(isDayOff(day('2026-02-23')), false);
});

test('30/4, 1/5 and Quốc khánh with its neighbour are days off; a holiday on Sunday moves to Monday', () => {
  // Tue 28/04/2026 + 2: 29/04, then 30/04 and 01/05 are off, the weekend too → Mon 04/05
  assert.equal(addWorkingDays(vn('2026-04-28T09:00:00'), 2).toISOString(), vn('2026-05-04T17:00:00').toISOString());
  for (const d of ['2025-09-01', '2025-09-02', '2026-09-01', '2026-09-02', '2027-01-01']) assert.ok(isDayOff(day(d)), d);
  // Giỗ Tổ 2026 falls on Sunday 26/4 and is taken on Monday 27/4
  assert.ok(isDayOff(day('2026-04-27')));
  // 01/01/2028 is a Saturday: Monday 03/01/2028 is off (the rule, without a yearly list)
  assert.ok(isDayOff(day('2028-01-03')));
  assert.equal(isDayOff(day('2028-01-04')), false);
});

test('an ordinary week has no day off and zero days is the same day at 17:00', () => {
  for (const d of ['2025-12-01', '2025-12-02', '2025-12-03', '2025-12-04', '2025-12-05']) assert.equal(isDayOff(day(d)), false, d);
  assert.equal(addWorkingDays(vn('2025-12-03T08:00:00'), 0).toISOString(), vn('2025-12-03T17:00:00').toISOString());
});
