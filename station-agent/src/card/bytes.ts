// Small byte helpers shared by the card code and its tests.
import { timingSafeEqual } from 'node:crypto';

export { concat, hex, toHex } from '@tram/icao/bytes.ts';

export function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new RangeError(`xor of unequal lengths ${a.length} and ${b.length}`);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** Constant-time comparison: MACs and nonces must not leak where they differ. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Node Buffers are Uint8Arrays; copy into a plain one so callers never alias pooled memory. */
export function fromBuffer(buf: Buffer): Uint8Array {
  return Uint8Array.from(buf);
}
