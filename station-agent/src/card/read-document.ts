// Reads a CCCD / eMRTD end to end over any Transport: access control (PACE when EF.CardAccess
// offers it and PACE is available, else BAC), then EF.COM, EF.SOD, DG1, DG13, DG14/DG15 (if listed),
// DG2 on request, and Active Authentication over a caller's challenge. It returns raw files;
// parsing and verification happen elsewhere (the hub re-verifies everything).
import { requireStatus, swHex } from './apdu.ts';
import { performBac } from './bac.ts';
import { AuthenticationRefused, CardError, StatusError } from './errors.ts';
import { EF, readBinary, selectApplication, selectEf } from './files.ts';
import { cccdMrzInformation } from './mrz.ts';
import { performPace } from './pace.ts';
import { parseSod } from '@tram/icao/sod.ts';
import { childrenOf, expectTlv, parseTlv, readTlvHeader } from '@tram/icao/tlv.ts';
import { type ApduChannel, PlainChannel, type Transport } from './transport.ts';

export type AccessKey = { can: string } | { idNumber: string; dateOfBirth: string; dateOfExpiry: string };

export interface ReadDocumentOptions {
  /** 8-byte nonce for Active Authentication (from the hub); AA runs only when DG15 exists. */
  challenge?: Uint8Array;
  withFace?: boolean;
  /** Whether the chip takes extended-length APDUs; default: probe with EF.CardAccess, else short. */
  extendedLength?: boolean;
  /** Refuse files claiming more than this (hostile headers). */
  maxFileSize?: number;
}

export interface DocumentRead {
  access: 'BAC' | 'PACE';
  com: Uint8Array;
  /** Raw data-group files by number (1, 13; 14 and 15 when listed in the SOD or EF.COM; 2 when asked for). */
  dataGroups: Map<number, Uint8Array>;
  sod: Uint8Array;
  cardAccess?: Uint8Array;
  activeAuth?: { challenge: Uint8Array; signature: Uint8Array };
  /** Commands sent through the transport for this read. */
  apduCount: number;
  extendedLength: boolean;
}

export type ReadDocumentErrorCode =
  | 'access-denied' // the chip refused the access key (wrong MRZ data or CAN): `sw` says how
  | 'pace-required' // a CAN was given but PACE is not offered or not available here
  | 'bad-key' // the access data is malformed
  | 'missing-file' // a mandatory file (EF.COM, DG1, DG13, EF.SOD) is absent
  | 'bad-file' // a file's content does not match its expected tag/structure
  | 'active-auth'; // INTERNAL AUTHENTICATE failed

export class ReadDocumentError extends CardError {
  constructor(
    readonly code: ReadDocumentErrorCode,
    message: string,
    /** The chip's status word when it refused. */
    readonly sw = -1,
  ) {
    super(message);
  }
}

/** Largest Ne we ask for in one extended READ BINARY: leaves room for SM overhead in a 64 KiB response. */
const EXTENDED_CHUNK = 0xff00;
/** Short APDUs under SM: 223 plain bytes pad to 224, which fits a 256-byte response with the DOs. */
const SHORT_CHUNK = 0xdf;
const DEFAULT_MAX_FILE = 1 << 20;

const DG_TAGS: Record<number, number> = {
  0x61: 1,
  0x75: 2,
  0x63: 3,
  0x76: 4,
  0x65: 5,
  0x66: 6,
  0x67: 7,
  0x68: 8,
  0x69: 9,
  0x6a: 10,
  0x6b: 11,
  0x6c: 12,
  0x6d: 13,
  0x6e: 14,
  0x6f: 15,
  0x70: 16,
};
const FID_BY_DG: Record<number, number> = { 1: EF.DG1, 2: EF.DG2, 13: EF.DG13, 14: EF.DG14, 15: EF.DG15 };
const FILE_TAG: Record<number, number> = {
  [EF.COM]: 0x60,
  [EF.SOD]: 0x77,
  [EF.DG1]: 0x61,
  [EF.DG2]: 0x75,
  [EF.DG13]: 0x6d,
  [EF.DG14]: 0x6e,
  [EF.DG15]: 0x6f,
};

/** Counts the commands a read sends (the figure the bench reports). */
class CountingTransport implements Transport {
  count = 0;
  constructor(private readonly inner: Transport) {}
  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    this.count++;
    return this.inner.transmit(apdu);
  }
}

/**
 * Reads the selected-by-fid EF whole with as few READ BINARY commands as the chip allows: the
 * first read asks for a full chunk (the chip returns less, with 6282, for a short file), its TLV
 * header gives the total, and the rest follows in chunk-sized reads.
 */
