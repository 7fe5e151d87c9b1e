// End to end through the real PC/SC stack: pcscd with the vsmartcard-vpcd driver, our virtual
// card connecting to it over TCP, pcsc-mini in this process. No PC/SC mocks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { parseDg1 } from '@tram/icao/dg1.ts';
import { parseDg13 } from '@tram/icao/dg13.ts';
import { verifyActive } from '@tram/icao/active-auth.ts';
import { cscaStoreFromDer, verifyPassive } from '@tram/icao/passive-auth.ts';
import { hex, toHex } from '../src/card/bytes.ts';
import type { CardMonitor } from '../src/card/card-monitor.ts';
import { PORT, readerEmpty, vpcdReader } from './vpcd-reader.ts';
import { runDiag } from '../src/card/diag.ts';
import { SecureMessagingError } from '../src/card/errors.ts';
import { PcscError, type PcscTransport } from '../src/card/pcsc.ts';
import { readDocument, ReadDocumentError } from '../src/card/read-document.ts';
import { openCard } from '../src/card/reader.ts';
import { emrtdAtr, VpcdCard } from '@tram/testing/card/vpcd-card.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';

let monitor: CardMonitor;
let readerName: string;
const cleanups: (() => Promise<unknown>)[] = [];

/** A card for this test; removed (and its handles closed) in afterEach whatever happens. */
function newCard(card: VpcdCard): VpcdCard {
  cleanups.push(() => card.remove());
  return card;
}
function track(t: PcscTransport): PcscTransport {
  cleanups.unshift(() => t.close());
  return t;
}

async function insertAndOpen(card: VpcdCard) {
  const inserted = monitor.next('card-inserted', { reader: readerName, timeoutMs: 5000 });
  await card.insert();
  const ev = await inserted;
  const opened = await openCard(monitor.pcsc, { reader: readerName });
  track(opened.transport);
  return { ev, opened };
}

before(async () => {
  ({ monitor, readerName } = await vpcdReader());
});

afterEach(async () => {
  while (cleanups.length) await cleanups.shift()!().catch(() => {});
  // The next test (and the next test file) must start with an empty reader.
  await readerEmpty(monitor, readerName);
});

after(async () => {
  await monitor.close();
});

