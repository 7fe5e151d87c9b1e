// ICAO 9303-11 §9.7.1 key derivation: K = H(seed ‖ counter32), truncated per cipher.
import { createHash } from 'node:crypto';
import { concat, fromBuffer } from './bytes.ts';
import { adjustParity } from './des.ts';

export const KDF_ENC = 1;
export const KDF_MAC = 2;
/** PACE password key Kπ. */
export const KDF_PACE = 3;

export type KeyAlgorithm = '3des' | 'aes128' | 'aes192' | 'aes256';

export function deriveKey(seed: Uint8Array, counter: number, alg: KeyAlgorithm): Uint8Array {
  const c = new Uint8Array(4);
  new DataView(c.buffer).setUint32(0, counter);
  const d = concat(seed, c);
  switch (alg) {
    case '3des':
      // Ka ‖ Kb from the first 16 bytes of SHA-1, with DES parity bits fixed.
      return adjustParity(fromBuffer(createHash('sha1').update(d).digest()).subarray(0, 16));
    case 'aes128':
      return fromBuffer(createHash('sha1').update(d).digest()).slice(0, 16);
    case 'aes192':
      return fromBuffer(createHash('sha256').update(d).digest()).slice(0, 24);
    case 'aes256':
      return fromBuffer(createHash('sha256').update(d).digest());
  }
}
