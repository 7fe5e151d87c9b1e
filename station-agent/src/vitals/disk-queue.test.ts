// The on-disk queue on its own: batch sealing, durability across reopen, torn-write repair, the bound.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { DiskQueue } from './disk-queue.ts';
import type { Reading } from '@tram/contracts';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'tram-dq-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const reading = (value = 36.6): Reading => ({
  id: randomUUID(),
  kind: 'temperature',
  value,
  unit: 'Cel',
  at: new Date().toISOString(),
  device: { id: 'thermo', model: 'GY-MCU90614 IR thermometer module', protocol: 'gy-mcu90614' },
});

test('batches hold at most 100 readings of one session, oldest first, and survive a reopen', (t) => {
  const dir = tempDir(t);
  const q = new DiskQueue(dir, { log: () => {} });
  const ids: string[] = [];
  for (let i = 0; i < 230; i++) {
    const r = reading();
    ids.push(r.id);
    q.append(i < 120 ? 'a' : 'b', r);
  }
  q.close();
  const q2 = new DiskQueue(dir, { log: () => {} });
  assert.equal(q2.size, 230);
  const seen: [string, number][] = [];
  const order: string[] = [];
  for (let b = q2.next(); b; b = q2.next()) {
    seen.push([b.sessionId, b.readings.length]);
    order.push(...b.readings.map((r) => r.id));
    q2.settle(b.name, new Set(b.readings.map((r) => r.id)));
  }
  assert.deepEqual(seen, [
    ['a', 100],
    ['a', 20],
    ['b', 100],
    ['b', 10],
  ]);
  assert.deepEqual(order, ids);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f !== 'open.jsonl'),
    [],
  );
  q2.close();
});

test('a partly answered batch keeps only the rest, also after a reopen', (t) => {
  const dir = tempDir(t);
  const q = new DiskQueue(dir, { log: () => {} });
  const rs = [reading(), reading(), reading()];
  for (const r of rs) q.append('s', r);
  const b = q.next()!;
  q.settle(b.name, new Set([rs[0]!.id, rs[2]!.id]));
  q.close();
  const q2 = new DiskQueue(dir, { log: () => {} });
  assert.deepEqual(
    q2.next()?.readings.map((r) => r.id),
    [rs[1]!.id],
  );
  q2.close();
});

test('a torn last line (crash mid-append) is cut off and appending carries on cleanly', (t) => {
  const dir = tempDir(t);
  const q = new DiskQueue(dir, { log: () => {} });
  const good = reading();
  q.append('s', good);
  q.close();
  appendFileSync(join(dir, 'open.jsonl'), '{"sessionId":"s","reading":{"id":"to'); // power cut
  const logs: string[] = [];
  const q2 = new DiskQueue(dir, { log: (m) => logs.push(m) });
  assert.equal(q2.size, 1);
  assert.ok(logs.some((l) => l.includes('torn')));
  const next = reading();
  q2.append('s', next);
  q2.close();
  const q3 = new DiskQueue(dir, { log: () => {} });
  assert.deepEqual(
    q3.next()?.readings.map((r) => r.id),
    [good.id, next.id],
  );
  q3.close();
});

test('bounded: when full, the oldest unsent batch is deleted (not the one in flight), newest kept', (t) => {
  const dir = tempDir(t);
  const logs: string[] = [];
  const q = new DiskQueue(dir, { maxReadings: 300, log: (m) => logs.push(m) });
  const ids: string[] = [];
  for (let i = 0; i < 150; i++) {
    const r = reading(i);
    ids.push(r.id);
    q.append('s', r);
  }
  const inFlight = q.next()!; // batch of the first 100
  for (let i = 150; i < 450; i++) {
    const r = reading(i);
    ids.push(r.id);
    q.append('s', r);
  }
  assert.ok(q.size <= 300, `size ${q.size}`);
  assert.equal(q.evicted, 450 - q.size);
  assert.equal(logs.filter((l) => l.includes('full')).length, 1, `said once for ${q.evicted / 100} evictions: ${logs.join(' | ')}`);
  q.settle(inFlight.name, new Set(inFlight.readings.map((r) => r.id)));
  assert.match(logs.at(-1)!, /^draining again; \d+ reading\(s\) were deleted unsent while full$/);
  const left: string[] = [];
  for (let b = q.next(); b; b = q.next()) {
    left.push(...b.readings.map((r) => r.id));
    q.settle(b.name, new Set(b.readings.map((r) => r.id)));
  }
  assert.deepEqual(left, ids.slice(ids.length - left.length), 'what is left is the newest, in order');
  assert.deepEqual(
    inFlight.readings.map((r) => r.id),
    ids.slice(0, 100),
    'the batch in flight was not evicted',
  );
  assert.ok(left.length + 100 > 300 - 100, `evicts a batch at a time, never more than needed (${left.length} left)`);
  q.close();
});
