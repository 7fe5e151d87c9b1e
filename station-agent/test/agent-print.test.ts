// The agent's print route, as the kiosk page calls it: a validated receipt goes to the printer's
// serial port (a real pty) as ESC/POS raster; the decoded paper carries the receipt's status QR.
// A bad body is refused with a clear 400 and nothing reaches the printer; without a printer the
// page is told so (409).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PtyRig, pause, until } from '@tram/testing/devices/pty-rig.ts';
import { decodeEscPos } from '@tram/testing/devices/escpos-decoder.ts';
import { startAgent, type RunningAgent } from '../src/gateway/server.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tram-agent-print-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>k</title></head><body></body></html>');
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function agentWith(printer?: { path: string }): Promise<RunningAgent> {
  return startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: 'http://127.0.0.1:9',
    credential: 'test-station:test-secret-0123456789',
    dataDir: dir,
    uiDir: dir,
    cardReader: 'off',
    ...(printer ? { printer: { path: printer.path, baudRate: 115200, paper: '58mm' as const } } : {}),
  });
}

const print = (agent: RunningAgent, body: unknown) =>
  fetch(`${agent.url}/agent/print`, {
    method: 'POST',
    headers: { 'x-tram-agent-key': agent.key, 'content-type': 'application/json', origin: agent.url },
    body: JSON.stringify(body),
  });

function qrOf(img: ReturnType<typeof decodeEscPos>) {
  const rgba = new Uint8ClampedArray(img.width * img.height * 4).fill(255);
  for (let i = 0; i < img.bits.length; i++) if (img.bits[i]) rgba.fill(0, i * 4, i * 4 + 3);
  return jsQR(rgba, img.width, img.height)?.data ?? null;
}

const qr = 'TRAM:TR-251130-ABCDEF:AbCdEfGhIjKlMnOpQrStUv';

test('a submission receipt printed through POST /agent/print reaches the pty as raster with its status QR', async (t) => {
  const rig = await PtyRig.create(t);
  if (!rig) return;
  const agent = await agentWith({ path: rig.hostPath });
  t.after(() => agent.stop());
  const r = await print(agent, {
    kind: 'submission',
    title: 'Đăng ký tạm trú (CT01)',
    receipt: 'TR-251130-ABCDEF',
    promisedBy: '03/12/2025',
    qr,
  });
  assert.equal(r.status, 200);
  const { bytes } = (await r.json()) as { bytes: number };
  await until(() => rig.hostWrites.length >= bytes, 10_000, 'the whole job at the printer');
  const img = decodeEscPos(Uint8Array.from(rig.hostWrites));
  assert.equal(img.width, 384);
  assert.ok(img.cut);
  assert.ok(img.bits.reduce((n, b) => n + b, 0) > 5000, 'ink on the paper');
  assert.equal(qrOf(img), qr, 'the printed QR reads back as the receipt and its token');
});

test('a bad receipt is refused with a clear 400 and nothing is printed; no printer is a 409', async (t) => {
  const rig = await PtyRig.create(t);
  if (!rig) return;
  const agent = await agentWith({ path: rig.hostPath });
  t.after(() => agent.stop());
  for (const bad of [
    { kind: 'submission', title: 'x', receipt: 'not-a-receipt' },
    { kind: 'submission', title: 'x', receipt: 'TR-251130-ABCDEF', qr: 'https://evil.example/' },
    { kind: 'fax', title: 'x', receipt: 'TR-251130-ABCDEF' },
    { kind: 'payment', title: 'x', receipt: 'TRAMABCDEFGH', amountVnd: -5 },
  ]) {
    const r = await print(agent, bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
    const j = (await r.json()) as { error: { code: string; message: string } };
    assert.equal(j.error.code, 'invalid_request');
    assert.doesNotMatch(j.error.message, /at .*\.ts:\d+/, 'no stack trace');
  }
  await pause(300);
  assert.equal(rig.hostWrites.length, 0, 'nothing reached the printer');
  const none = await agentWith();
  t.after(() => none.stop());
  const r = await print(none, { kind: 'payment', title: 'Phí quản lý', receipt: 'TRAMABCDEFGH', amountVnd: 850_000 });
  assert.equal(r.status, 409);
  assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'no_printer');
});
