// Strict BER-TLV (ISO 7816-4 / X.690 subset used by ICAO 9303 LDS and SM).
// Every read is checked against the buffer end before it happens, so hostile
// chip data can only ever produce a TlvError, never an out-of-range read.
import { concat } from './bytes.ts';
import { TlvError } from './errors.ts';

/** Tags up to 4 bytes (ICAO uses at most 2, e.g. 5F1F, 7F61). */
const MAX_TAG_BYTES = 4;
/** Long-form lengths up to 4 bytes (0x84 xx xx xx xx). */
const MAX_LENGTH_BYTES = 4;
export const DEFAULT_MAX_DEPTH = 16;

export interface TlvHeader {
  /** Tag as an unsigned integer of its encoded bytes, e.g. 0x5F1F. */
  tag: number;
  constructed: boolean;
  /** Bytes taken by tag + length fields. */
  headerLength: number;
  /** Length of the value field. */
  length: number;
}

export interface Tlv extends TlvHeader {
  value: Uint8Array;
  /** Offset of the tag's first byte in the parsed buffer. */
  offset: number;
  /** headerLength + length. */
  totalLength: number;
}

export interface TlvNode extends Tlv {
  /** Present for constructed TLVs: the parsed value. */
  children?: TlvNode[];
}

/**
 * Decodes the tag and length at `offset` without requiring the value to be present.
 * Used to learn a file's total size from its first few bytes.
 */
export function readTlvHeader(buf: Uint8Array, offset = 0): TlvHeader {
  if (!Number.isInteger(offset) || offset < 0) throw new TlvError('truncated', `bad offset ${offset}`, offset);
  let at = offset;
  if (at >= buf.length) throw new TlvError('truncated', 'missing tag', at);
  const first = buf[at++]!;
  let tag = first;
  const constructed = (first & 0x20) !== 0;
  if ((first & 0x1f) === 0x1f) {
    // High tag number form: continuation bytes have bit 8 set, the last one clear.
    let count = 1;
    for (;;) {
      if (at >= buf.length) throw new TlvError('truncated', 'tag continues past end of data', at);
      const b = buf[at]!;
      if (count === 1 && (b & 0x7f) === 0) {
        // X.690 8.1.2.4.2 c: first subsequent octet bits 7..1 shall not all be zero.
        throw new TlvError('bad-tag', 'non-minimal tag encoding', at);
      }
      at++;
      count++;
      if (count > MAX_TAG_BYTES) throw new TlvError('bad-tag', `tag longer than ${MAX_TAG_BYTES} bytes`, offset);
      tag = tag * 256 + b; // multiply, not <<, so 4-byte tags stay positive
      if ((b & 0x80) === 0) break;
    }
  }
  if (at >= buf.length) throw new TlvError('truncated', 'missing length', at);
  const lenByte = buf[at++]!;
  let length: number;
  if (lenByte < 0x80) {
    length = lenByte;
  } else if (lenByte === 0x80) {
    // Indefinite length is not allowed in ICAO LDS / SM data.
    throw new TlvError('bad-length', 'indefinite length not supported', at - 1);
  } else {
    const n = lenByte & 0x7f;
    if (n > MAX_LENGTH_BYTES) throw new TlvError('bad-length', `length field of ${n} bytes`, at - 1);
    if (at + n > buf.length) throw new TlvError('truncated', 'length field runs past end of data', at);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[at++]!;
  }
  return { tag, constructed, headerLength: at - offset, length };
}

/** Reads one complete TLV at `offset`; the value must fit inside `buf`. */
export function readTlv(buf: Uint8Array, offset = 0): Tlv {
  const h = readTlvHeader(buf, offset);
  const start = offset + h.headerLength;
  if (h.length > buf.length - start) {
    throw new TlvError('truncated', `value of ${h.length} bytes exceeds the ${buf.length - start} available`, start);
  }
  return {
    ...h,
    offset,
    totalLength: h.headerLength + h.length,
    value: buf.subarray(start, start + h.length),
  };
}

