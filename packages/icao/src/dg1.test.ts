import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDg1, parseTd1 } from './dg1.ts';
import { DataGroupError } from './errors.ts';
import { encodeTlv } from './tlv.ts';

// Synthetic CCCD MRZ from the notes (check digits recomputed there).
const CCCD_MRZ = 'IDVNM0900123450001090012345<<1' + '9001158M3001156VNM<<<<<<<<<<<8' + 'NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<';
const dg1 = (mrz: string) => encodeTlv(0x61, [encodeTlv(0x5f1f, new TextEncoder().encode(mrz))]);
const isDgError = (code: DataGroupError['code']) => (e: unknown) => e instanceof DataGroupError && e.code === code;

describe('DG1 TD1', () => {
  it('parses the synthetic CCCD MRZ into fields with all check digits valid', () => {
    const m = parseDg1(dg1(CCCD_MRZ));
    assert.equal(m.documentCode, 'ID');
    assert.equal(m.issuingState, 'VNM');
    assert.equal(m.documentNumber, '090012345');
    assert.equal(m.optionalData1, '001090012345<<1');
    assert.equal(m.cccdIdNumber, '001090012345');
    assert.equal(m.dateOfBirth, '900115');
    assert.equal(m.sex, 'M');
    assert.equal(m.dateOfExpiry, '300115');
    assert.equal(m.nationality, 'VNM');
    assert.equal(m.optionalData2, '');
    assert.equal(m.primaryIdentifier, 'NGUYEN');
    assert.equal(m.secondaryIdentifier, 'VAN A');
    assert.deepEqual(m.checks, { documentNumber: true, dateOfBirth: true, dateOfExpiry: true, composite: true });
  });

  it('flags each wrong check digit', () => {
    const bad = CCCD_MRZ.slice(0, 14) + '9' + CCCD_MRZ.slice(15, 36) + '7' + CCCD_MRZ.slice(37, 59) + '0' + CCCD_MRZ.slice(60);
    const m = parseTd1(bad);
    assert.deepEqual(m.checks, { documentNumber: false, dateOfBirth: false, dateOfExpiry: true, composite: false });
  });

  it('parses the ICAO 9303-5 TD1 specimen including a long document number', () => {
    // 9303-5 Appendix: document number D23145890734 continues into optional data.
    const l1 = 'I<UTOD23145890<7349<<<<<<<<<<<';
    const l2 = '3407127M9507122UTO<<<<<<<<<<<2';
    const l3 = 'STEVENSON<<PETER<JOHN<<<<<<<<<';
    const m = parseTd1(l1 + l2 + l3);
    assert.equal(m.documentNumber, 'D23145890734');
    assert.equal(m.checks.documentNumber, true);
    assert.equal(m.checks.composite, true);
    assert.equal(m.secondaryIdentifier, 'PETER JOHN');
    assert.equal(m.cccdIdNumber, undefined);
  });

  it('rejects malformed DG1 with typed errors', () => {
    assert.throws(() => parseDg1(dg1(CCCD_MRZ.slice(0, 89))), isDgError('bad-structure'));
    assert.throws(() => parseDg1(dg1(CCCD_MRZ.toLowerCase())), isDgError('bad-text'));
    assert.throws(() => parseDg1(dg1(CCCD_MRZ).subarray(0, 50)), isDgError('bad-structure')); // truncated
    assert.throws(() => parseDg1(encodeTlv(0x6d, [encodeTlv(0x5f1f, new Uint8Array(90))])), isDgError('bad-structure'));
    assert.throws(() => parseDg1(encodeTlv(0x61, [encodeTlv(0x5f20, new Uint8Array(90))])), isDgError('bad-structure'));
  });
});
