import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hex, toHex } from './bytes.ts';
import { deriveKey, KDF_ENC, KDF_MAC } from './kdf.ts';

describe('ICAO KDF', () => {
  it('derives KEnc/KMac from Kseed (Appendix D.2)', () => {
    const seed = hex('239AB9CB282DAF66231DC5A4DF6BFBAE');
    assert.equal(toHex(deriveKey(seed, KDF_ENC, '3des')), 'AB94FDECF2674FDFB9B391F85D7F76F2');
    assert.equal(toHex(deriveKey(seed, KDF_MAC, '3des')), '7962D9ECE03D1ACD4C76089DCE131543');
  });

  it('derives session keys from K.IFD xor K.IC (Appendix D.3)', () => {
    const seed = hex('0036D272F5C350ACAC50C3F572D23600');
    assert.equal(toHex(deriveKey(seed, KDF_ENC, '3des')), '979EC13B1CBFE9DCD01AB0FED307EAE5');
    assert.equal(toHex(deriveKey(seed, KDF_MAC, '3des')), 'F1CB1F1FB5ADF208806B89DC579DC1F8');
  });

  it('produces AES key sizes from the right hash', () => {
    const seed = hex('00');
    assert.equal(deriveKey(seed, 1, 'aes128').length, 16);
    assert.equal(deriveKey(seed, 1, 'aes192').length, 24);
    assert.equal(deriveKey(seed, 1, 'aes256').length, 32);
    // aes192 is a prefix of aes256 (both SHA-256); aes128 comes from SHA-1 so it differs
    assert.equal(toHex(deriveKey(seed, 1, 'aes256')).slice(0, 48), toHex(deriveKey(seed, 1, 'aes192')));
    assert.notEqual(toHex(deriveKey(seed, 1, 'aes256')).slice(0, 32), toHex(deriveKey(seed, 1, 'aes128')));
  });
});
