// The receipt printer through a real pseudo-terminal: the agent renders a Vietnamese receipt in
// Noto Sans, sends it as ESC/POS raster images; the bytes the "printer" end receives are decoded
// back to an image that must be the right width, non-empty, exactly the rendering of the receipt,
// with ink on every laid-out text line and blank paper between lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PtyRig, until } from '@tram/testing/devices/pty-rig.ts';
import { decodeEscPos, inkIn } from '@tram/testing/devices/escpos-decoder.ts';
import { printReceipt, receiptBytes } from './printer.ts';
import { telexFree } from './test-text.ts';

const receipt = {
  station: 'Trạm Bến Nghé — 12 Nguyễn Huệ',
  title: 'Đăng ký tạm trú (CT01)',
  receipt: 'TR-251130-ABCDEF',
  promisedBy: '03/12/2025',
  lines: [telexFree],
  at: '30/11/2025 10:15',
};

test('a Vietnamese receipt printed over a pty decodes to the same image, 384 dots wide, with every line inked', async (t) => {
  const rig = await PtyRig.create(t);
  if (!rig) return;
  const expected = receiptBytes(receipt, '58mm');
  const r = await printReceipt({ path: rig.hostPath, baudRate: 115200, paper: '58mm' }, receipt);
  await until(() => rig.hostWrites.length >= r.bytes, 10_000, 'the whole job at the printer');
  const img = decodeEscPos(Uint8Array.from(rig.hostWrites));
  assert.equal(img.width, 384);
  assert.equal(img.height, expected.bitmap.height);
  assert.ok(img.cut, 'the paper is cut');
  assert.equal(img.commands[0], 'ESC @');
  const ink = img.bits.reduce((n, b) => n + b, 0);
  assert.ok(ink > 2000, `ink on the paper (${ink} dots)`);
  assert.deepEqual(img.bits, expected.bitmap.bits, 'the decoded image is the rendered receipt');
  // every laid-out line has ink, and the layout has the receipt's text
  for (const l of expected.layout) assert.ok(inkIn(img, l.top, l.height) > 20, `ink on "${l.text}"`);
  assert.ok(expected.layout.some((l) => l.text.includes('TR-251130-ABCDEF')));
  assert.ok(expected.layout.some((l) => l.text === 'Đăng ký tạm trú (CT01)'));
  // the left and right margins are blank
  for (let y = 0; y < img.height; y++) assert.equal(img.bits[y * img.width] ?? 0, 0);
});

test('diacritics change the image: "Đã thanh toán" is not "Da thanh toan"', () => {
  const a = receiptBytes({ ...receipt, lines: ['Đã thanh toán'] }).bitmap;
  const b = receiptBytes({ ...receipt, lines: ['Da thanh toan'] }).bitmap;
  assert.notDeepEqual(a.bits, b.bits);
});

test('the status QR is printed under the text and decodes from the printed dots to the receipt and its token', async () => {
  const qr = 'TRAM:TR-251130-ABCDEF:AbCdEfGhIjKlMnOpQrStUv';
  const { job, qr: at } = receiptBytes({ ...receipt, qr }, '58mm');
  const img = decodeEscPos(job);
  assert.ok(at);
  const { default: jsQR } = await import('jsqr');
  // the printed dots as a picture (black on white) for a QR reader
  const rgba = new Uint8ClampedArray(img.width * img.height * 4);
  for (let i = 0; i < img.bits.length; i++) {
    rgba.fill(img.bits[i] ? 0 : 255, i * 4, i * 4 + 3);
    rgba[i * 4 + 3] = 255;
  }
  assert.equal(jsQR(rgba, img.width, img.height)?.data, qr);
  assert.ok(inkIn(img, at.top, at.height) > 1000, 'the QR is inked');
  // without a QR there is nothing to read
  const plain = decodeEscPos(receiptBytes(receipt, '58mm').job);
  const rgba2 = new Uint8ClampedArray(plain.width * plain.height * 4).fill(255);
  for (let i = 0; i < plain.bits.length; i++) if (plain.bits[i]) rgba2.fill(0, i * 4, i * 4 + 3);
  assert.equal(jsQR(rgba2, plain.width, plain.height), null);
});
