import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeResponseApdu } from './apdu.ts';
import { concat, hex, toHex } from './bytes.ts';
import { SecureMessagingError } from './errors.ts';
import { pad } from './padding.ts';
import { incrementSsc, type SecureMessaging, type SmCipher } from './secure-messaging.ts';
import { DesSmCipher, desSecureMessaging } from './sm-des.ts';
import { encodeTlv } from '@tram/icao/tlv.ts';

// ICAO 9303-11 Appendix D.4 session.
const KS_ENC = hex('979EC13B1CBFE9DCD01AB0FED307EAE5');
const KS_MAC = hex('F1CB1F1FB5ADF208806B89DC579DC1F8');
const SSC0 = hex('887022120C06C226');

const SELECT_RESP = hex('990290008E08FA855A5D4C50A8ED9000');
const READ4_RESP = hex('8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000');
const READ18_RESP = hex('871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000');

const newSession = () => desSecureMessaging(KS_ENC, KS_MAC, SSC0);
const isSm = (code: SecureMessagingError['code']) => (e: unknown) => e instanceof SecureMessagingError && e.code === code;

/** Advances a session past SELECT so the READ BINARY steps line up with Appendix D. */
function afterSelect(): SecureMessaging {
  const sm = newSession();
  sm.protectCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') });
  sm.unprotectResponse(SELECT_RESP);
  return sm;
}

/** Builds a correctly MACed DES response around arbitrary DOs, to test checks after the MAC. */
function forgeResponse(ssc: Uint8Array, dos: Uint8Array, sw: number): Uint8Array {
  const cipher = new DesSmCipher(KS_ENC, KS_MAC);
  const mac = cipher.mac(pad(concat(ssc, dos), 8));
  return encodeResponseApdu(concat(dos, encodeTlv(0x8e, mac)), sw);
}

describe('DES secure messaging: Part 11 Appendix D.4 byte for byte', () => {
  it('protects SELECT EF.COM', () => {
    const sm = newSession();
    const apdu = sm.protectCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') });
    assert.equal(toHex(apdu), '0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800');
    assert.equal(toHex(sm.sendSequenceCounter), '887022120C06C227');
  });

  it('verifies the SELECT response', () => {
    const sm = newSession();
    sm.protectCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') });
    const r = sm.unprotectResponse(SELECT_RESP);
    assert.equal(r.sw, 0x9000);
    assert.equal(r.data.length, 0);
    assert.equal(toHex(sm.sendSequenceCounter), '887022120C06C228');
  });

  it('protects READ BINARY of 4 bytes and decrypts the response to 60145F01', () => {
    const sm = afterSelect();
    assert.equal(toHex(sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 })), '0CB000000D9701048E08ED6705417E96BA5500');
    const r = sm.unprotectResponse(READ4_RESP);
    assert.equal(toHex(r.data), '60145F01');
    assert.equal(r.sw, 0x9000);
  });

  it('protects READ BINARY of 18 bytes at offset 4 and decrypts the rest of EF.COM', () => {
    const sm = afterSelect();
    sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
    sm.unprotectResponse(READ4_RESP);
    assert.equal(toHex(sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 0x12 })), '0CB000040D9701128E082EA28A70F3C7B53500');
    const r = sm.unprotectResponse(READ18_RESP);
    assert.equal(toHex(r.data), '04303130365F36063034303030305C026175');
    assert.equal(toHex(sm.sendSequenceCounter), '887022120C06C22C');
  });
});

