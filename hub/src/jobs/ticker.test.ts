import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTicker } from './ticker.ts';

const quiet = { error: () => {} };
async function until(ok: () => boolean, ms = 2000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await sleep(5)) if (Date.now() > end) throw new Error('timed out');
}

test('a tick drains the backlog batch by batch, then sleeps until the next', async () => {
  let backlog = 7;
  const seen: number[] = [];
  const t = startTicker({
    everyMs: 40,
    log: quiet,
    failure: 'x',
    step: async () => {
      const took = Math.min(3, backlog);
      backlog -= took;
      seen.push(took);
      return took;
    },
  });
  await sleep(20);
  assert.deepEqual(seen, [3, 3, 1, 0], 'one tick took the whole backlog and stopped at an empty batch');
  backlog = 2;
  await until(() => seen.length >= 6);
  await t.stop();
  assert.deepEqual(seen.slice(4, 6), [2, 0], 'the next tick took what arrived since');
});

test('the cap leaves the rest for the next tick; a failing step is logged and the job goes on', async () => {
  const errors: string[] = [];
  let calls = 0;
  const t = startTicker({
    everyMs: 30,
    log: { error: (_o: unknown, msg?: string) => void errors.push(String(msg)) },
    failure: 'outbox failed',
    maxPerTick: 2,
    step: async () => {
      calls++;
      if (calls === 3) throw new Error('database restarting');
      return true;
    },
  });
  try {
    await sleep(10);
    assert.equal(calls, 2, 'two batches in the first tick, however much is due');
    await until(() => calls >= 4);
    assert.deepEqual(errors, ['outbox failed'], 'the failure was logged once and the tick after it ran again');
  } finally {
    await t.stop();
  }
});

test('stop waits for the batch in hand and no tick runs after it', async () => {
  let running = 0;
  let after = 0;
  let stopped = false;
  const t = startTicker({
    everyMs: 5,
    log: quiet,
    failure: 'x',
    step: async () => {
      if (stopped) after++;
      running++;
      await sleep(30);
      running--;
      return false;
    },
  });
  await sleep(10);
  const done = t.stop();
  stopped = true;
  await done;
  assert.equal(running, 0, 'the batch in hand finished before stop returned');
  await sleep(30);
  assert.equal(after, 0);
});
