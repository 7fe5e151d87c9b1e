import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, verifyPassword } from './passwords.ts';

test('a password verifies against its own hash only', async () => {
  const h = await hashPassword('mật-khẩu đúng');
  assert.match(h, /^scrypt\$16384\$8\$1\$/);
  assert.equal(await verifyPassword('mật-khẩu đúng', h), true);
  assert.equal(await verifyPassword('mật-khẩu sai', h), false);
  assert.notEqual(await hashPassword('mật-khẩu đúng'), h, 'salted');
  assert.equal(await verifyPassword('x', 'not-a-hash'), false);
});