describe('DES secure messaging: hostile responses', () => {
  it('rejects a flipped MAC bit and closes the session', () => {
    const sm = afterSelect();
    sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
    const bad = Uint8Array.from(READ4_RESP);
    bad[bad.length - 3]! ^= 0x80;
    assert.throws(() => sm.unprotectResponse(bad), isSm('bad-mac'));
    assert.equal(sm.isClosed, true);
    assert.throws(() => sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }), isSm('session-closed'));
  });

  it('rejects a tampered cryptogram (MAC covers DO87)', () => {
    const sm = afterSelect();
    sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
    const bad = Uint8Array.from(READ4_RESP);
    bad[4]! ^= 0x01;
    assert.throws(() => sm.unprotectResponse(bad), isSm('bad-mac'));
  });

  it('rejects a replayed response (SSC has moved on)', () => {
    const sm = afterSelect();
    sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
    sm.unprotectResponse(READ4_RESP);
    sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 0x12 });
    assert.throws(() => sm.unprotectResponse(READ4_RESP), isSm('bad-mac'));
  });

  it('reports a plain error status as unprotected-response with the SW', () => {
    const sm = afterSelect();
    sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
    assert.throws(
      () => sm.unprotectResponse(hex('6988')),
      (e: unknown) => isSm('unprotected-response')(e) && (e as SecureMessagingError).sw === 0x6988,
    );
  });

  it('rejects missing DO8E, missing DO99, unknown DOs and truncated TLVs', () => {
    const cases = [
      hex('990290009000'), // no MAC
      hex('8E08FA855A5D4C50A8ED9000'), // no status
      hex('8E08FA855A5D4C50A8ED990290009000'), // MAC not last
      hex('8A0100990290008E08FA855A5D4C50A8ED9000'), // unknown DO first
      hex('990290008E0AFA855A5D4C50A8ED00009000'), // 10-byte MAC
      hex('8709019FF0EC349000'), // DO87 runs past the end
    ];
    for (const c of cases) {
      const sm = afterSelect();
      sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
      assert.throws(() => sm.unprotectResponse(c), isSm('bad-structure'), toHex(c));
    }
  });

  it('rejects DO99 disagreeing with the trailer SW', () => {
    const sm = afterSelect();
    sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
    const ssc = sm.sendSequenceCounter;
    incrementSsc(ssc);
    const resp = forgeResponse(ssc, encodeTlv(0x99, hex('6282')), 0x9000);
    assert.throws(() => sm.unprotectResponse(resp), isSm('status-mismatch'));
  });

  it('rejects bad padding inside a correctly MACed cryptogram', () => {
    const sm = afterSelect();
    sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
    const ssc = sm.sendSequenceCounter;
    incrementSsc(ssc);
    const cipher: SmCipher = new DesSmCipher(KS_ENC, KS_MAC);
    const noPadding = cipher.encrypt(hex('60145F0100000000'), ssc); // no 80 marker
    const dos = concat(encodeTlv(0x87, concat(hex('01'), noPadding)), encodeTlv(0x99, hex('9000')));
    assert.throws(() => sm.unprotectResponse(forgeResponse(ssc, dos, 0x9000)), isSm('bad-padding'));
  });

  it('rejects a wrong padding indicator and partial-block cryptograms', () => {
    for (const body of [concat(hex('02'), new Uint8Array(8)), concat(hex('01'), new Uint8Array(7))]) {
      const sm = afterSelect();
      sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
      const ssc = sm.sendSequenceCounter;
      incrementSsc(ssc);
      const dos = concat(encodeTlv(0x87, body), encodeTlv(0x99, hex('9000')));
      assert.throws(() => sm.unprotectResponse(forgeResponse(ssc, dos, 0x9000)), isSm('bad-structure'));
    }
  });
});

describe('SSC and command framing', () => {
  it('increments with carry and wraps', () => {
    const a = hex('00000000000000FF');
    incrementSsc(a);
    assert.equal(toHex(a), '0000000000000100');
    const b = hex('FFFFFFFFFFFFFFFF');
    incrementSsc(b);
    assert.equal(toHex(b), '0000000000000000');
  });

  it('uses DO85 for odd INS and extended Le for large reads', () => {
    const sm = newSession();
    const apdu = sm.protectCommand({ cla: 0, ins: 0xb1, p1: 0, p2: 0, data: hex('54028000'), ne: 0x1000 });
    // Extended: CLA INS P1 P2 00 Lc(2) … Le(2)=0000
    assert.equal(toHex(apdu.subarray(0, 5)), '0CB1000000');
    assert.equal(toHex(apdu.subarray(apdu.length - 2)), '0000');
    const body = apdu.subarray(7, apdu.length - 2);
    assert.equal(body[0], 0x85);
    assert.equal(body[1], 8); // 4 bytes padded to one DES block, no padding indicator
    assert.equal(toHex(body.subarray(10, 14)), '97021000');
  });
});