export async function readWholeFile(channel: ApduChannel, fid: number, chunk: number, maxSize = DEFAULT_MAX_FILE): Promise<Uint8Array> {
  await selectEf(channel, fid);
  const first = await readBinary(channel, 0, chunk);
  if (first.length < 2) throw new ReadDocumentError('bad-file', `file ${fid.toString(16)} returned ${first.length} bytes`);
  const header = readTlvHeader(first); // throws TlvError('truncated') only for absurd tags: chunk ≥ 223 covers any header
  const total = header.headerLength + header.length;
  if (total > maxSize) throw new ReadDocumentError('bad-file', `file ${fid.toString(16)} claims ${total} bytes, limit is ${maxSize}`);
  if (first.length >= total) return first.slice(0, total);
  const out = new Uint8Array(total);
  out.set(first);
  let offset = first.length;
  while (offset < total) {
    const got = await readBinary(channel, offset, Math.min(chunk, total - offset));
    if (got.length === 0) throw new ReadDocumentError('bad-file', `file ${fid.toString(16)} ended at ${offset} of ${total} bytes`);
    if (got.length > total - offset) throw new ReadDocumentError('bad-file', `file ${fid.toString(16)}: chip returned more than asked`);
    out.set(got, offset);
    offset += got.length;
  }
  return out;
}

/** Data-group numbers listed in EF.COM's tag list (5C). */
export function listedDataGroups(com: Uint8Array): Set<number> {
  const outer = expectTlv(com, 0x60);
  const list = childrenOf(outer).find((t) => t.tag === 0x5c);
  if (!list) throw new ReadDocumentError('bad-file', 'EF.COM has no data-group tag list (5C)');
  const out = new Set<number>();
  for (const tag of list.value) {
    const dg = DG_TAGS[tag];
    if (dg !== undefined) out.add(dg);
  }
  return out;
}

/** Data-group numbers whose hashes the SOD carries; empty when the SOD does not parse. */
export function sodDataGroups(sod: Uint8Array): number[] {
  try {
    return [...parseSod(sod).lso.dataGroupHashes.keys()];
  } catch {
    return [];
  }
}

/** PACE OIDs are id-PACE = 0.4.0.127.0.7.2.2.4.x; EF.CardAccess is a SET OF SecurityInfo. */
const ID_PACE = Uint8Array.of(0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x04);
export function offersPace(cardAccess: Uint8Array): boolean {
  try {
    const set = parseTlv(cardAccess);
    if (set.tag !== 0x31) return false;
    return childrenOf(set).some((info) => {
      if (info.tag !== 0x30) return false;
      const oid = childrenOf(info)[0];
      return oid !== undefined && oid.tag === 0x06 && oid.length > ID_PACE.length && ID_PACE.every((b, i) => oid.value[i] === b);
    });
  } catch {
    return false; // an unreadable CardAccess is treated as "no PACE"; BAC still protects the read
  }
}

function checkAccess(access: AccessKey): { can: string } | { mrzInformation: string } {
  try {
    if ('can' in access) {
      if (!/^\d{6}$/.test(access.can)) throw new ReadDocumentError('bad-key', 'CAN must be 6 digits');
      return { can: access.can };
    }
    return { mrzInformation: cccdMrzInformation(access.idNumber, access.dateOfBirth, access.dateOfExpiry) };
  } catch (err) {
    if (err instanceof ReadDocumentError) throw err;
    throw new ReadDocumentError('bad-key', err instanceof Error ? err.message : String(err));
  }
}

/** Reads EF.CardAccess in plain; returns undefined when the chip has none. Also probes extended length. */
async function readCardAccess(plain: ApduChannel, extended: boolean | undefined): Promise<{ file?: Uint8Array; extended: boolean }> {
  try {
    await selectEf(plain, EF.CARD_ACCESS);
  } catch (err) {
    if (err instanceof StatusError) return { extended: extended ?? false };
    throw err;
  }
  if (extended !== false) {
    const res = await plain.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: EXTENDED_CHUNK });
    if (res.sw === 0x9000 || res.sw === 0x6282) {
      const t = readTlvHeader(res.data);
      if (res.data.length >= t.headerLength + t.length) return { file: res.data.slice(0, t.headerLength + t.length), extended: true };
    } else if (extended === true) {
      requireStatus(res, 'READ BINARY EF.CardAccess');
    }
    // 6700 and the like: this chip takes short APDUs only.
  }
  return { file: await readWholeFile(plain, EF.CARD_ACCESS, SHORT_CHUNK, 4096), extended: false };
}

