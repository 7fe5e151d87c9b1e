import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCertificate } from './certificate.ts';
import { encodeOid, TAG } from './der.ts';
import { cscaStoreFromDer, loadCscaStore, verifyPassive } from './passive-auth.ts';
import { curveFromExplicitParameters, importPublicKey, KeyError } from './public-key.ts';
import { makeTestCccd } from '@tram/testing/icao/test-documents.ts';
import { childrenOf, encodeTlv, parseTlv } from './tlv.ts';

const storeFor = (d: { cscaDer: Uint8Array }) => cscaStoreFromDer([d.cscaDer]);

describe('Passive Authentication', () => {
  it('accepts a valid document and lists the verified groups', () => {
    const d = makeTestCccd();
    const r = verifyPassive(d.sod, d.dataGroups, storeFor(d));
    assert.deepEqual(r.failures, []);
    assert.equal(r.ok, true);
    assert.equal(r.hashAlgorithm, 'sha256');
    assert.deepEqual(r.checkedGroups, [1, 13, 15]);
    assert.deepEqual(r.signer, { subject: 'CN=Tram Test Document Signer,O=Tram Test PKI,C=VN', serial: '1001' });
  });

  for (const dsKey of ['ec', 'rsa', 'rsa-pss'] as const) {
    it(`verifies a SOD signed with ${dsKey}, and rejects it after one signature bit flips`, () => {
      const d = makeTestCccd({}, { dsKey });
      assert.equal(verifyPassive(d.sod, d.dataGroups, storeFor(d)).ok, true);
      const bad = Uint8Array.from(d.sod);
      bad[bad.length - 5]! ^= 0x01; // the SignerInfo signature is the last field of the SOD
      assert.deepEqual(verifyPassive(bad, d.dataGroups, storeFor(d)).failures, ['sod_signature_invalid']);
    });
  }

  it('reports a tampered DG13 as dg_hash_mismatch:13', () => {
    const d = makeTestCccd({}, { tamperDg13: true });
    const r = verifyPassive(d.sod, d.dataGroups, storeFor(d));
    assert.equal(r.ok, false);
    assert.deepEqual(r.failures, ['dg_hash_mismatch:13']);
    assert.deepEqual(r.checkedGroups, [1, 15]);
  });

  it('reports a data group the SOD does not list', () => {
    const d = makeTestCccd();
    const groups = new Map(d.dataGroups).set(2, encodeTlv(0x75, Uint8Array.of(1, 2, 3)));
    assert.deepEqual(verifyPassive(d.sod, groups, storeFor(d)).failures, ['dg_not_in_sod:2']);
  });

  it('rejects a Document Signer from a look-alike CSCA (same name, other key) as untrusted', () => {
    const d = makeTestCccd({}, { unknownCsca: true });
    assert.deepEqual(verifyPassive(d.sod, d.dataGroups, storeFor(d)).failures, ['ds_certificate_untrusted']);
    assert.deepEqual(verifyPassive(d.sod, d.dataGroups, { certificates: [] }).failures, ['ds_certificate_untrusted']);
  });

  it('reports an expired Document Signer certificate, and checks dates against `now`', () => {
    const d = makeTestCccd({}, { expiredDs: true });
    assert.deepEqual(verifyPassive(d.sod, d.dataGroups, storeFor(d)).failures, ['ds_certificate_expired']);
    assert.equal(verifyPassive(d.sod, d.dataGroups, storeFor(d), new Date('2019-06-01')).ok, true);
    const fresh = makeTestCccd();
    assert.deepEqual(verifyPassive(fresh.sod, fresh.dataGroups, storeFor(fresh), new Date('2041-01-01')).failures, [
      'ds_certificate_expired',
    ]);
  });

  it('verifies a DS certificate signed by a CSCA with explicit brainpoolP256r1 parameters', () => {
    const d = makeTestCccd({}, { eccCsca: true });
    const csca = parseCertificate(d.cscaDer);
    const [alg] = childrenOf(parseTlv(csca.spki));
    const params = childrenOf(alg!)[1]!;
    assert.equal(params.tag, TAG.SEQUENCE, 'the CSCA key carries explicit ECParameters, not a curve OID');
    assert.equal(curveFromExplicitParameters(params).name, 'brainpoolP256r1');
    assert.equal(verifyPassive(d.sod, d.dataGroups, storeFor(d)).ok, true);
  });

  it('refuses explicit EC parameters that match no known curve', () => {
    const csca = parseCertificate(makeTestCccd({}, { eccCsca: true }).cscaDer);
    const spki = Uint8Array.from(csca.spki);
    // Flip a bit inside the curve coefficient b (ECParameters: version, fieldID, curve{a, b}, ...).
    const at = Buffer.from(spki).indexOf(Buffer.from(encodeOid('1.2.840.10045.1.1'))) + 60;
    spki[at]! ^= 0x01;
    assert.throws(() => importPublicKey(spki), KeyError);
  });

  it('never throws on garbage or truncated SODs', () => {
    const d = makeTestCccd();
    const store = storeFor(d);
    const inputs = [
      new Uint8Array(0),
      Uint8Array.of(0x77),
      Uint8Array.of(0x77, 0x82, 0xff, 0xff),
      d.sod.subarray(0, d.sod.length - 1),
      d.sod.subarray(0, 100),
      encodeTlv(0x77, d.sod.subarray(4, 200)),
    ];
    for (let i = 0; i < 200; i++) {
      const m = Uint8Array.from(d.sod);
      m[(i * 7919) % m.length] = (i * 31) & 0xff;
      inputs.push(m);
    }
    for (const input of inputs.slice(0, 6)) {
      const r = verifyPassive(input, d.dataGroups, store);
      assert.deepEqual(r.failures, ['sod_malformed']);
      assert.equal(r.ok, false);
    }
    for (const input of inputs.slice(6)) {
      const r = verifyPassive(input, d.dataGroups, store); // must return, whatever it finds
      if (Buffer.compare(input, d.sod) !== 0) assert.equal(r.ok, false);
    }
  });

  it('loads CSCAs from PEM and DER files and folders', () => {
    const d = makeTestCccd();
    const dir = mkdtempSync(join(tmpdir(), 'csca-'));
    writeFileSync(join(dir, 'vn.pem'), d.cscaPem);
    writeFileSync(join(dir, 'vn.der'), d.cscaDer);
    writeFileSync(join(dir, 'README.txt'), 'not a certificate');
    const store = loadCscaStore([dir]);
    assert.equal(store.certificates.length, 2);
    assert.equal(verifyPassive(d.sod, d.dataGroups, loadCscaStore([join(dir, 'vn.pem')])).ok, true);
    assert.throws(() => loadCscaStore([join(dir, 'README.txt')]));
  });

  it('takes only CA certificates as CSCAs, and refuses a store with none', () => {
    const d = makeTestCccd();
    const dir = mkdtempSync(join(tmpdir(), 'csca-'));
    writeFileSync(join(dir, 'ds.der'), d.dsDer); // a Document Signer: not a CA
    assert.throws(() => loadCscaStore([dir]), /is not a CA certificate.*cA=true.*keyCertSign/);
    assert.throws(() => cscaStoreFromDer([d.dsDer]), /is not a CA certificate/);
    const empty = mkdtempSync(join(tmpdir(), 'csca-empty-'));
    assert.throws(() => loadCscaStore([empty]), /no CSCA certificates/);
    // A store built around the loader still ignores a certificate that may not issue others.
    const csca = parseCertificate(d.cscaDer);
    assert.equal(csca.ca && csca.keyCertSign, true);
    const r = verifyPassive(d.sod, d.dataGroups, { certificates: [{ ...csca, ca: false }] });
    assert.deepEqual(r.failures, ['ds_certificate_untrusted']);
  });
});
