// Minimal DER pieces the ICAO code builds or inspects by hand (OIDs, INTEGERs, keys);
// structures with a library schema go through @peculiar/asn1-* instead.
import { concat } from './bytes.ts';
import { TlvError } from './errors.ts';
import { encodeTlv, type Tlv } from './tlv.ts';

export const TAG = { INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30, SET: 0x31 } as const;

export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new TlvError('encode', `bad OID ${oid}`);
    return BigInt(a);
  });
  if (arcs.length < 2 || arcs[0]! > 2n) throw new TlvError('encode', `bad OID ${oid}`);
  const out: number[] = [];
  const push = (v: bigint) => {
    const bytes = [Number(v & 0x7fn)];
    for (v >>= 7n; v > 0n; v >>= 7n) bytes.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...bytes);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return encodeTlv(TAG.OID, Uint8Array.from(out));
}

/** Dotted form of an OBJECT IDENTIFIER's value bytes. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0 || (value[value.length - 1]! & 0x80) !== 0) throw new TlvError('unexpected-tag', 'malformed OID');
  const arcs: bigint[] = [];
  let v = 0n;
  for (const b of value) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0n;
    }
  }
  const first = arcs.shift()!;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs].join('.');
}

export function oidOf(t: Tlv | undefined): string {
  if (!t || t.tag !== TAG.OID) throw new TlvError('unexpected-tag', 'expected an OBJECT IDENTIFIER');
  return decodeOid(t.value);
}

/** Unsigned big-endian bytes -> bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Non-negative bigint -> big-endian bytes, left-padded to `size` when given. */
export function bigIntToBytes(v: bigint, size = 0): Uint8Array {
  if (v < 0n) throw new RangeError('negative value');
  const out: number[] = [];
  for (let x = v; x > 0n; x >>= 8n) out.unshift(Number(x & 0xffn));
  while (out.length < size) out.unshift(0);
  return Uint8Array.from(out);
}

/** DER INTEGER of a non-negative value (a leading 00 keeps it positive). */
export function encodeUnsignedInteger(v: bigint | Uint8Array): Uint8Array {
  let bytes = typeof v === 'bigint' ? bigIntToBytes(v) : v;
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && (bytes[i + 1]! & 0x80) === 0) i++;
  bytes = bytes.subarray(i);
  if (bytes.length === 0) bytes = Uint8Array.of(0);
  if (bytes[0]! & 0x80) bytes = concat(Uint8Array.of(0), bytes);
  return encodeTlv(TAG.INTEGER, bytes);
}

/** Value of a DER INTEGER taken as unsigned (leading zero bytes dropped). */
export function unsignedIntegerOf(t: Tlv | undefined): bigint {
  if (!t || t.tag !== TAG.INTEGER || t.length === 0) throw new TlvError('unexpected-tag', 'expected an INTEGER');
  return bytesToBigInt(t.value);
}

export const sequence = (...items: Uint8Array[]) => encodeTlv(TAG.SEQUENCE, items);
export const octetString = (v: Uint8Array) => encodeTlv(TAG.OCTET_STRING, v);
export const bitString = (v: Uint8Array) => encodeTlv(TAG.BIT_STRING, concat(Uint8Array.of(0), v));
