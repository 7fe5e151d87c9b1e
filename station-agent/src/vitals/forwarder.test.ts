// The vitals queue against a real HTTP server: refused, then 503, then accepted; across an agent
// restart every reading is stored exactly once and in order.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { until } from '@tram/testing/devices/pty-rig.ts';
import { DiskQueue } from './disk-queue.ts';
import { refusedPort, startFakeHub } from '@tram/testing/vitals/fake-hub.ts';
import { Forwarder } from './forwarder.ts';
import type { Reading } from '@tram/contracts';

const CRED = 'station-7:0123456789abcdefXYZ';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'tram-vq-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let n = 0;
const reading = (): Reading => ({
  id: randomUUID(),
  kind: 'heart_rate',
  value: 60 + (n++ % 40),
  unit: '/min',
  at: new Date().toISOString(),
  device: { id: 'cms50d-v7:/dev/serial/by-id/oxi', model: 'Contec CMS50D+ (V7 protocol)', protocol: 'cms50d-v7' },
});

/** An agent's vitals sending half: a queue on `dir` and its forwarder, with fast retries. */
function agent(dir: string, hubUrl: string, logs: string[] = []) {
  const log = (m: string) => logs.push(m);
  const queue = new DiskQueue(dir, { log });
  const fwd = new Forwarder(queue, { hubUrl, credential: CRED, backoffMs: () => 30, log });
  const add = (sessionId: string, r: Reading) => {
    queue.append(sessionId, r);
    fwd.kick();
  };
  return {
    queue,
    fwd,
    add,
    stop: async () => {
      await fwd.stop();
      queue.close();
    },
  };
}

test('hub refused, then 503, then accepting: every reading once, in order, across an agent restart', async (t) => {
  const dir = tempDir(t);
  const port = await refusedPort();
  const hubUrl = `http://127.0.0.1:${port}`;
  const sent: { session: string; id: string }[] = [];

  const a = agent(dir, hubUrl);
  for (let i = 0; i < 150; i++) {
    const r = reading();
    sent.push({ session: 's-1', id: r.id });
    a.add('s-1', r);
  }
  await until(() => /ECONNREFUSED/.test(a.fwd.lastError ?? ''), 3000, 'connection refused');
  await new Promise((r) => setTimeout(r, 150)); // several refused attempts
  await a.stop();
  assert.equal(new DiskQueue(dir).size, 150, 'all kept on disk');

  const hub = await startFakeHub(port);
  t.after(() => hub.close());
  hub.script.push('503', '503');
  const b = agent(dir, hubUrl); // the restarted agent
  t.after(() => b.stop());
  b.fwd.kick();
  for (let i = 0; i < 50; i++) {
    const r = reading();
    sent.push({ session: i < 20 ? 's-1' : 's-2', id: r.id });
    b.add(i < 20 ? 's-1' : 's-2', r);
  }
  await until(() => hub.stored.length === 200, 8000, 'all readings stored');
  await until(() => b.queue.size === 0, 2000, 'queue drained');

  assert.deepEqual(
    hub.stored,
    sent.map((s) => s.id),
    'each reading stored once, in the order measured',
  );
  assert.deepEqual(
    hub.posts.slice(0, 2).map((p) => p.status),
    [503, 503],
  );
  const resent = hub.posts.filter((p) => p.status === 200).flatMap((p) => p.body.readings.map((r) => r.id));
  assert.equal(resent.length, new Set(resent).size, 'no reading sent again after it was accepted');
  for (const p of hub.posts) {
    assert.equal(p.auth, `Station ${CRED}`);
    assert.ok(p.body.readings.length >= 1 && p.body.readings.length <= 100, `batch of ${p.body.readings.length}`);
    const sessions = new Set(p.body.readings.map((r) => sent.find((s) => s.id === r.id)!.session));
    assert.deepEqual([...sessions], [p.body.sessionId], 'one session per batch, the right one');
  }
  assert.deepEqual(
    readdirSync(join(dir)).filter((f) => f.startsWith('batch-')),
    [],
  );
});

test('an answer lost in transit: the retry is a duplicate, the hub stores the reading once', async (t) => {
  const dir = tempDir(t);
  const hub = await startFakeHub();
  t.after(() => hub.close());
  hub.script.push('drop-answer');
  const a = agent(dir, hub.url);
  t.after(() => a.stop());
  const ids = [reading(), reading(), reading()].map((r) => {
    a.queue.append('s-1', r);
    return r.id;
  });
  a.fwd.kick();
  await until(() => a.queue.size === 0, 5000, 'queue drained');
  assert.deepEqual(hub.stored, ids);
  assert.equal(hub.posts.length, 2, 'stored-but-unanswered, then the retry');
  assert.deepEqual(
    hub.posts[1]!.body.readings.map((r) => r.id),
    ids,
  );
});

test('rejected readings leave the queue and are logged; unmentioned ones are retried', async (t) => {
  const dir = tempDir(t);
  const hub = await startFakeHub();
  t.after(() => hub.close());
  const logs: string[] = [];
  const a = agent(dir, hub.url, logs);
  t.after(() => a.stop());
  const rs = [reading(), reading(), reading()];
  hub.script.push({ reject: [rs[0]!.id], ignore: [rs[2]!.id] });
  for (const r of rs) a.queue.append('s-1', r);
  a.fwd.kick();
  await until(() => a.queue.size === 0, 5000, 'queue drained');
  assert.deepEqual(hub.stored, [rs[1]!.id, rs[2]!.id]);
  assert.deepEqual(
    hub.posts[1]!.body.readings.map((r) => r.id),
    [rs[2]!.id],
    'only the unanswered one again',
  );
  assert.ok(
    logs.some((l) => l.includes(rs[0]!.id) && l.includes('implausible value')),
    logs.join('\n'),
  );
});

test('409 no_citizen_session and other 4xx drop the batch (logged); the next batch still goes', async (t) => {
  const dir = tempDir(t);
  const hub = await startFakeHub();
  t.after(() => hub.close());
  const logs: string[] = [];
  const a = agent(dir, hub.url, logs);
  t.after(() => a.stop());
  hub.script.push('409', '400');
  a.queue.append('ended', reading());
  a.queue.append('bad', reading()); // a new session seals the first batch
  const ok = reading();
  a.queue.append('live', ok);
  a.fwd.kick();
  await until(() => a.queue.size === 0, 5000, 'queue drained');
  assert.deepEqual(
    hub.posts.map((p) => [p.body.sessionId, p.status]),
    [
      ['ended', 409],
      ['bad', 400],
      ['live', 200],
    ],
  );
  assert.deepEqual(hub.stored, [ok.id]);
  assert.ok(
    logs.some((l) => /session ended has ended/.test(l)),
    logs.join('\n'),
  );
  assert.ok(
    logs.some((l) => /refused a batch of 1 reading\(s\) with 400/.test(l)),
    logs.join('\n'),
  );
});
