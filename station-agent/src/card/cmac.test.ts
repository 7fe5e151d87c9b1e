import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hex, toHex } from './bytes.ts';
import { aesCmac, cmacSubkeys } from './cmac.ts';
import { CryptoError } from './errors.ts';

// RFC 4493 section 4 test vectors (AES-128).
const KEY = hex('2b7e151628aed2a6abf7158809cf4f3c');
const MSG = hex(
  '6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710',
);

describe('AES-CMAC', () => {
  it('derives the RFC 4493 subkeys', () => {
    const { k1, k2 } = cmacSubkeys(KEY);
    assert.equal(toHex(k1), 'FBEED618357133667C85E08F7236A8DE');
    assert.equal(toHex(k2), 'F7DDAC306AE266CCF90BC11EE46D513B');
  });

  it('matches RFC 4493 examples 1-4', () => {
    assert.equal(toHex(aesCmac(KEY, new Uint8Array(0))), 'BB1D6929E95937287FA37D129B756746');
    assert.equal(toHex(aesCmac(KEY, MSG.subarray(0, 16))), '070A16B46B4D4144F79BDD9DD04A287C');
    assert.equal(toHex(aesCmac(KEY, MSG.subarray(0, 40))), 'DFA66747DE9AE63030CA32611497C827');
    assert.equal(toHex(aesCmac(KEY, MSG)), '51F0BEBF7E3B9D92FC49741779363CFE');
  });

  it('rejects invalid AES key sizes', () => {
    assert.throws(
      () => aesCmac(new Uint8Array(15), MSG),
      (e: unknown) => e instanceof CryptoError && e.code === 'bad-key',
    );
  });
});
