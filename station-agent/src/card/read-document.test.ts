// readDocument against the simulated chip (no PC/SC): which files it reads and how it names a
// wrong access key. The PC/SC end-to-end tests are in station-agent/test/card-pcsc.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';
import { readDocument, ReadDocumentError } from './read-document.ts';

const challenge = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

test('DG15 and DG14 are read when the SOD lists them, even when EF.COM leaves them out', async () => {
  const v = virtualCccd({ doc: { aaKey: 'ec', comOmits: [14, 15] } });
  const doc = await readDocument(v.chip(), v.access, { challenge });
  assert.deepEqual(
    [...doc.dataGroups.keys()].sort((a, b) => a - b),
    [1, 13, 14, 15],
  );
  assert.ok(doc.activeAuth, 'Active Authentication ran');
});

test('a wrong key refused with any status word (6988, 6982, 6300) is access denied, with the hint', async () => {
  for (const sw of [0x6988, 0x6982, 0x6300]) {
    for (const cardAccess of [false, true]) {
      const v = virtualCccd({ doc: { aaKey: 'none' }, wrongKeySw: sw, cardAccess });
      const wrong = cardAccess ? { can: '000000' } : { ...v.access, dateOfBirth: '990101' };
      await assert.rejects(
        readDocument(v.chip(), wrong),
        (e) =>
          e instanceof ReadDocumentError &&
          e.code === 'access-denied' &&
          e.sw === sw &&
          /check the (ID number and dates|CAN)/.test(e.message),
        `${sw.toString(16)} ${cardAccess ? 'PACE' : 'BAC'}`,
      );
    }
  }
});
