// AES-CMAC (NIST SP 800-38B / RFC 4493). Node's crypto has no CMAC API, so it is built on AES-ECB.
import { createCipheriv } from 'node:crypto';
import { fromBuffer, xor } from './bytes.ts';
import { CryptoError } from './errors.ts';

const BLOCK = 16;

export function aesAlgorithm(key: Uint8Array, mode: 'ecb' | 'cbc'): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new CryptoError('bad-key', `AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  }
  return `aes-${key.length * 8}-${mode}`;
}

export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv(aesAlgorithm(key, 'ecb'), key, null);
  c.setAutoPadding(false);
  return fromBuffer(Buffer.concat([c.update(block), c.final()]));
}

/** Doubling in GF(2^128): shift left one bit, xor 0x87 if the top bit fell off. */
function dbl(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) out[i] = ((b[i]! << 1) | ((b[i + 1] ?? 0) >> 7)) & 0xff;
  if (b[0]! & 0x80) out[BLOCK - 1]! ^= 0x87;
  return out;
}

export function cmacSubkeys(key: Uint8Array): { k1: Uint8Array; k2: Uint8Array } {
  const l = aesEncryptBlock(key, new Uint8Array(BLOCK));
  const k1 = dbl(l);
  return { k1, k2: dbl(k1) };
}

export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const { k1, k2 } = cmacSubkeys(key);
  const n = Math.max(1, Math.ceil(message.length / BLOCK));
  const complete = message.length > 0 && message.length % BLOCK === 0;
  const lastStart = (n - 1) * BLOCK;
  let last: Uint8Array;
  if (complete) {
    last = xor(message.subarray(lastStart), k1);
  } else {
    const padded = new Uint8Array(BLOCK);
    padded.set(message.subarray(lastStart));
    padded[message.length - lastStart] = 0x80;
    last = xor(padded, k2);
  }
  // CBC over all blocks with zero IV; only the final chaining value matters.
  let x: Uint8Array = new Uint8Array(BLOCK);
  const c = createCipheriv(aesAlgorithm(key, 'ecb'), key, null);
  c.setAutoPadding(false);
  for (let i = 0; i < n - 1; i++) {
    x = fromBuffer(c.update(xor(x, message.subarray(i * BLOCK, (i + 1) * BLOCK))));
  }
  x = fromBuffer(c.update(xor(x, last)));
  c.final();
  return x;
}
