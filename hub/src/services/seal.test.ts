import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { open, seal } from './seal.ts';

test('AES-256-GCM: round trip, no plaintext in the blob, tampering and a wrong subject refused', () => {
  const key = randomBytes(32);
  const plain = Buffer.from('\xff\xd8\xff JPEG bytes of a residence paper');
  const s = seal(key, plain, 'doc-1');
  assert.ok(!s.includes(plain.subarray(4)));
  assert.deepEqual(open(key, s, 'doc-1'), plain);
  assert.throws(() => open(key, s, 'doc-2'));
  const t = Buffer.from(s);
  t[t.length - 1]! ^= 1;
  assert.throws(() => open(key, t, 'doc-1'));
});
