import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { toHex } from './bytes.ts';
import { encodeOid, encodeUnsignedInteger, octetString, sequence } from './der.ts';
import { parseLdsSecurityObject, parseSod, SodError } from './sod.ts';
import { makeTestCccd } from '@tram/testing/icao/test-documents.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

describe('EF.SOD', () => {
  it('parses the LDS Security Object with one hash per data group', () => {
    const d = makeTestCccd();
    const sod = parseSod(d.sod);
    assert.equal(sod.lso.version, 0);
    assert.equal(sod.lso.hashAlgorithm, 'sha256');
    assert.deepEqual([...sod.lso.dataGroupHashes.keys()], [1, 13, 15]);
    assert.equal(toHex(sod.lso.dataGroupHashes.get(13)!), toHex(sha256(d.dataGroups.get(13)!)));
    assert.equal(toHex(sod.messageDigest), toHex(sha256(sod.eContent)));
    assert.equal(sod.signedAttributes[0], 0x31);
    assert.equal(sod.certificates.length, 1);
  });

  it('rejects malformed LDS Security Objects with SodError', () => {
    const h = octetString(new Uint8Array(32));
    const alg = sequence(encodeOid('2.16.840.1.101.3.4.2.1'));
    const dgh = (n: number, hash = h) => sequence(encodeUnsignedInteger(BigInt(n)), hash);
    assert.equal(parseLdsSecurityObject(sequence(encodeUnsignedInteger(0n), alg, sequence(dgh(1), dgh(2)))).dataGroupHashes.size, 2);
    const bad = [
      sequence(encodeUnsignedInteger(0n), alg, sequence(dgh(1), dgh(1))), // duplicate
      sequence(encodeUnsignedInteger(0n), alg, sequence(dgh(17))), // no DG17
      sequence(encodeUnsignedInteger(0n), alg, sequence(dgh(1, octetString(new Uint8Array(20))))), // wrong hash size
      sequence(encodeUnsignedInteger(0n), sequence(encodeOid('1.2.3.4')), sequence(dgh(1))), // unknown hash
      sequence(encodeUnsignedInteger(2n), alg, sequence(dgh(1))), // version
    ];
    for (const b of bad) assert.throws(() => parseLdsSecurityObject(b), SodError);
  });

  it('throws only SodError on garbage', () => {
    const d = makeTestCccd();
    for (const input of [new Uint8Array(0), d.sod.subarray(0, 50), Uint8Array.of(0x77, 0x03, 0x30, 0x01, 0x00), d.sod.subarray(4)]) {
      assert.throws(() => parseSod(input), SodError);
    }
  });
});