/** Parses a buffer that must contain exactly one TLV. */
export function parseTlv(buf: Uint8Array): Tlv {
  const t = readTlv(buf, 0);
  if (t.totalLength !== buf.length) {
    throw new TlvError('trailing-bytes', `${buf.length - t.totalLength} bytes after TLV`, t.totalLength);
  }
  return t;
}

/** Parses a concatenation of sibling TLVs that must fill `buf` exactly. */
export function parseTlvList(buf: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let at = 0;
  while (at < buf.length) {
    const t = readTlv(buf, at);
    out.push(t);
    at += t.totalLength;
  }
  return out;
}

/** The children of a constructed TLV. */
export function childrenOf(tlv: Tlv): Tlv[] {
  if (!tlv.constructed) throw new TlvError('not-constructed', `tag ${tagHex(tlv.tag)} is primitive`, tlv.offset);
  return parseTlvList(tlv.value);
}

/** Full tree decode with a depth limit (deep nesting from a hostile chip must not blow the stack). */
export function parseTlvTree(buf: Uint8Array, maxDepth = DEFAULT_MAX_DEPTH): TlvNode[] {
  return decodeLevel(buf, 0, maxDepth);
}

function decodeLevel(buf: Uint8Array, depth: number, maxDepth: number): TlvNode[] {
  if (depth > maxDepth) throw new TlvError('too-deep', `nesting deeper than ${maxDepth}`);
  return parseTlvList(buf).map((t) => (t.constructed ? { ...t, children: decodeLevel(t.value, depth + 1, maxDepth) } : t));
}

/** First child with `tag`, or undefined. */
export function findTlv(list: readonly Tlv[], tag: number): Tlv | undefined {
  return list.find((t) => t.tag === tag);
}

/** Like findTlv but throws when absent: for mandatory data objects. */
export function requireTlv(list: readonly Tlv[], tag: number): Tlv {
  const t = findTlv(list, tag);
  if (!t) throw new TlvError('unexpected-tag', `missing tag ${tagHex(tag)}`);
  return t;
}

/** Parses exactly one TLV and checks its tag. */
export function expectTlv(buf: Uint8Array, tag: number): Tlv {
  const t = parseTlv(buf);
  if (t.tag !== tag) throw new TlvError('unexpected-tag', `expected tag ${tagHex(tag)}, got ${tagHex(t.tag)}`, 0);
  return t;
}

export function tagHex(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(2, '0');
}

// ---- encoding ----

export function encodeTag(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffffff) throw new TlvError('encode', `bad tag ${tag}`);
  const bytes: number[] = [];
  let t = tag;
  do {
    bytes.unshift(t % 256);
    t = Math.floor(t / 256);
  } while (t > 0);
  // Re-parse to make sure the bytes form a well-formed tag of exactly this size.
  const probe = new Uint8Array([...bytes, 0]);
  let h: TlvHeader;
  try {
    h = readTlvHeader(probe);
  } catch {
    throw new TlvError('encode', `tag ${tagHex(tag)} is not a valid BER tag`);
  }
  if (h.headerLength !== bytes.length + 1) throw new TlvError('encode', `tag ${tagHex(tag)} is not a valid BER tag`);
  return Uint8Array.from(bytes);
}

/** Minimal definite length: short form below 0x80, else 0x81..0x84. */
export function encodeLength(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) {
    throw new TlvError('encode', `bad length ${length}`);
  }
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  let l = length;
  while (l > 0) {
    bytes.unshift(l % 256);
    l = Math.floor(l / 256);
  }
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

/** Encodes a TLV; pass an array to build a constructed value from encoded children. */
export function encodeTlv(tag: number, value: Uint8Array | readonly Uint8Array[]): Uint8Array {
  const v = value instanceof Uint8Array ? value : concat(...value);
  const t = encodeTag(tag);
  const l = encodeLength(v.length);
  const out = new Uint8Array(t.length + l.length + v.length);
  out.set(t, 0);
  out.set(l, t.length);
  out.set(v, t.length + l.length);
  return out;
}