export async function readDocument(transport: Transport, access: AccessKey, opts: ReadDocumentOptions = {}): Promise<DocumentRead> {
  const key = checkAccess(access);
  if (opts.challenge && opts.challenge.length !== 8)
    throw new ReadDocumentError('active-auth', 'the Active Authentication challenge must be 8 bytes');
  const counted = new CountingTransport(transport);
  const plain = new PlainChannel(counted);
  const maxSize = opts.maxFileSize ?? DEFAULT_MAX_FILE;

  // EF.CardAccess sits in the MF, readable without authentication; read it before selecting the applet.
  const ca = await readCardAccess(plain, opts.extendedLength);
  const extended = ca.extended;
  const chunk = extended ? EXTENDED_CHUNK : SHORT_CHUNK;

  let channel: ApduChannel;
  let method: DocumentRead['access'];
  try {
    if (ca.file && offersPace(ca.file)) {
      // PACE with either password; the eMRTD application is then selected under its SM.
      channel = (await performPace(counted, ca.file, key)).channel;
      method = 'PACE';
      await selectApplication(channel);
    } else {
      if ('can' in key) {
        throw new ReadDocumentError(
          'pace-required',
          'the chip does not offer PACE, so a CAN cannot open it; use the MRZ data (ID number, date of birth, date of expiry)',
        );
      }
      await selectApplication(plain);
      channel = await performBac(counted, key.mrzInformation);
      method = 'BAC';
    }
  } catch (err) {
    // Any refusal of the key-proving command (chips answer 6300, 63Cx, 6982, 6988…), or 6982-6984
    // elsewhere in the handshake: the key is wrong for this card (or the card is blocked).
    if (
      err instanceof AuthenticationRefused ||
      (err instanceof StatusError &&
        (err.sw === 0x6300 || (err.sw & 0xfff0) === 0x63c0 || err.sw === 0x6982 || err.sw === 0x6983 || err.sw === 0x6984))
    ) {
      throw new ReadDocumentError(
        'access-denied',
        `the card refused the access data (SW ${swHex(err.sw)}): check the ${'can' in key ? 'CAN' : 'ID number and dates'}`,
        err.sw,
      );
    }
    throw err;
  }

  const read = async (fid: number, what: string, mandatory: boolean): Promise<Uint8Array | undefined> => {
    let file: Uint8Array;
    try {
      file = await readWholeFile(channel, fid, chunk, maxSize);
    } catch (err) {
      if (err instanceof StatusError && err.sw === 0x6a82) {
        if (mandatory) throw new ReadDocumentError('missing-file', `${what} is missing on the card`, err.sw);
        return undefined;
      }
      throw err;
    }
    const tag = FILE_TAG[fid];
    if (tag !== undefined) {
      const h = readTlvHeader(file);
      if (h.tag !== tag)
        throw new ReadDocumentError('bad-file', `${what} starts with tag ${h.tag.toString(16)}, expected ${tag.toString(16)}`);
    }
    return file;
  };

  const com = (await read(EF.COM, 'EF.COM', true))!;
  const sod = (await read(EF.SOD, 'EF.SOD', true))!;
  // EF.COM is unsigned: a clone can drop DG15 from it to dodge Active Authentication. The signed
  // SOD's hash list is the authority; EF.COM only adds (a chip with an unparseable SOD fails PA anyway).
  const listed = new Set([...listedDataGroups(com), ...sodDataGroups(sod)]);
  const dataGroups = new Map<number, Uint8Array>();
  dataGroups.set(1, (await read(EF.DG1, 'DG1', true))!);
  dataGroups.set(13, (await read(EF.DG13, 'DG13', true))!);
  // DG14 tells how an EC chip signs Active Authentication; read it when listed.
  if (listed.has(14)) {
    const dg14 = await read(EF.DG14, 'DG14', false);
    if (dg14) dataGroups.set(14, dg14);
  }
  if (listed.has(15)) {
    const dg15 = await read(EF.DG15, 'DG15', false);
    if (dg15) dataGroups.set(15, dg15);
  }
  if (opts.withFace) dataGroups.set(2, (await read(FID_BY_DG[2]!, 'DG2', true))!);

  let activeAuth: DocumentRead['activeAuth'];
  if (opts.challenge && dataGroups.has(15)) {
    const res = await channel.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: opts.challenge, ne: extended ? EXTENDED_CHUNK : 256 });
    if (res.sw !== 0x9000 || res.data.length === 0) {
      throw new ReadDocumentError('active-auth', `INTERNAL AUTHENTICATE failed: SW ${swHex(res.sw)}`, res.sw);
    }
    activeAuth = { challenge: Uint8Array.from(opts.challenge), signature: res.data };
  }

  return { access: method, com, dataGroups, sod, cardAccess: ca.file, activeAuth, apduCount: counted.count, extendedLength: extended };
}
