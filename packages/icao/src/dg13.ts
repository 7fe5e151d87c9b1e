// Vietnamese CCCD EF.DG13 ("other personal details", national format):
//   6D { SEQUENCE { INTEGER version, OID 1.0.10646.1.0.8, SET OF SEQUENCE { INTEGER n, value… } } }
// Fields are identified by n, not position (cards omit some), values are UTF8String.
// Unknown numbers are kept raw so nothing the chip says is silently lost.
import { DataGroupError, TlvError } from './errors.ts';
import { childrenOf, expectTlv, type Tlv } from './tlv.ts';

/** 1.0.10646.1.0.8: ISO/IEC 10646 UTF-8 — declares the character set of the values. */
export const DG13_UTF8_OID = '1.0.10646.1.0.8';
const MAX_NESTING = 8;

export interface Dg13Field {
  number: number;
  /** Every string found in the value, depth-first (field 13 holds father then mother). */
  strings: string[];
  /** The value elements as they were encoded (everything after the INTEGER). */
  raw: Tlv[];
}

export interface Dg13 {
  version: number;
  oid: string;
  idNumber?: string;
  fullName?: string;
  dateOfBirth?: string; // dd/mm/yyyy as stored
  sex?: string; // "Nam" / "Nữ"
  nationality?: string;
  ethnicity?: string;
  religion?: string;
  placeOfOrigin?: string;
  placeOfResidence?: string;
  identifyingMarks?: string;
  dateOfIssue?: string;
  dateOfExpiry?: string;
  fatherName?: string;
  motherName?: string;
  spouseName?: string;
  /** Field 15: other papers / old ID number. */
  otherDocument?: string;
  /** Every field by number, including 16 (meaning disputed) and any unknown numbers. */
  fields: Map<number, Dg13Field>;
}

const SINGLE_STRING_FIELDS = {
  1: 'idNumber',
  2: 'fullName',
  3: 'dateOfBirth',
  4: 'sex',
  5: 'nationality',
  6: 'ethnicity',
  7: 'religion',
  8: 'placeOfOrigin',
  9: 'placeOfResidence',
  10: 'identifyingMarks',
  11: 'dateOfIssue',
  12: 'dateOfExpiry',
  15: 'otherDocument',
} as const satisfies Record<number, keyof Dg13>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeString(t: Tlv): string | undefined {
  switch (t.tag) {
    case 0x0c: // UTF8String
      try {
        return utf8.decode(t.value);
      } catch {
        throw new DataGroupError('bad-text', `invalid UTF-8 in DG13 value at offset ${t.offset}`);
      }
    case 0x13: // PrintableString
    case 0x16: // IA5String
      return Buffer.from(t.value).toString('latin1');
    default:
      return undefined;
  }
}

function collectStrings(items: readonly Tlv[], out: string[], depth: number): void {
  if (depth > MAX_NESTING) throw new DataGroupError('bad-structure', 'DG13 value nested too deeply');
  for (const t of items) {
    const s = decodeString(t);
    if (s !== undefined) out.push(s);
    else if (t.constructed) collectStrings(childrenOf(t), out, depth + 1);
  }
}

/** Small non-negative DER INTEGER (field numbers, version). */
function smallInteger(t: Tlv | undefined, what: string): number {
  if (t?.tag !== 0x02 || t.length < 1 || t.length > 4 || (t.value[0]! & 0x80) !== 0) {
    throw new DataGroupError('bad-structure', `${what}: expected a small non-negative INTEGER`);
  }
  return t.value.reduce((n, b) => n * 256 + b, 0);
}

function decodeOid(t: Tlv | undefined): string {
  if (t?.tag !== 0x06 || t.length === 0) throw new DataGroupError('bad-structure', 'DG13: expected an OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < t.value.length; i++) {
    const b = t.value[i]!;
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) throw new DataGroupError('bad-structure', 'DG13: OID arc too large');
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0;
    } else if (i === t.value.length - 1) {
      throw new DataGroupError('bad-structure', 'DG13: truncated OID');
    }
  }
  const first = arcs.shift()!;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

export function parseDg13(file: Uint8Array): Dg13 {
  try {
    return parse(file);
  } catch (err) {
    if (err instanceof TlvError) throw new DataGroupError('bad-structure', `DG13: ${err.message}`);
    throw err;
  }
}

function parse(file: Uint8Array): Dg13 {
  const outer = childrenOf(expectTlv(file, 0x6d));
  if (outer.length !== 1 || outer[0]!.tag !== 0x30) throw new DataGroupError('bad-structure', 'DG13: expected one SEQUENCE inside 6D');
  const seq = childrenOf(outer[0]!);
  const version = smallInteger(seq[0], 'DG13 version');
  const oid = decodeOid(seq[1]);
  const set = seq[2];
  if (set?.tag !== 0x31) throw new DataGroupError('bad-structure', 'DG13: expected a SET of fields');

  const fields = new Map<number, Dg13Field>();
  for (const item of childrenOf(set)) {
    if (item.tag !== 0x30)
      throw new DataGroupError('bad-structure', `DG13: field element has tag ${item.tag.toString(16)}, expected SEQUENCE`);
    const [num, ...raw] = childrenOf(item);
    const number = smallInteger(num, 'DG13 field number');
    if (fields.has(number)) throw new DataGroupError('bad-structure', `DG13: field ${number} appears twice`);
    const strings: string[] = [];
    collectStrings(raw, strings, 0);
    fields.set(number, { number, strings, raw });
  }

  const result: Dg13 = { version, oid, fields };
  for (const [n, key] of Object.entries(SINGLE_STRING_FIELDS)) {
    const s = fields.get(Number(n))?.strings[0];
    if (s !== undefined) result[key] = s;
  }
  const parents = fields.get(13)?.strings ?? [];
  if (parents[0] !== undefined) result.fatherName = parents[0];
  if (parents[1] !== undefined) result.motherName = parents[1];
  const spouse = fields.get(14)?.strings[0];
  if (spouse !== undefined) result.spouseName = spouse;
  return result;
}
