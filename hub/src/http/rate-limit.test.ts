import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBuckets } from './rate-limit.ts';

test('a caller gets its burst, then waits; another caller is not affected; tokens come back over time', () => {
  let now = 0;
  const b = new TokenBuckets({ burst: 3, perSecond: 1 }, () => now);
  assert.deepEqual([b.take('a'), b.take('a'), b.take('a')], [0, 0, 0]);
  assert.equal(b.take('a'), 1, 'the fourth waits a second');
  assert.equal(b.take('b'), 0, 'another caller has its own bucket');
  now += 1000;
  assert.equal(b.take('a'), 0);
  assert.equal(b.take('a'), 1);
});
