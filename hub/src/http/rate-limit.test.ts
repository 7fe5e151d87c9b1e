import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import type { HubEnv } from './env.ts';
import { rateLimit, TokenBuckets } from './rate-limit.ts';

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

test('a refusal is held a moment; past the held refusals per caller it comes at once and closes the connection', async () => {
  const app = new Hono<HubEnv>()
    .use(rateLimit(new TokenBuckets({ burst: 1, perSecond: 0.001 }), { ms: 200, perCaller: 1 }))
    .get('/', (c) => c.text('ok'));
  assert.equal((await app.request('/')).status, 200);
  const t0 = performance.now();
  const [held, atOnce] = await Promise.all(
    [0, 1].map(async () => {
      const r = await app.request('/');
      return { status: r.status, ms: performance.now() - t0, connection: r.headers.get('connection'), retry: r.headers.get('retry-after') };
    }),
  );
  assert.deepEqual([held!.status, atOnce!.status], [429, 429]);
  assert.ok(held!.ms >= 190, `the first refusal was held (${held!.ms.toFixed(0)} ms)`);
  assert.ok(atOnce!.ms < 150, `the second came at once (${atOnce!.ms.toFixed(0)} ms)`);
  assert.equal(atOnce!.connection, 'close');
  assert.equal(held!.connection, null);
  assert.match(held!.retry ?? '', /^\d+$/);
});
