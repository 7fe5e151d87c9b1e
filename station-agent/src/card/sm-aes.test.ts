import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { describe, it } from 'node:test';
import { encodeResponseApdu } from './apdu.ts';
import { concat, hex, toHex } from './bytes.ts';
import { aesCmac } from './cmac.ts';
import { SecureMessagingError } from './errors.ts';
import { pad } from './padding.ts';
import { AesSmCipher, aesSecureMessaging } from './sm-aes.ts';
import { encodeTlv } from '@tram/icao/tlv.ts';

// Session keys from the ZeroPass/dmrtd PACE ECDH-GM vector quoted in the notes; any AES-128 keys would do.
const KS_ENC = hex('F5F0E35C0D7161EE6724EE513A0D9A7F');
const KS_MAC = hex('FE251C7858B356B24514B3BD5F4297D1');

/** Independent AES-CBC with IV = AES-ECB(KSenc, SSC), written out with node:crypto directly. */
function referenceEncrypt(ssc: Uint8Array, plain: Uint8Array): Uint8Array {
  const ecb = createCipheriv('aes-128-ecb', KS_ENC, null).setAutoPadding(false);
  const iv = Buffer.concat([ecb.update(ssc), ecb.final()]);
  const cbc = createCipheriv('aes-128-cbc', KS_ENC, iv).setAutoPadding(false);
  return Uint8Array.from(Buffer.concat([cbc.update(pad(plain, 16)), cbc.final()]));
}

const ssc = (n: number) => {
  const s = new Uint8Array(16);
  s[15] = n;
  return s;
};

describe('AES secure messaging', () => {
  it('protects a command: IV from the SSC, 16-byte padding, CMAC truncated to 8', () => {
    const sm = aesSecureMessaging(KS_ENC, KS_MAC);
    const apdu = sm.protectCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') });
    const do87 = encodeTlv(0x87, concat(hex('01'), referenceEncrypt(ssc(1), hex('011E'))));
    const macInput = pad(concat(ssc(1), pad(hex('0CA4020C'), 16), do87), 16);
    const expected = concat(
      hex('0CA4020C'),
      Uint8Array.of(do87.length + 10),
      do87,
      hex('8E08'),
      aesCmac(KS_MAC, macInput).subarray(0, 8),
      hex('00'),
    );
    assert.equal(toHex(apdu), toHex(expected));
  });

  it('verifies and decrypts a response, and rejects a bad MAC', () => {
    const plain = hex('60145F0104303130365F36063034303030305C026175');
    const build = () => {
      const dos = concat(encodeTlv(0x87, concat(hex('01'), referenceEncrypt(ssc(2), plain))), encodeTlv(0x99, hex('9000')));
      const mac = aesCmac(KS_MAC, pad(concat(ssc(2), dos), 16)).subarray(0, 8);
      return encodeResponseApdu(concat(dos, encodeTlv(0x8e, mac)), 0x9000);
    };
    const sm = aesSecureMessaging(KS_ENC, KS_MAC);
    sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 22 });
    assert.equal(toHex(sm.unprotectResponse(build()).data), toHex(plain));

    const sm2 = aesSecureMessaging(KS_ENC, KS_MAC);
    sm2.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 22 });
    const bad = build();
    bad[5]! ^= 1;
    assert.throws(
      () => sm2.unprotectResponse(bad),
      (e: unknown) => e instanceof SecureMessagingError && e.code === 'bad-mac',
    );
  });

  it('requires a 16-byte SSC and valid AES keys', () => {
    assert.throws(() => aesSecureMessaging(KS_ENC, KS_MAC, new Uint8Array(8)), SecureMessagingError);
    assert.throws(() => new AesSmCipher(new Uint8Array(10), KS_MAC));
  });
});
