import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hex, toHex } from './bytes.ts';
import { DG13_UTF8_OID, parseDg13 } from './dg13.ts';
import { DataGroupError } from './errors.ts';
import { encodeTlv } from './tlv.ts';

// ---- fixture encoder: builds DG13 the way the notes describe real cards ----
const utf8 = (s: string) => encodeTlv(0x0c, new TextEncoder().encode(s));
const int = (n: number) => encodeTlv(0x02, Uint8Array.of(n));
const field = (n: number, ...values: Uint8Array[]) => encodeTlv(0x30, [int(n), ...values]);
const OID_UTF8 = hex('06 06 28 D3 16 01 00 08'); // 1.0.10646.1.0.8
function dg13(fields: Uint8Array[], oid = OID_UTF8): Uint8Array {
  return encodeTlv(0x6d, [encodeTlv(0x30, [int(1), oid, encodeTlv(0x31, fields)])]);
}

const FULL = [
  field(1, utf8('001090012345')),
  field(2, utf8('Nguyễn Văn A')),
  field(3, utf8('15/01/1990')),
  field(4, utf8('Nam')),
  field(5, utf8('Việt Nam')),
  field(6, utf8('Kinh')),
  field(7, utf8('Không')),
  field(8, utf8('Xã Tân Phú, Huyện Đức Hòa, Long An')),
  field(9, utf8('123 Lê Lợi, Phường Bến Thành, Quận 1, TP.Hồ Chí Minh')),
  field(10, utf8('Nốt ruồi C:1cm trên trước mép phải')),
  field(11, utf8('01/02/2021')),
  field(12, utf8('15/01/2030')),
  field(13, encodeTlv(0x30, [utf8('Nguyễn Văn B'), utf8('Trần Thị C')])),
  field(15, utf8('')),
  field(16, hex('04 08 0102030405060708')), // disputed meaning: must survive raw
  field(42, utf8('future field')),
];

const isDgError = (code: DataGroupError['code']) => (e: unknown) => e instanceof DataGroupError && e.code === code;

describe('DG13 (Vietnamese CCCD)', () => {
  it('checks the fixture header bytes match the layout in the notes', () => {
    const bytes = dg13(FULL);
    assert.equal(toHex(bytes.subarray(0, 2)), '6D82'); // long enough to need a 2-byte length
    assert.ok(toHex(bytes).includes('0201010606' + '28D316010008' + '3182'));
    assert.equal(new TextEncoder().encode('Việt Nam').length, 10); // UTF-8 byte counts quoted from khoa288
    assert.equal(new TextEncoder().encode('Không').length, 6);
  });

  it('parses every known field by number', () => {
    const d = parseDg13(dg13(FULL));
    assert.equal(d.version, 1);
    assert.equal(d.oid, DG13_UTF8_OID);
    assert.equal(d.idNumber, '001090012345');
    assert.equal(d.fullName, 'Nguyễn Văn A');
    assert.equal(d.dateOfBirth, '15/01/1990');
    assert.equal(d.sex, 'Nam');
    assert.equal(d.nationality, 'Việt Nam');
    assert.equal(d.ethnicity, 'Kinh');
    assert.equal(d.religion, 'Không');
    assert.equal(d.placeOfOrigin, 'Xã Tân Phú, Huyện Đức Hòa, Long An');
    assert.equal(d.placeOfResidence, '123 Lê Lợi, Phường Bến Thành, Quận 1, TP.Hồ Chí Minh');
    assert.equal(d.identifyingMarks, 'Nốt ruồi C:1cm trên trước mép phải');
    assert.equal(d.dateOfIssue, '01/02/2021');
    assert.equal(d.dateOfExpiry, '15/01/2030');
    assert.equal(d.fatherName, 'Nguyễn Văn B');
    assert.equal(d.motherName, 'Trần Thị C');
    assert.equal(d.spouseName, undefined); // field 14 absent: no spouse
    assert.equal(d.otherDocument, '');
  });

  it('keeps unknown and disputed fields raw', () => {
    const d = parseDg13(dg13(FULL));
    const f16 = d.fields.get(16)!;
    assert.equal(f16.raw[0]!.tag, 0x04);
    assert.equal(toHex(f16.raw[0]!.value), '0102030405060708');
    assert.deepEqual(d.fields.get(42)!.strings, ['future field']);
  });

  it('tolerates missing fields and any order; accepts parents as direct values and spouse', () => {
    const d = parseDg13(dg13([field(14, utf8('Lê Thị D')), field(2, utf8('Phạm E')), field(13, utf8('F'), utf8('G'))]));
    assert.equal(d.fullName, 'Phạm E');
    assert.equal(d.spouseName, 'Lê Thị D');
    assert.equal(d.fatherName, 'F');
    assert.equal(d.motherName, 'G');
    assert.equal(d.idNumber, undefined);
    assert.equal(d.fields.size, 3);
  });

  it('rejects hostile structures with typed errors', () => {
    const good = dg13(FULL);
    assert.throws(() => parseDg13(good.subarray(0, good.length - 1)), isDgError('bad-structure')); // truncated
    assert.throws(() => parseDg13(Uint8Array.from([0x6e, ...good.subarray(1)])), isDgError('bad-structure')); // wrong tag
    assert.throws(() => parseDg13(dg13([field(1, utf8('a')), field(1, utf8('b'))])), isDgError('bad-structure')); // duplicate
    assert.throws(() => parseDg13(dg13([encodeTlv(0x30, [utf8('no number')])])), isDgError('bad-structure'));
    assert.throws(() => parseDg13(dg13([encodeTlv(0x30, [hex('02 01 FF'), utf8('x')])])), isDgError('bad-structure')); // negative
    assert.throws(() => parseDg13(dg13([utf8('not a sequence')])), isDgError('bad-structure'));
    assert.throws(() => parseDg13(dg13([field(2, encodeTlv(0x0c, hex('C3 28')))])), isDgError('bad-text')); // invalid UTF-8
    assert.throws(() => parseDg13(dg13(FULL, hex('06 02 28 D3'))), isDgError('bad-structure')); // truncated OID
    let deep: Uint8Array = utf8('x');
    for (let i = 0; i < 12; i++) deep = encodeTlv(0x30, [deep]);
    assert.throws(() => parseDg13(dg13([field(13, deep)])), isDgError('bad-structure'));
  });
});
