// The CSCA trust store is loaded and checked when the hub starts: a path that is not there, a
// folder with no certificates, a certificate that is not a CA, or (in production) the test CSCA
// stop the hub with a message that says so, before it listens; nothing fails per card later.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHub } from './support/env.ts';
import { loadTrustStore } from '../src/identity/verify-document.ts';
import { makeTestCccd } from '@tram/testing/icao/test-documents.ts';

let dir: string;
const doc = makeTestCccd();
// The hub must refuse before it connects to anything: this database does not exist.
const noDb = 'postgres://nobody@127.0.0.1:1/none';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tram-trust-'));
  mkdirSync(join(dir, 'empty'));
  mkdirSync(join(dir, 'test-pki'));
  writeFileSync(join(dir, 'test-pki', 'csca.pem'), doc.cscaPem);
  mkdirSync(join(dir, 'leaf'));
  writeFileSync(join(dir, 'leaf', 'ds.der'), doc.dsDer);
  // A CSCA of another PKI, made the way a country's would be (openssl, CA extensions).
  mkdirSync(join(dir, 'national'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      '/C=VN/O=Bo Cong an/CN=CSCA Viet Nam',
      '-keyout',
      join(dir, 'national.key'),
      '-out',
      join(dir, 'national', 'csca.pem'),
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    { stdio: 'ignore' },
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a bad CSCA_PATHS stops the hub at start with a clear message', async () => {
  const cases: [string, string, RegExp][] = [
    ['missing path', join(dir, 'nope'), /CSCA_PATHS is unusable: CSCA path .*nope: ENOENT/],
    ['empty folder', join(dir, 'empty'), /CSCA_PATHS is unusable: no CSCA certificates/],
    ['a Document Signer, not a CA', join(dir, 'leaf'), /CSCA_PATHS is unusable: .*is not a CA certificate/],
  ];
  for (const [what, paths, message] of cases) await assert.rejects(startTestHub(noDb, { CSCA_PATHS: paths }), message, what);
});

test('the test CSCA is refused at start when NODE_ENV=production, and used in development', async () => {
  await assert.rejects(
    startTestHub(noDb, {
      NODE_ENV: 'production',
      LIVEKIT_API_SECRET: 'a-production-secret-0123456789abcdefghij',
      CSCA_PATHS: `${join(dir, 'national')},${join(dir, 'test-pki')}`,
    }),
    /Trạm test CSCA \(CN=Tram Test CSCA,O=Tram Test PKI,C=VN\).*refused when NODE_ENV=production/,
  );
  assert.equal(loadTrustStore([join(dir, 'test-pki')], false)?.certificates.length, 1);
  // A real country's CSCA is fine in production.
  assert.equal(loadTrustStore([join(dir, 'national')], true)?.certificates[0]?.subjectText, 'CN=CSCA Viet Nam,O=Bo Cong an,C=VN');
});
