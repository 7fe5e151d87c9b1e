import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { payosSign, payosSignaturePayload, payosVerify } from './payos.ts';

test('signs the sorted key=value string of data', () => {
  const data = {
    orderCode: 123,
    amount: 3000,
    description: 'VQRIO123',
    accountNumber: '12345678',
    reference: 'TF230204212323',
    counterAccountName: null,
  };
  assert.equal(
    payosSignaturePayload(data),
    'accountNumber=12345678&amount=3000&counterAccountName=&description=VQRIO123&orderCode=123&reference=TF230204212323',
  );
  const sig = createHmac('sha256', 'k'.repeat(20)).update(payosSignaturePayload(data)).digest('hex');
  assert.equal(payosSign(data, 'k'.repeat(20)), sig);
  assert.ok(payosVerify(data, sig, 'k'.repeat(20)));
  assert.ok(!payosVerify({ ...data, amount: 3001 }, sig, 'k'.repeat(20)));
  assert.ok(!payosVerify(data, sig.slice(2), 'k'.repeat(20)));
});
