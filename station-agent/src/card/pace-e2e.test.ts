// End to end on the simulated chip: PACE (or BAC) -> read files -> Passive and Active Authentication.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyActive } from '@tram/icao/active-auth.ts';
import { parseDg13 } from '@tram/icao/dg13.ts';
import { cscaStoreFromDer, verifyPassive } from '@tram/icao/passive-auth.ts';
import { makeTestCccd } from '@tram/testing/icao/test-documents.ts';
import { internalAuthenticate, newChallenge } from './active-auth.ts';
import { performBac } from './bac.ts';
import { StatusError } from './errors.ts';
import { FakeChip } from '@tram/testing/card/fake-chip.ts';
import { EF, readFile, selectApplication } from './files.ts';
import { performPace } from './pace.ts';
import { PlainChannel } from './transport.ts';

async function readDocument(chip: FakeChip, access: 'can' | 'mrz' | 'bac', doc: ReturnType<typeof makeTestCccd>) {
  const plain = new PlainChannel(chip);
  await selectApplication(plain);
  const channel =
    access === 'bac'
      ? await performBac(chip, doc.mrzInformation)
      : (await performPace(chip, await readFile(plain, EF.CARD_ACCESS), access === 'can' ? { can: doc.can } : { mrzInformation: doc.mrzInformation })).channel;
  const groups = new Map<number, Uint8Array>();
  for (const [n, fid] of [[1, EF.DG1], [13, EF.DG13], [15, EF.DG15]] as const) groups.set(n, await readFile(channel, fid));
  const sod = await readFile(channel, EF.SOD);
  return { channel, groups, sod };
}

describe('CCCD on the simulated chip', () => {
  for (const access of ['can', 'mrz', 'bac'] as const) {
    it(`${access}: read DG1/DG13/DG15/SOD, Passive Authentication ok, Active Authentication ok`, async () => {
      const doc = makeTestCccd();
      const chip = FakeChip.fromTestCccd(doc);
      const { channel, groups, sod } = await readDocument(chip, access, doc);
      assert.equal(parseDg13(groups.get(13)!).fullName, 'Nguyễn Thị Mai');
      const pa = verifyPassive(sod, groups, cscaStoreFromDer([doc.cscaDer]));
      assert.deepEqual(pa.failures, []);
      assert.deepEqual(pa.checkedGroups, [1, 13, 15]);
      const challenge = newChallenge();
      const signature = await internalAuthenticate(channel, challenge);
      assert.deepEqual(verifyActive(groups.get(15)!, challenge, signature), { ok: true, algorithm: 'rsa-iso9796-2-sha1' });
      assert.equal(verifyActive(groups.get(15)!, newChallenge(), signature).ok, false);
      const sent = chip.log.find((e) => e.command[1] === 0x88);
      assert.equal(sent?.command[0], 0x0c, 'INTERNAL AUTHENTICATE goes under secure messaging');
    });
  }

  it('EC Active Authentication key works end to end', async () => {
    const doc = makeTestCccd({ idNumber: '079090001122', fullName: 'Trần Văn Bình', sex: 'Nam', dateOfBirth: '02/09/1990', expiry: '02/09/2030' }, { aaKey: 'ec' });
    const { channel, groups } = await readDocument(FakeChip.fromTestCccd(doc), 'can', doc);
    const challenge = newChallenge();
    assert.equal(verifyActive(groups.get(15)!, challenge, await internalAuthenticate(channel, challenge)).ok, true);
  });

  it('a clone without the AA key fails Active Authentication', async () => {
    const doc = makeTestCccd();
    const other = makeTestCccd({}, { aaKey: 'ec' });
    const { channel, groups } = await readDocument(FakeChip.fromTestCccd(doc, { aaPrivateKey: other.aaPrivateKey! }), 'can', doc);
    const challenge = newChallenge();
    assert.equal(verifyActive(groups.get(15)!, challenge, await internalAuthenticate(channel, challenge)).ok, false);
  });

  it('wrong CAN fails with the chip status word 6300', async () => {
    const doc = makeTestCccd();
    const chip = FakeChip.fromTestCccd(doc);
    const cardAccess = await readFile(new PlainChannel(chip), EF.CARD_ACCESS);
    await assert.rejects(performPace(chip, cardAccess, { can: '999999' }), (e: unknown) => e instanceof StatusError && e.sw === 0x6300);
    assert.equal(chip.authenticated, false);
  });

  it('refuses data-group reads before BAC/PACE with 6982, but serves EF.CardAccess', async () => {
    const doc = makeTestCccd();
    const chip = FakeChip.fromTestCccd(doc);
    await assert.rejects(readFile(new PlainChannel(chip), EF.DG1), (e: unknown) => e instanceof StatusError && e.sw === 0x6982);
    await assert.rejects(internalAuthenticate(new PlainChannel(chip), newChallenge()), (e: unknown) => e instanceof StatusError && e.sw === 0x6982);
    assert.equal((await readFile(new PlainChannel(chip), EF.CARD_ACCESS)).length, doc.cardAccess.length);
  });
});
