import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc16ccitt, vietQr } from './vietqr.ts';

test('reproduces the published VietQR example exactly', () => {
  const published =
    '00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C';
  assert.equal(vietQr({ bankBin: '970415', account: '0011001932418', amountVnd: 120000, purpose: 'ung ho lu lut' }), published);
});

test('CRC-16/CCITT-FALSE check value', () => {
  assert.equal(crc16ccitt('123456789'), '29B1');
});

test('refuses what a bank app would not read', () => {
  assert.throws(() => vietQr({ bankBin: '97041', account: '1' }));
  assert.throws(() => vietQr({ bankBin: '970415', account: '1', purpose: 'có dấu' }));
});
