import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';

test('a password verifies against its own hash only, made with N=2^17, r=8, p=1', async () => {
  const h = await hashPassword('mật-khẩu đúng');
  assert.match(h, /^scrypt\$131072\$8\$1\$/);
  assert.equal(needsRehash(h), false);
  assert.equal(await verifyPassword('mật-khẩu đúng', h), true);
  assert.equal(await verifyPassword('mật-khẩu sai', h), false);
  assert.notEqual(await hashPassword('mật-khẩu đúng'), h, 'salted');
  assert.equal(await verifyPassword('x', 'not-a-hash'), false);
});

test('an old N=2^14 hash still verifies and asks to be rehashed; an absurd N is refused without hashing', async () => {
  const salt = randomBytes(16);
  const key = scryptSync('cũ', salt, 32, { N: 16384, r: 8, p: 1 });
  const old = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
  assert.equal(await verifyPassword('cũ', old), true);
  assert.equal(needsRehash(old), true);
  assert.equal(await verifyPassword('cũ', old.replace('$16384$', '$4194304$')), false);
});
