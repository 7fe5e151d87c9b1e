import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CommandApdu, encodeResponseApdu, type ResponseApdu } from './apdu.ts';
import { performBac } from './bac.ts';
import { hex, toHex } from './bytes.ts';
import { FileError, SecureMessagingError, StatusError, TlvError } from './errors.ts';
import { FakeChip } from '@tram/testing/card/fake-chip.ts';
import { EF, readBinaryCommand, readFile } from './files.ts';
import { SecureChannel } from './secure-messaging.ts';
import { desSecureMessaging } from './sm-des.ts';
import { encodeTlv } from '@tram/icao/tlv.ts';
import { type ApduChannel, PlainChannel, type Transport } from './transport.ts';

const MRZ_INFO = '090012345090011583001156';
const EF_COM = hex('60145F0104303130365F36063034303030305C026175');

/** A DG2-sized file (> 32767 bytes) so reads cross the B0 offset limit. */
function bigFile(size: number): Uint8Array {
  const body = Uint8Array.from({ length: size }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
  return encodeTlv(0x75, body);
}

/** Channel answering from a script, recording commands; for responses a real chip would not give. */
function scripted(replies: ResponseApdu[]): ApduChannel & { sent: CommandApdu[] } {
  const sent: CommandApdu[] = [];
  return {
    sent,
    async send(cmd) {
      sent.push(cmd);
      const r = replies.shift();
      if (!r) throw new Error('script exhausted');
      return r;
    },
  };
}
const ok = (data: Uint8Array = new Uint8Array(0)): ResponseApdu => ({ data, sw1: 0x90, sw2: 0, sw: 0x9000 });

describe('readFile', () => {
  it('reads EF.COM exactly as in Part 11 Appendix D (SELECT, READ 4, READ 18 under SM)', async () => {
    const expectCommands = [
      '0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800',
      '0CB000000D9701048E08ED6705417E96BA5500',
      '0CB000040D9701128E082EA28A70F3C7B53500',
    ];
    const responses = [
      '990290008E08FA855A5D4C50A8ED9000',
      '8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000',
      '871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000',
    ];
    const sent: string[] = [];
    const transport: Transport = {
      async transmit(apdu) {
        sent.push(toHex(apdu));
        return hex(responses.shift()!);
      },
    };
    const sm = desSecureMessaging(
      hex('979EC13B1CBFE9DCD01AB0FED307EAE5'),
      hex('F1CB1F1FB5ADF208806B89DC579DC1F8'),
      hex('887022120C06C226'),
    );
    const file = await readFile(new SecureChannel(transport, sm), EF.COM);
    assert.deepEqual(sent, expectCommands);
    assert.equal(toHex(file), toHex(EF_COM));
  });

  it('reads a 40 000-byte file under BAC, switching to B1 with DO54 past offset 32767', async () => {
    const dg2 = bigFile(40000);
    const chip = new FakeChip({ mrzInformation: MRZ_INFO, files: new Map([[EF.DG2, dg2]]) });
    const channel = await performBac(chip, MRZ_INFO);
    const got = await readFile(channel, EF.DG2);
    assert.equal(got.length, dg2.length);
    assert.equal(toHex(got), toHex(dg2));
    const b1 = chip.log.filter((e) => e.command[1] === 0xb1);
    assert.ok(b1.length > 0, 'expected odd-INS READ BINARY commands');
    assert.ok(
      b1.every((e) => e.command[0] === 0x0c),
      'B1 commands must be SM-protected',
    );
  });

  it('uses extended-length reads when asked and the chip supports them', async () => {
    const dg2 = bigFile(40000);
    const chip = new FakeChip({ mrzInformation: MRZ_INFO, files: new Map([[EF.DG2, dg2]]), extendedLength: true });
    const channel = await performBac(chip, MRZ_INFO);
    const got = await readFile(channel, EF.DG2, { chunkSize: 0x1000 });
    assert.equal(toHex(got), toHex(dg2));
    assert.ok(chip.log.length < 20, `expected few large reads, saw ${chip.log.length} exchanges`);
  });

  it('surfaces a short-only chip rejecting extended APDUs', async () => {
    const chip = new FakeChip({ mrzInformation: MRZ_INFO, files: new Map([[EF.DG2, bigFile(5000)]]) });
    const channel = await performBac(chip, MRZ_INFO);
    await assert.rejects(
      readFile(channel, EF.DG2, { chunkSize: 0x1000 }),
      (e: unknown) => e instanceof SecureMessagingError && e.sw === 0x6700,
    );
  });

  it('reads a file whose header needs more than the first 4 bytes (4-byte length form)', async () => {
    const body = new Uint8Array(300).fill(0xab);
    const file = Uint8Array.from([0x75, 0x84, 0, 0, 0x01, 0x2c, ...body]);
    const chip = new FakeChip({ mrzInformation: MRZ_INFO, files: new Map([[EF.DG2, file]]), requireSm: false });
    assert.equal(toHex(await readFile(new PlainChannel(chip), EF.DG2)), toHex(file));
  });

  it('reports a missing file with its status word', async () => {
    const chip = new FakeChip({ mrzInformation: MRZ_INFO, files: new Map() });
    await assert.rejects(readFile(new PlainChannel(chip), EF.DG13), (e: unknown) => e instanceof StatusError && e.sw === 0x6a82);
  });
});

describe('readFile hostile chips', () => {
  it('refuses a header claiming more than the size limit before reading it', async () => {
    const ch = scripted([ok(), ok(hex('75 84 7F FF')), ok(hex('FF FF'))]);
    await assert.rejects(readFile(ch, EF.DG2), (e: unknown) => e instanceof FileError && e.code === 'too-large');
    assert.equal(ch.sent.length, 3);
  });

  it('stops when the chip returns no data mid-file', async () => {
    const ch = scripted([ok(), ok(hex('75 10 00 00')), ok()]);
    await assert.rejects(readFile(ch, EF.DG2), (e: unknown) => e instanceof FileError && e.code === 'no-progress');
  });

  it('rejects more data than requested', async () => {
    const ch = scripted([ok(), ok(hex('75 10 00 00 00'))]);
    await assert.rejects(readFile(ch, EF.DG2), (e: unknown) => e instanceof FileError && e.code === 'bad-read-response');
  });

  it('rejects a malformed first header with a TlvError', async () => {
    const ch = scripted([ok(), ok(hex('75 80 00 00'))]);
    await assert.rejects(readFile(ch, EF.DG2), (e: unknown) => e instanceof TlvError && e.code === 'bad-length');
  });

  it('rejects a B1 response that is not a DO53', async () => {
    const header = hex('75 83 00 90 00'); // 36864-byte body: the tail lies past 32767
    const replies = [ok(), ok(header.subarray(0, 4)), ok(header.subarray(4, 5))];
    const ch = scripted(replies);
    // answer every B0 chunk with full data, then a bogus B1 reply
    const realSend = ch.send.bind(ch);
    ch.send = async (cmd) => {
      if (replies.length > 0) return realSend(cmd);
      ch.sent.push(cmd);
      if (cmd.ins === 0xb0) return ok(new Uint8Array(cmd.ne!));
      return ok(hex('54 01 00'));
    };
    await assert.rejects(readFile(ch, EF.DG2), (e: unknown) => e instanceof FileError && e.code === 'bad-read-response');
    assert.equal(ch.sent.at(-1)!.ins, 0xb1);
  });
});

describe('READ BINARY command', () => {
  it('encodes offsets in P1-P2 up to 32767 and in DO54 beyond', () => {
    assert.deepEqual(readBinaryCommand(0x7fff, 4), { cla: 0, ins: 0xb0, p1: 0x7f, p2: 0xff, ne: 4 });
    const c = readBinaryCommand(0x8000, 0xdf);
    assert.equal(c.ins, 0xb1);
    assert.equal(toHex(c.data!), '54028000');
    assert.equal(c.ne, 0xdf + 3); // room for the DO'53' header 53 81 DF
    assert.throws(() => readBinaryCommand(-1, 4), FileError);
  });

  it('fake chip answers 6282 at end of file (sanity of the simulator)', async () => {
    const chip = new FakeChip({ mrzInformation: MRZ_INFO, files: new Map([[EF.COM, EF_COM]]), requireSm: false });
    await chip.transmit(hex('00A4020C02011E'));
    assert.equal(toHex(await chip.transmit(hex('00B0001000'))), toHex(encodeResponseApdu(EF_COM.subarray(16), 0x6282)));
  });
});
