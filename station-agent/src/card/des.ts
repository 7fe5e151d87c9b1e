// DES primitives for BAC and DES secure messaging.
// Node 20's OpenSSL 3 has no single DES, so single-DES steps use 2-key EDE with K‖K
// (E_K(D_K(E_K(x))) = E_K(x)); 3DES uses des-ede (K1‖K2, two-key) which is what ICAO specifies.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { concat, fromBuffer, xor } from './bytes.ts';
import { CryptoError } from './errors.ts';

export const DES_BLOCK = 8;
const ZERO_IV = new Uint8Array(DES_BLOCK);

function checkKey(key: Uint8Array, len: number): void {
  if (key.length !== len) throw new CryptoError('bad-key', `expected a ${len}-byte DES key, got ${key.length}`);
}

function checkBlocks(data: Uint8Array): void {
  if (data.length % DES_BLOCK !== 0) {
    throw new CryptoError('bad-block-length', `data length ${data.length} is not a multiple of ${DES_BLOCK}`);
  }
}

/** Sets each key byte's low bit so the byte has odd parity (DES key convention). */
export function adjustParity(key: Uint8Array): Uint8Array {
  return key.map((b) => {
    let ones = 0;
    for (let v = b >> 1; v; v >>= 1) ones += v & 1;
    return (b & 0xfe) | (ones % 2 === 0 ? 1 : 0);
  });
}

function run(alg: string, encrypt: boolean, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array): Uint8Array {
  const c = encrypt ? createCipheriv(alg, key, iv) : createDecipheriv(alg, key, iv);
  c.setAutoPadding(false); // ICAO pads explicitly (method 2) before encrypting
  return fromBuffer(Buffer.concat([c.update(data), c.final()]));
}

/** 2-key 3DES-CBC encryption; ICAO uses a zero IV for BAC and DES SM. */
export function tdesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV): Uint8Array {
  checkKey(key, 16);
  checkBlocks(data);
  return run('des-ede-cbc', true, key, iv, data);
}

export function tdesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV): Uint8Array {
  checkKey(key, 16);
  checkBlocks(data);
  return run('des-ede-cbc', false, key, iv, data);
}

/** Single-DES CBC via K‖K. */
function desCbcEncrypt(key8: Uint8Array, data: Uint8Array): Uint8Array {
  return run('des-ede-cbc', true, concat(key8, key8), ZERO_IV, data);
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") with DES, 8-byte output.
 * `data` must already be padded (callers apply method 2 as ICAO requires).
 * Single-DES CBC with K1 over all blocks but the last, then the last chaining
 * step is E_K1(D_K2(E_K1(x))) — i.e. 3DES-EDE with K1‖K2 on one block.
 */
export function retailMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key, 16);
  checkBlocks(data);
  if (data.length === 0) throw new CryptoError('bad-block-length', 'retail MAC of empty input');
  const k1 = key.subarray(0, 8);
  const head = data.subarray(0, data.length - DES_BLOCK);
  const last = data.subarray(data.length - DES_BLOCK);
  const chain = head.length > 0 ? desCbcEncrypt(k1, head).subarray(head.length - DES_BLOCK) : ZERO_IV;
  return run('des-ede', true, key, null, xor(chain, last));
}
