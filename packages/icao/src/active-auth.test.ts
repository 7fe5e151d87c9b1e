import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { verifyActive } from './active-auth.ts';
import { hex } from './bytes.ts';
import { makeTestCccd, signActiveChallenge } from '@tram/testing/icao/test-documents.ts';
import { encodeTlv } from './tlv.ts';

const CHALLENGE = hex('0102030405060708');
const OTHER = hex('0102030405060709');

describe('Active Authentication', () => {
  it('RSA (ISO 9796-2 scheme 1, SHA-1): ok with the chip key, fails with another challenge or key', () => {
    const d = makeTestCccd({}, { aaKey: 'rsa' });
    const dg15 = d.dataGroups.get(15)!;
    const sig = signActiveChallenge(d.aaPrivateKey!, CHALLENGE);
    assert.deepEqual(verifyActive(dg15, CHALLENGE, sig), { ok: true, algorithm: 'rsa-iso9796-2-sha1' });
    assert.equal(verifyActive(dg15, OTHER, sig).failure, 'signature_invalid');
    const stranger = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    assert.equal(verifyActive(dg15, CHALLENGE, signActiveChallenge(stranger, CHALLENGE)).ok, false);
    const flipped = Uint8Array.from(sig);
    flipped[10]! ^= 0x40;
    assert.equal(verifyActive(dg15, CHALLENGE, flipped).ok, false);
  });

  it('ECDSA (plain r‖s): hash from DG14 ActiveAuthenticationInfo or the key size', () => {
    const d = makeTestCccd({}, { aaKey: 'ec' });
    const dg15 = d.dataGroups.get(15)!;
    const sig = signActiveChallenge(d.aaPrivateKey!, CHALLENGE);
    assert.equal(sig.length, 64);
    assert.deepEqual(verifyActive(dg15, CHALLENGE, sig, { dg14: d.dataGroups.get(14)! }), { ok: true, algorithm: 'ecdsa-sha256' });
    assert.deepEqual(verifyActive(dg15, CHALLENGE, sig), { ok: true, algorithm: 'ecdsa-sha256' });
    assert.equal(verifyActive(dg15, OTHER, sig).ok, false);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    assert.equal(verifyActive(dg15, CHALLENGE, signActiveChallenge(stranger, CHALLENGE)).ok, false);
  });

  it('never throws on malformed DG15 or signatures', () => {
    const d = makeTestCccd();
    assert.equal(verifyActive(hex('6F03020100'), CHALLENGE, hex('00')).failure, 'dg15_malformed');
    assert.equal(verifyActive(encodeTlv(0x6f, hex('3000')), CHALLENGE, hex('00')).failure, 'dg15_malformed');
    assert.equal(verifyActive(new Uint8Array(0), CHALLENGE, hex('00')).ok, false);
    assert.equal(verifyActive(d.dataGroups.get(15)!, CHALLENGE, new Uint8Array(0)).ok, false);
    assert.equal(verifyActive(d.dataGroups.get(15)!, CHALLENGE, new Uint8Array(128).fill(0xff)).ok, false);
    assert.equal(verifyActive(d.dataGroups.get(15)!, hex('0102'), new Uint8Array(128)).failure, 'bad_challenge');
  });
});
