// The SOS outbox keeps one idempotency key per emergency, on disk, until the hub acknowledges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { SosOutbox, type PendingSos } from './sos-outbox.ts';

const ack = (p: PendingSos) => ({ status: 201, body: { call: { id: `call-for-${p.key}`, status: 'ringing' }, media: null } });

test('retries with the same key until acknowledged, then forgets the pending file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  try {
    const keys: string[] = [];
    let fail = 3;
    const box = new SosOutbox(
      dir,
      async (p) => {
        keys.push(p.key);
        if (fail-- > 0) throw new Error('ECONNREFUSED');
        return ack(p);
      },
      () => 10,
    );
    const first = box.raise();
    assert.equal(first.state, 'sending');
    assert.ok(existsSync(join(dir, 'sos-pending.json')), 'persisted before the first attempt completes');
    // a second tap while sending does not create a second emergency
    assert.equal((box.raise() as { key: string }).key, (first as { key: string }).key);
    while (box.state().state !== 'acknowledged') await once(box, 'change');
    assert.equal(keys.length, 4);
    assert.equal(new Set(keys).size, 1, 'every attempt carries the same idempotency key');
    assert.equal(existsSync(join(dir, 'sos-pending.json')), false);
    box.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a pending SOS survives an agent restart and is re-sent with its key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  try {
    const down = new SosOutbox(
      dir,
      async () => {
        throw new Error('hub unreachable');
      },
      () => 60_000,
    );
    const { key } = down.raise('ngã cầu thang') as { key: string };
    await once(down, 'change');
    down.stop();
    const saved = JSON.parse(readFileSync(join(dir, 'sos-pending.json'), 'utf8'));
    assert.equal(saved.key, key);

    const sent: PendingSos[] = [];
    const up = new SosOutbox(
      dir,
      async (p) => {
        sent.push(p);
        return ack(p);
      },
      () => 10,
    );
    while (up.state().state !== 'acknowledged') await once(up, 'change');
    assert.equal(sent[0]!.key, key);
    assert.equal(sent[0]!.note, 'ngã cầu thang');
    up.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a press the hub joined to the station's open call says so in the state; a new call does not", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  try {
    let joined = false;
    const box = new SosOutbox(
      dir,
      async (p) => ({ status: joined ? 200 : 201, body: { ...ack(p).body, call: { id: 'open-call', status: 'ringing' }, joined } }),
      () => 10,
    );
    box.raise();
    while (box.state().state !== 'acknowledged') await once(box, 'change');
    assert.equal((box.state() as { joined?: boolean }).joined, undefined, 'a new call is not "joined"');
    joined = true;
    box.raise();
    while (box.state().state !== 'acknowledged') await once(box, 'change');
    assert.equal((box.state() as { joined?: boolean }).joined, true);
    box.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cancel while the hub is unreachable: the pending file goes and nothing is re-sent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  try {
    let sends = 0;
    const box = new SosOutbox(
      dir,
      async () => {
        sends++;
        throw new Error('hub unreachable');
      },
      () => 30,
    );
    box.raise();
    await once(box, 'change');
    assert.equal(box.cancel().state, 'idle');
    assert.equal(existsSync(join(dir, 'sos-pending.json')), false);
    const before = sends;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(sends, before, 'no attempt after the cancel');
    box.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a disk that cannot take the pending file does not hold the SOS back: it is sent from memory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  try {
    // the temporary file's path taken by a directory: every write of the pending file fails
    mkdirSync(join(dir, 'sos-pending.json.tmp'));
    const keys: string[] = [];
    const box = new SosOutbox(
      dir,
      async (p) => {
        keys.push(p.key);
        return ack(p);
      },
      () => 10,
    );
    const raised = box.raise();
    assert.equal(raised.state, 'sending');
    assert.match((raised as { lastError?: string }).lastError ?? '', /^not saved on disk: /);
    while (box.state().state !== 'acknowledged') await once(box, 'change');
    assert.equal(keys.length, 1);
    box.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
