// Selecting and reading LDS elementary files (ICAO 9303-10 file ids, 9303-11 READ BINARY).
// Works over any ApduChannel, so the same code reads plain (EF.CardAccess) and SM-protected files.
import { type CommandApdu, requireStatus } from './apdu.ts';
import { hex } from './bytes.ts';
import { FileError, TlvError } from './errors.ts';
import { encodeTlv, expectTlv, readTlvHeader } from '@tram/icao/tlv.ts';
import type { ApduChannel } from './transport.ts';

/** eMRTD LDS1 application identifier. */
export const ICAO_LDS1_AID = hex('A0000002471001');

export const EF = {
  CARD_ACCESS: 0x011c,
  SOD: 0x011d,
  COM: 0x011e,
  DG1: 0x0101,
  DG2: 0x0102,
  DG13: 0x010d,
  DG14: 0x010e,
  DG15: 0x010f,
} as const;

const SW_END_OF_FILE = 0x6282;
/** Highest offset P1-P2 of READ BINARY (B0) can carry: bit 8 of P1 must stay 0. */
export const MAX_B0_OFFSET = 0x7fff;
/** Plain bytes per read that still fit a short SM response (223 → 224 padded + DO overhead ≤ 256). */
export const DEFAULT_CHUNK = 0xdf;
/** Refuse absurd lengths from a hostile header before allocating (DG2 photos are ~20 KB). */
export const DEFAULT_MAX_FILE = 1 << 20;
/** Worst-case TLV header: 4 tag bytes + 5 length bytes. */
const MAX_HEADER = 9;
const HEAD_READ = 4; // what Appendix D reads first; enough for most DG headers

export async function selectApplication(channel: ApduChannel, aid: Uint8Array = ICAO_LDS1_AID): Promise<void> {
  // P1=04 select by DF name, P2=0C no response data.
  requireStatus(await channel.send({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid }), 'SELECT application');
}

function checkFid(fid: number): void {
  if (!Number.isInteger(fid) || fid < 0 || fid > 0xffff) throw new FileError('bad-offset', `file id must be 2 bytes, got ${fid}`);
}

export async function selectEf(channel: ApduChannel, fid: number): Promise<void> {
  checkFid(fid);
  // P1=02 select EF under current DF, P2=0C no FCI.
  requireStatus(
    await channel.send({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.of(fid >> 8, fid & 0xff) }),
    `SELECT EF ${fid.toString(16).padStart(4, '0')}`,
  );
}

/** Big-endian minimal encoding of an offset for DO'54'. */
function offsetBytes(offset: number): Uint8Array {
  const out: number[] = [];
  let v = offset;
  do {
    out.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  return Uint8Array.from(out);
}

/** Bytes the DO'53' wrapper adds around `n` data bytes in an odd-INS response. */
function do53Overhead(n: number): number {
  return 1 + (n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4);
}

/** READ BINARY for `ne` data bytes; B1 asks for the DO'53' overhead too, since Ne counts it. */
export function readBinaryCommand(offset: number, ne: number): CommandApdu {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xffffffff) throw new FileError('bad-offset', `bad offset ${offset}`);
  if (offset <= MAX_B0_OFFSET) return { cla: 0x00, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, ne };
  // Offsets past 32767 need the odd-INS form with the offset in DO'54'.
  const wrapped = Math.min(ne + do53Overhead(ne), 65536);
  return { cla: 0x00, ins: 0xb1, p1: 0x00, p2: 0x00, data: encodeTlv(0x54, offsetBytes(offset)), ne: wrapped };
}

/**
 * READ BINARY of up to `ne` bytes at `offset` of the selected EF.
 * Accepts 6282 (end of file) since it still carries data.
 */
export async function readBinary(channel: ApduChannel, offset: number, ne: number): Promise<Uint8Array> {
  const cmd = readBinaryCommand(offset, ne);
  const res = requireStatus(await channel.send(cmd), `READ BINARY at ${offset}`, [0x9000, SW_END_OF_FILE]);
  let data = res.data;
  if (cmd.ins === 0xb1) {
    try {
      data = expectTlv(res.data, 0x53).value; // odd-INS responses wrap the data in DO'53'
    } catch (err) {
      if (err instanceof TlvError) throw new FileError('bad-read-response', `READ BINARY (B1) response: ${err.message}`);
      throw err;
    }
  }
  if (data.length > ne) throw new FileError('bad-read-response', `asked for ${ne} bytes, got ${data.length}`);
  return data;
}

export interface ReadFileOptions {
  /** Bytes per READ BINARY; above 256 uses extended-length APDUs (reader and chip must support them). */
  chunkSize?: number;
  maxFileSize?: number;
}

/** Reads a whole EF whose content is one TLV: its length comes from the first header. */
export async function readFile(channel: ApduChannel, fid: number, opts: ReadFileOptions = {}): Promise<Uint8Array> {
  const chunk = opts.chunkSize ?? DEFAULT_CHUNK;
  const maxSize = opts.maxFileSize ?? DEFAULT_MAX_FILE;
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > 65536) throw new FileError('bad-offset', `bad chunk size ${chunk}`);
  await selectEf(channel, fid);

  let head = await readBinary(channel, 0, HEAD_READ);
  let header: ReturnType<typeof readTlvHeader>;
  for (;;) {
    try {
      header = readTlvHeader(head);
      break;
    } catch (err) {
      // A long tag or length form may need a few more bytes than the first read gave.
      if (!(err instanceof TlvError) || err.code !== 'truncated' || head.length >= MAX_HEADER || head.length === 0) throw err;
      const more = await readBinary(channel, head.length, MAX_HEADER - head.length);
      if (more.length === 0) throw err;
      const joined = new Uint8Array(head.length + more.length);
      joined.set(head);
      joined.set(more, head.length);
      head = joined;
    }
  }
  const total = header.headerLength + header.length;
  if (total > maxSize) throw new FileError('too-large', `file claims ${total} bytes, limit is ${maxSize}`);

  const out = new Uint8Array(total);
  out.set(head.subarray(0, Math.min(head.length, total)));
  let offset = Math.min(head.length, total);
  while (offset < total) {
    const want = Math.min(chunk, total - offset);
    const got = await readBinary(channel, offset, want);
    if (got.length === 0) throw new FileError('no-progress', `chip returned no data at offset ${offset} of ${total}`);
    if (got.length > want) throw new FileError('bad-read-response', `asked for ${want} bytes, got ${got.length}`);
    out.set(got, offset);
    offset += got.length;
  }
  return out;
}
