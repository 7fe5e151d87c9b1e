// ISO/IEC 9797-1 padding method 2 (= ISO 7816-4 padding): append 80, then 00s to a block boundary.
import { CryptoError } from './errors.ts';

export function pad(data: Uint8Array, blockSize: number): Uint8Array {
  const total = (Math.floor(data.length / blockSize) + 1) * blockSize;
  const out = new Uint8Array(total);
  out.set(data, 0);
  out[data.length] = 0x80;
  return out;
}

/** Strict removal: the last non-zero byte must be 80 and lie in the final block. */
export function unpad(data: Uint8Array, blockSize: number): Uint8Array {
  if (data.length === 0 || data.length % blockSize !== 0) {
    throw new CryptoError('bad-padding', `padded data length ${data.length} is not a positive multiple of ${blockSize}`);
  }
  let i = data.length - 1;
  const limit = data.length - blockSize;
  while (i >= limit && data[i] === 0x00) i--;
  if (i < limit || data[i] !== 0x80) throw new CryptoError('bad-padding', 'ISO 9797-1 method 2 padding not found');
  return data.slice(0, i);
}
