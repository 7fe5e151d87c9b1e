import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hex, toHex } from './bytes.ts';
import { TlvError } from './errors.ts';
import { childrenOf, encodeLength, encodeTag, encodeTlv, expectTlv, parseTlv, parseTlvTree, readTlvHeader } from './tlv.ts';

// EF.COM from ICAO 9303-11 Appendix D (decrypted READ BINARY results).
const EF_COM = hex('60145F0104303130365F36063034303030305C026175');

function assertTlvError(fn: () => unknown, code: TlvError['code']): void {
  assert.throws(fn, (e: unknown) => e instanceof TlvError && e.code === code);
}

describe('tlv parse', () => {
  it('parses EF.COM from the Part 11 worked example, with 2-byte tags', () => {
    const com = parseTlv(EF_COM);
    assert.equal(com.tag, 0x60);
    assert.equal(com.constructed, true);
    assert.equal(com.length, 0x14);
    const kids = childrenOf(com);
    assert.deepEqual(
      kids.map((k) => [k.tag, toHex(k.value)]),
      [
        [0x5f01, '30313036'], // LDS version "0106"
        [0x5f36, '303430303030'], // Unicode version "040000"
        [0x5c, '6175'], // tag list: DG1 (61), DG2 (75)
      ],
    );
  });

  it('reads long-form lengths of 1 to 4 bytes', () => {
    for (const n of [0x7f, 0x80, 0xff, 0x100, 0x10000]) {
      const enc = encodeTlv(0x04, new Uint8Array(n));
      const t = parseTlv(enc);
      assert.equal(t.length, n);
      assert.equal(t.value.length, n);
    }
    assert.deepEqual(readTlvHeader(hex('04 84 01 00 00 00')), { tag: 4, constructed: false, headerLength: 6, length: 0x1000000 });
  });

  it('parses 3-byte tags and nested trees', () => {
    const inner = encodeTlv(0x5f8101, hex('AA'));
    const tree = parseTlvTree(encodeTlv(0x7f61, [encodeTlv(0x02, hex('01')), encodeTlv(0x7f60, [inner])]));
    assert.equal(tree[0]!.tag, 0x7f61);
    assert.equal(tree[0]!.children![1]!.children![0]!.tag, 0x5f8101);
    assert.equal(toHex(tree[0]!.children![1]!.children![0]!.value), 'AA');
  });

  it('header-only read works without the value present (used to size files)', () => {
    const h = readTlvHeader(hex('75 82 4E 20'));
    assert.equal(h.headerLength, 4);
    assert.equal(h.length, 20000);
  });
});

describe('tlv hostile input', () => {
  it('rejects an empty buffer and a missing length', () => {
    assertTlvError(() => readTlvHeader(new Uint8Array(0)), 'truncated');
    assertTlvError(() => readTlvHeader(hex('5F')), 'truncated');
    assertTlvError(() => readTlvHeader(hex('5F1F')), 'truncated');
  });

  it('rejects a value longer than the buffer', () => {
    assertTlvError(() => parseTlv(hex('04 05 0102')), 'truncated');
    assertTlvError(() => parseTlv(hex('04 82 FF FF 00')), 'truncated');
    // 4-byte length claiming ~4 GB must not allocate or read anything
    assertTlvError(() => parseTlv(hex('04 84 FF FF FF FF 00')), 'truncated');
  });

  it('rejects a long-form length whose length bytes are cut off', () => {
    assertTlvError(() => parseTlv(hex('04 83 01 00')), 'truncated');
  });

  it('rejects indefinite and over-wide lengths', () => {
    assertTlvError(() => parseTlv(hex('30 80 00 00')), 'bad-length');
    assertTlvError(() => parseTlv(hex('04 85 00 00 00 00 01 00')), 'bad-length');
  });

  it('rejects over-long and non-minimal tags', () => {
    assertTlvError(() => readTlvHeader(hex('5F 81 81 81 01 00')), 'bad-tag');
    assertTlvError(() => readTlvHeader(hex('5F 80 01 00')), 'bad-tag');
  });

  it('rejects trailing bytes after a single TLV', () => {
    const err = (() => {
      try {
        parseTlv(hex('04 01 AA BB'));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof TlvError);
    assert.equal(err.code, 'trailing-bytes');
    assert.equal(err.offset, 3);
  });

  it('rejects a truncated child inside a well-formed parent', () => {
    const bad = hex('30 04 04 05 01 02');
    assertTlvError(() => childrenOf(parseTlv(bad)), 'truncated');
    assertTlvError(() => parseTlvTree(bad), 'truncated');
  });

  it('refuses children of a primitive TLV and wrong expected tags', () => {
    assertTlvError(() => childrenOf(parseTlv(hex('04 00'))), 'not-constructed');
    assertTlvError(() => expectTlv(hex('61 00'), 0x6d), 'unexpected-tag');
  });

  it('stops at the depth limit instead of recursing without bound', () => {
    let v: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 40; i++) v = encodeTlv(0x30, v);
    assertTlvError(() => parseTlvTree(v, 16), 'too-deep');
    assert.equal(parseTlvTree(v, 64).length, 1);
  });

  it('never throws anything but TlvError on random garbage', () => {
    // Cheap fuzz: every prefix of a real structure, plus random bytes.
    const sample = encodeTlv(0x6d, [encodeTlv(0x30, [encodeTlv(0x02, hex('01')), encodeTlv(0x0c, new Uint8Array(300))])]);
    for (let i = 0; i < sample.length; i++) {
      try {
        parseTlvTree(sample.subarray(0, i));
      } catch (e) {
        assert.ok(e instanceof TlvError, `prefix ${i}: ${String(e)}`);
      }
    }
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed & 0xff;
    };
    for (let n = 0; n < 2000; n++) {
      const buf = Uint8Array.from({ length: 1 + (n % 24) }, rnd);
      try {
        parseTlvTree(buf);
      } catch (e) {
        assert.ok(e instanceof TlvError, `random input ${toHex(buf)}: ${String(e)}`);
      }
    }
  });
});

describe('tlv encode', () => {
  it('encodes minimal lengths', () => {
    assert.equal(toHex(encodeLength(0x7f)), '7F');
    assert.equal(toHex(encodeLength(0x80)), '8180');
    assert.equal(toHex(encodeLength(0x100)), '820100');
    assert.equal(toHex(encodeLength(0x10000)), '83010000');
    assert.equal(toHex(encodeLength(0x1000000)), '8401000000');
  });

  it('encodes multi-byte tags and round-trips EF.COM', () => {
    assert.equal(toHex(encodeTag(0x5f1f)), '5F1F');
    assert.equal(toHex(encodeTag(0x7f61)), '7F61');
    const rebuilt = encodeTlv(0x60, [
      encodeTlv(0x5f01, hex('30313036')),
      encodeTlv(0x5f36, hex('303430303030')),
      encodeTlv(0x5c, hex('6175')),
    ]);
    assert.equal(toHex(rebuilt), toHex(EF_COM));
  });

  it('rejects tags that are not valid BER', () => {
    assertTlvError(() => encodeTag(0x1f), 'encode'); // says "more bytes follow" but none do
    assertTlvError(() => encodeTag(0x5f81), 'encode'); // continuation bit on the last byte
    assertTlvError(() => encodeTag(-1), 'encode');
    assertTlvError(() => encodeLength(2 ** 32), 'encode');
  });
});
