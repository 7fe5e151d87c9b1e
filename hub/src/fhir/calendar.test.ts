import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realDateTime } from './calendar.ts';

test('real dates pass; impossible days, hours and zones do not', () => {
  for (const v of [
    '2026',
    '2026-02',
    '2026-02-28',
    '2024-02-29',
    '2026-11-30T07:28:18Z',
    '2026-11-30T07:28:18.123+07:00',
    '2026-11-30T23:59',
  ])
    assert.ok(realDateTime(v), v);
  for (const v of [
    '2026-02-29',
    '2026-02-30',
    '2026-04-31',
    '2026-13',
    '2026-00-10',
    '2026-11-30T25:00:00Z',
    '2026-11-30T10:60',
    '2026-11-30T10:00:61Z',
    '2026-11-30T10:00:00+15:00',
  ])
    assert.ok(!realDateTime(v), v);
});
