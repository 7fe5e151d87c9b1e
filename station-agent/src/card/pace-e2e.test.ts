// End to end on the simulated chip, through the agent's readDocument: PACE (or BAC) -> read files ->
// Active Authentication (INTERNAL AUTHENTICATE with the hub's challenge) -> Passive and Active
// Authentication verified as the hub does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyActive } from '@tram/icao/active-auth.ts';
import { parseDg13 } from '@tram/icao/dg13.ts';
import { cscaStoreFromDer, verifyPassive } from '@tram/icao/passive-auth.ts';
import { makeTestCccd, type TestCccd } from '@tram/testing/icao/test-documents.ts';
import { FakeChip, type FakeChipOptions } from '@tram/testing/card/fake-chip.ts';
import { StatusError } from './errors.ts';
import { EF, readFile } from './files.ts';
import { readDocument, ReadDocumentError } from './read-document.ts';
import { PlainChannel } from './transport.ts';

const challenge = () => Uint8Array.from({ length: 8 }, () => Math.floor(Math.random() * 256));
const mrzKey = (doc: TestCccd) => ({ idNumber: doc.person.idNumber, dateOfBirth: doc.mrz.dateOfBirth, dateOfExpiry: doc.mrz.dateOfExpiry });

/** The card as issued, or (pace: false) an older one without EF.CardAccess, which only BAC opens. */
function chipOf(doc: TestCccd, { pace = true, ...opts }: { pace?: boolean } & Partial<FakeChipOptions> = {}): FakeChip {
  if (pace) return FakeChip.fromTestCccd(doc, opts);
  const files = new Map<number, Uint8Array>([
    [EF.COM, doc.com],
    [EF.SOD, doc.sod],
    ...[...doc.dataGroups].map(([n, f]) => [0x0100 + n, f] as [number, Uint8Array]),
  ]);
  return FakeChip.fromTestCccd(doc, { files, ...opts });
}

describe('CCCD on the simulated chip', () => {
  for (const access of ['can', 'mrz', 'bac'] as const) {
    it(`${access}: read DG1/DG13/DG15/SOD, Passive Authentication ok, Active Authentication ok`, async () => {
      const doc = makeTestCccd();
      const chip = chipOf(doc, { pace: access !== 'bac' });
      const aa = challenge();
      const read = await readDocument(chip, access === 'can' ? { can: doc.can } : mrzKey(doc), { challenge: aa });
      assert.equal(read.access, access === 'bac' ? 'BAC' : 'PACE');
      assert.equal(parseDg13(read.dataGroups.get(13)!).fullName, 'Nguyễn Thị Mai');
      const pa = verifyPassive(read.sod, read.dataGroups, cscaStoreFromDer([doc.cscaDer]));
      assert.deepEqual(pa.failures, []);
      assert.deepEqual(pa.checkedGroups, [1, 13, 15]);
      assert.ok(read.activeAuth);
      assert.deepEqual(verifyActive(read.dataGroups.get(15)!, aa, read.activeAuth.signature), {
        ok: true,
        algorithm: 'rsa-iso9796-2-sha1',
      });
      assert.equal(verifyActive(read.dataGroups.get(15)!, challenge(), read.activeAuth.signature).ok, false);
      const sent = chip.log.find((e) => e.command[1] === 0x88);
      assert.equal(sent?.command[0], 0x0c, 'INTERNAL AUTHENTICATE goes under secure messaging');
    });
  }

  it('EC Active Authentication key works end to end', async () => {
    const doc = makeTestCccd(
      { idNumber: '079090001122', fullName: 'Trần Văn Bình', sex: 'Nam', dateOfBirth: '02/09/1990', expiry: '02/09/2030' },
      { aaKey: 'ec' },
    );
    const aa = challenge();
    const read = await readDocument(chipOf(doc), { can: doc.can }, { challenge: aa });
    const dg14 = read.dataGroups.get(14);
    assert.equal(verifyActive(read.dataGroups.get(15)!, aa, read.activeAuth!.signature, dg14 ? { dg14 } : {}).ok, true);
  });

  it('a clone without the AA key fails Active Authentication', async () => {
    const doc = makeTestCccd();
    const other = makeTestCccd({}, { aaKey: 'ec' });
    const aa = challenge();
    const read = await readDocument(chipOf(doc, { aaPrivateKey: other.aaPrivateKey! }), { can: doc.can }, { challenge: aa });
    assert.equal(verifyActive(read.dataGroups.get(15)!, aa, read.activeAuth!.signature).ok, false);
  });

  it('wrong CAN fails with the chip status word 6300', async () => {
    const doc = makeTestCccd();
    const chip = chipOf(doc);
    await assert.rejects(
      readDocument(chip, { can: '999999' }),
      (e: unknown) => e instanceof ReadDocumentError && e.code === 'access-denied' && e.sw === 0x6300,
    );
    assert.equal(chip.authenticated, false);
  });

  it('refuses data-group reads and INTERNAL AUTHENTICATE before BAC/PACE with 6982, but serves EF.CardAccess', async () => {
    const doc = makeTestCccd();
    const plain = new PlainChannel(chipOf(doc));
    await assert.rejects(readFile(plain, EF.DG1), (e: unknown) => e instanceof StatusError && e.sw === 0x6982);
    assert.equal((await plain.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: challenge(), ne: 256 })).sw, 0x6982);
    assert.equal((await readFile(plain, EF.CARD_ACCESS)).length, doc.cardAccess.length);
  });
});