describe('card over PC/SC (pcscd + vpcd)', () => {
  it('lists the vpcd readers with no card in them', () => {
    const names = monitor.readers().map((r) => r.name);
    assert.ok(names.includes(readerName), names.join(', '));
    assert.equal(monitor.readers().find((r) => r.name === readerName)!.cardPresent, false);
  });

  it('no card: openCard refuses with a typed error', async () => {
    await assert.rejects(openCard(monitor.pcsc, { reader: readerName }), (e) => e instanceof PcscError && e.code === 'no-card');
    await assert.rejects(openCard(monitor.pcsc, { reader: 'No Such Reader' }), (e) => e instanceof PcscError && e.code === 'no-reader');
  });

  it('insert -> card-inserted -> BAC read over PC/SC -> fields and SOD verify -> remove -> card-removed', async () => {
    const v = virtualCccd({ doc: { aaKey: 'none' } });
    const card = newCard(new VpcdCard({ chip: v.chip, port: PORT }));
    const { opened } = await insertAndOpen(card);
    assert.equal(toHex(opened.atr), toHex(emrtdAtr({ extendedLength: true })));
    assert.equal(opened.atrInfo.extendedLength, true);
    assert.equal(opened.transport.protocolName, 'T1');

    const doc = await readDocument(opened.transport, v.access, { extendedLength: opened.atrInfo.extendedLength });
    assert.equal(doc.access, 'BAC');
    assert.deepEqual(
      [...doc.dataGroups.keys()].sort((a, b) => a - b),
      [1, 13],
    );
    const dg13 = parseDg13(doc.dataGroups.get(13)!);
    assert.equal(dg13.fullName, v.doc.person.fullName);
    assert.equal(dg13.idNumber, v.doc.person.idNumber);
    assert.equal(dg13.dateOfBirth, v.doc.person.dateOfBirth);
    assert.equal(dg13.placeOfResidence, v.doc.person.placeOfResidence);
    assert.equal(parseDg1(doc.dataGroups.get(1)!).documentNumber, v.doc.mrz.documentNumber);
    assert.equal(toHex(doc.sod), toHex(v.doc.sod));
    const pa = verifyPassive(doc.sod, doc.dataGroups, cscaStoreFromDer([v.doc.cscaDer]));
    assert.deepEqual(pa.failures, []);
    assert.ok(pa.ok);
    // SELECT applet + GET CHALLENGE + EXTERNAL AUTHENTICATE + SELECT EF.CardAccess + 4 files × (SELECT + READ).
    assert.equal(doc.apduCount, 12, `APDUs: ${doc.apduCount}`);

    const removed = monitor.next('card-removed', { reader: readerName, timeoutMs: 5000 });
    await card.remove();
    await removed;
    await assert.rejects(
      opened.transport.transmit(hex('0084000008')),
      (e) => e instanceof PcscError && (e.code === 'card-removed' || e.code === 'closed'),
    );
  });

  it('reads the face (DG2) in one extended READ BINARY, and in short chunks from a short-length chip', async () => {
    for (const extendedLength of [true, false]) {
      const v = virtualCccd({ doc: { aaKey: 'none' }, extendedLength, photoBytes: 15_000 });
      const card = newCard(new VpcdCard({ chip: v.chip, port: PORT, atr: emrtdAtr({ extendedLength }) }));
      const { opened } = await insertAndOpen(card);
      assert.equal(opened.atrInfo.extendedLength, extendedLength);
      const doc = await readDocument(opened.transport, v.access, { withFace: true, extendedLength: opened.atrInfo.extendedLength });
      assert.equal(toHex(doc.dataGroups.get(2)!), toHex(v.files.get(0x0102)!));
      assert.equal(doc.extendedLength, extendedLength);
      if (extendedLength) assert.equal(doc.apduCount, 14);
      else assert.ok(doc.apduCount > 14 + Math.floor(15_000 / 223) - 1, `short reads need many APDUs, got ${doc.apduCount}`);
      await opened.transport.close();
      const removed = monitor.next('card-removed', { reader: readerName });
      await card.remove();
      await removed;
    }
  });

  it('wrong MRZ data: the chip refuses BAC and the caller gets its status word', async () => {
    const v = virtualCccd({ doc: { aaKey: 'none' } });
    const card = newCard(new VpcdCard({ chip: v.chip, port: PORT }));
    const { opened } = await insertAndOpen(card);
    await assert.rejects(
      readDocument(opened.transport, { ...v.access, dateOfBirth: '990101' }, { extendedLength: true }),
      (e) => e instanceof ReadDocumentError && e.code === 'access-denied' && e.sw === 0x6300,
    );
    // The card is still usable: the right data works on the same connection.
    const doc = await readDocument(opened.transport, v.access, { extendedLength: true });
    assert.equal(parseDg13(doc.dataGroups.get(13)!).fullName, v.doc.person.fullName);
  });

  it('a CAN without PACE on the chip is refused before anything is sent in its name', async () => {
    const v = virtualCccd({ doc: { aaKey: 'none' } });
    const card = newCard(new VpcdCard({ chip: v.chip, port: PORT }));
    const { opened } = await insertAndOpen(card);
    await assert.rejects(
      readDocument(opened.transport, { can: v.doc.can }),
      (e) => e instanceof ReadDocumentError && e.code === 'pace-required',
    );
  });

  it('PACE with the CAN (and with the MRZ) when EF.CardAccess offers it, with Active Authentication', async () => {
    const v = virtualCccd({ cardAccess: true, doc: { aaKey: 'rsa' } });
    const card = newCard(new VpcdCard({ chip: v.chip, port: PORT }));
    let { opened } = await insertAndOpen(card);
    const challenge = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    // A session belongs to one connection: reconnecting (which resets the card) starts the next one clean.
    const reconnect = async () => {
      await opened.transport.close('reset');
      opened = await openCard(monitor.pcsc, { reader: readerName });
      track(opened.transport);
    };
    for (const access of [{ can: v.doc.can }, v.access]) {
      await reconnect();
      const doc = await readDocument(opened.transport, access, { challenge, extendedLength: opened.atrInfo.extendedLength });
      assert.equal(doc.access, 'PACE');
      assert.deepEqual(
        [...doc.dataGroups.keys()].sort((a, b) => a - b),
        [1, 13, 15],
      );
      assert.equal(parseDg13(doc.dataGroups.get(13)!).fullName, v.doc.person.fullName);
      assert.ok(verifyPassive(doc.sod, doc.dataGroups, cscaStoreFromDer([v.doc.cscaDer])).ok);
      assert.ok(doc.activeAuth);
      assert.ok(verifyActive(doc.dataGroups.get(15)!, challenge, doc.activeAuth.signature).ok);
      assert.equal(verifyActive(doc.dataGroups.get(15)!, Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9), doc.activeAuth.signature).ok, false);
    }
    await reconnect();
    await assert.rejects(
      readDocument(opened.transport, { can: '000000' }, { extendedLength: true }),
      (e) => e instanceof ReadDocumentError && e.code === 'access-denied' && e.sw !== -1,
    );
  });

  it('a card whose EF.COM hides DG15 still gets DG15 read (the SOD lists it) and Active Authentication run', async () => {
    const v = virtualCccd({ doc: { aaKey: 'rsa', comOmits: [15] } });
    const card = newCard(new VpcdCard({ chip: v.chip, port: PORT }));
    const { opened } = await insertAndOpen(card);
    const challenge = Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1);
    const doc = await readDocument(opened.transport, v.access, { challenge, extendedLength: opened.atrInfo.extendedLength });
    assert.deepEqual(
      [...doc.dataGroups.keys()].sort((a, b) => a - b),
      [1, 13, 15],
    );
    assert.ok(doc.activeAuth, 'INTERNAL AUTHENTICATE was sent');
    assert.ok(verifyActive(doc.dataGroups.get(15)!, challenge, doc.activeAuth.signature).ok);
  });

  it('card pulled out mid-read: typed card-removed error, removal event, and the next card reads fine', async () => {
    const v = virtualCccd({ doc: { aaKey: 'none' } });
    const card = newCard(new VpcdCard({ chip: v.chip, port: PORT }));
    const { opened } = await insertAndOpen(card);
    card.injectFault({ when: (_apdu, i) => i === 7, action: 'drop' }); // during the file reads, under SM
    const removed = monitor.next('card-removed', { reader: readerName, timeoutMs: 5000 });
    await assert.rejects(
      readDocument(opened.transport, v.access, { extendedLength: true }),
      (e) => e instanceof PcscError && e.code === 'card-removed',
    );
    await removed;
    await opened.transport.close();

    const again = await insertAndOpen(card);
    const doc = await readDocument(again.opened.transport, v.access, { extendedLength: true });
    assert.equal(doc.dataGroups.size, 2);
  });

  it('garbage from the card: typed errors, never a crash', async () => {
    const v = virtualCccd({ doc: { aaKey: 'none' } });
    const card = newCard(new VpcdCard({ chip: v.chip, port: PORT }));
    const { opened } = await insertAndOpen(card);
    const cases: { garbage: Uint8Array; check: (e: unknown) => boolean }[] = [
      // One byte: no status word at all.
      { garbage: Uint8Array.of(0x42), check: (e) => e instanceof PcscError && e.code === 'bad-response' },
      // Looks like success but carries no secure-messaging objects.
      { garbage: hex('DEADBEEF9000'), check: (e) => e instanceof SecureMessagingError },
      // SM-shaped, with a wrong MAC.
      { garbage: hex('990290008E0800112233445566779000'), check: (e) => e instanceof SecureMessagingError && e.code === 'bad-mac' },
      // A GET RESPONSE chain that never ends: 4 KiB at a time, past any possible response size.
      {
        garbage: Uint8Array.from([...new Uint8Array(4096).fill(0xab), 0x61, 0x00]),
        check: (e) => e instanceof PcscError && e.code === 'bad-response',
      },
    ];
    for (const c of cases) {
      const start = card.apduCount; // fire once BAC is done and files are being read under SM
      card.injectFault({ when: (_apdu, i) => i >= start + 6, action: { garbage: c.garbage } });
      if (c.garbage.at(-2) === 0x61)
        for (let i = 0; i < 40; i++) card.injectFault({ when: (apdu) => apdu[1] === 0xc0, action: { garbage: c.garbage } });
      await assert.rejects(readDocument(opened.transport, v.access, { extendedLength: true }), c.check, toHex(c.garbage));
      card.clearFaults();
    }
    // Still alive and readable after all that.
    const doc = await readDocument(opened.transport, v.access, { extendedLength: true });
    assert.equal(doc.dataGroups.size, 2);
  });

  it('T=0 card: 61xx answered with GET RESPONSE and 6Cxx re-sent with the right Le', async () => {
    const v = virtualCccd({ doc: { aaKey: 'none' } });
    const card = newCard(new VpcdCard({ chip: v.chip, port: PORT, t0: true, atr: emrtdAtr({ extendedLength: false, protocol: 'T0' }) }));
    const { opened } = await insertAndOpen(card);
    assert.equal(opened.transport.protocolName, 'T0');
    const before = opened.transport.apduCount;
    const challenge = await opened.transport.transmit(hex('0084000000')); // Le 256, the card has 8
    assert.equal(challenge.length, 10);
    assert.equal(toHex(challenge.subarray(8)), '9000');
    assert.equal(opened.transport.apduCount - before, 2, 'one 6C08 then the re-send');
    const doc = await readDocument(opened.transport, v.access, { extendedLength: false });
    assert.equal(parseDg13(doc.dataGroups.get(13)!).fullName, v.doc.person.fullName);
    assert.ok(opened.transport.apduCount - before > doc.apduCount + 2, 'GET RESPONSE commands were needed');
  });

  it('installer command: npm run card -- read prints identity and checks as JSON', async () => {
    const v = virtualCccd({ doc: { aaKey: 'none' } });
    const dir = mkdtempSync(join(tmpdir(), 'tram-csca-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'csca.pem'), v.doc.cscaPem);
    const card = newCard(new VpcdCard({ chip: v.chip, port: PORT }));
    const inserted = monitor.next('card-inserted', { reader: readerName });
    await card.insert();
    await inserted;
    const lines: string[] = [];
    const errors: string[] = [];
    const io = { write: (l: string) => lines.push(l), error: (l: string) => errors.push(l) };
    const argv = [
      'read',
      '--id',
      v.access.idNumber,
      '--dob',
      v.access.dateOfBirth,
      '--expiry',
      v.access.dateOfExpiry,
      '--reader',
      readerName,
      '--csca',
      dir,
      '--wait',
      '0',
    ];
    assert.equal(await runDiag(argv, io), 0, errors.join('\n'));
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]!);
    assert.equal(out.identity.fullName, v.doc.person.fullName);
    assert.equal(out.identity.idNumber, v.doc.person.idNumber);
    assert.deepEqual(
      { access: out.checks.access, pa: out.checks.passiveAuthentication, aa: out.checks.activeAuthentication },
      { access: 'BAC', pa: 'passed', aa: 'not-supported' },
    );
    assert.equal(out.apduCount, 12);

    // Wrong expiry: exit 1 and the chip's refusal on stderr, nothing on stdout.
    lines.length = 0;
    errors.length = 0;
    const bad = argv.map((a) => (a === v.access.dateOfExpiry ? '300101' : a));
    assert.equal(await runDiag(bad, io), 1);
    assert.deepEqual(lines, []);
    assert.match(errors.join('\n'), /6300/);
    assert.equal(await runDiag(['read', '--id', '123'], io), 2);
  });

  it('installer command: wrong key with SW 6988 gets the hint, hashes are compared without --csca, --csca is checked first, a different --id is flagged', async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const io = { write: (l: string) => lines.push(l), error: (l: string) => errors.push(l) };
    // Inserted but not opened here: the command connects to the card itself.
    const insert = async (c: VpcdCard) => {
      const inserted = monitor.next('card-inserted', { reader: readerName, timeoutMs: 5000 });
      await c.insert();
      await inserted;
    };
    const run = async (v: ReturnType<typeof virtualCccd>, extra: string[], access = v.access) => {
      lines.length = 0;
      errors.length = 0;
      const argv = ['read', '--id', access.idNumber, '--dob', access.dateOfBirth, '--expiry', access.dateOfExpiry];
      return runDiag([...argv, '--reader', readerName, '--wait', '0', ...extra], io);
    };
    // 1. A chip that answers a wrong BAC key with 6988.
    let v = virtualCccd({ doc: { aaKey: 'none' }, wrongKeySw: 0x6988 });
    let card = newCard(new VpcdCard({ chip: v.chip, port: PORT }));
    await insert(card);
    assert.equal(await run(v, [], { ...v.access, dateOfBirth: '990101' }), 1);
    assert.match(errors.join('\n'), /refused the access data \(SW 6988\): check the ID number and dates \[access-denied\]/);
    // 2. --csca problems are found before any APDU.
    const dir = mkdtempSync(join(tmpdir(), 'tram-csca-empty-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const before = card.apduCount;
    assert.equal(await run(v, ['--csca', join(dir, 'missing')]), 2);
    assert.match(errors.join('\n'), /^card: --csca: CSCA path .*missing: ENOENT/);
    assert.equal(await run(v, ['--csca', dir]), 2);
    assert.match(errors.join('\n'), /^card: --csca: no CSCA certificates/);
    assert.equal(card.apduCount, before, 'the card was not touched');
    await card.remove();
    await monitor.pcsc.waitForStatus(readerName, (st) => !st.cardPresent, 5000);
    // 3. DG13 changed after signing: caught without --csca.
    v = virtualCccd({ doc: { aaKey: 'none', tamperDg13: true } });
    card = newCard(new VpcdCard({ chip: v.chip, port: PORT }));
    await insert(card);
    assert.equal(await run(v, []), 1);
    const out = JSON.parse(lines[0]!);
    assert.equal(out.checks.dataGroupHashes, 'failed');
    assert.equal(out.checks.passiveAuthentication, 'not-checked');
    assert.match(errors.join('\n'), /do not match EF.SOD: dg_hash_mismatch:13/);
    // 4. Same last 9 digits, other province/sex/century digits: opens the card, flagged.
    const otherId = `099${v.access.idNumber.slice(3)}`;
    assert.equal(await run(v, [], { ...v.access, idNumber: otherId }), 1);
    assert.match(errors.join('\n'), new RegExp(`--id ${otherId} opened the card .* chip's ID number is ${v.access.idNumber}`));
  });
});
