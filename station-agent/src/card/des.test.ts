import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hex, toHex } from './bytes.ts';
import { adjustParity, retailMac, tdesCbcDecrypt, tdesCbcEncrypt } from './des.ts';
import { CryptoError } from './errors.ts';
import { pad } from './padding.ts';

// ICAO 9303-11 Appendix D.3 values.
const K_ENC = hex('AB94FDECF2674FDFB9B391F85D7F76F2');
const K_MAC = hex('7962D9ECE03D1ACD4C76089DCE131543');
const S = hex('781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B');
const E_IFD = hex('72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2');

describe('DES primitives', () => {
  it('adjusts parity bits to odd parity (Appendix D: Kseed halves → KEnc)', () => {
    // SHA-1(Kseed‖00000001)[0..16] before adjustment, from Appendix D.1
    assert.equal(toHex(adjustParity(hex('AB94FCEDF2664EDFB9B291F85D7F77F2'))), toHex(K_ENC));
    for (const b of adjustParity(hex('000102030405060708090A0B0C0D0E0F'))) {
      let ones = 0;
      for (let v = b; v; v >>= 1) ones += v & 1;
      assert.equal(ones % 2, 1);
    }
  });

  it('3DES-CBC with zero IV reproduces E.IFD', () => {
    assert.equal(toHex(tdesCbcEncrypt(K_ENC, S)), toHex(E_IFD));
    assert.equal(toHex(tdesCbcDecrypt(K_ENC, E_IFD)), toHex(S));
  });

  it('retail MAC reproduces M.IFD and M.IC', () => {
    assert.equal(toHex(retailMac(K_MAC, pad(E_IFD, 8))), '5F1448EEA8AD90A7');
    const eIc = hex('46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F');
    assert.equal(toHex(retailMac(K_MAC, pad(eIc, 8))), '2F2D235D074D7449');
  });

  it('retail MAC of a single block equals 3DES of that block', () => {
    const block = hex('0011223344556677');
    assert.equal(toHex(retailMac(K_MAC, block)), toHex(tdesCbcEncrypt(K_MAC, block)));
  });

  it('rejects wrong key sizes and partial blocks', () => {
    const isCrypto = (code: CryptoError['code']) => (e: unknown) => e instanceof CryptoError && e.code === code;
    assert.throws(() => tdesCbcEncrypt(new Uint8Array(8), S), isCrypto('bad-key'));
    assert.throws(() => tdesCbcEncrypt(K_ENC, new Uint8Array(7)), isCrypto('bad-block-length'));
    assert.throws(() => retailMac(K_MAC, new Uint8Array(0)), isCrypto('bad-block-length'));
    assert.throws(() => retailMac(K_MAC.subarray(0, 8), new Uint8Array(8)), isCrypto('bad-key'));
  });
});
