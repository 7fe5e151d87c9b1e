import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCommandApdu, describeStatus, encodeCommandApdu, parseResponseApdu, requireStatus } from './apdu.ts';
import { hex, toHex } from './bytes.ts';
import { ApduError, StatusError } from './errors.ts';

const isApduError = (code: ApduError['code']) => (e: unknown) => e instanceof ApduError && e.code === code;

describe('command APDU encoding', () => {
  it('encodes the four short cases (Part 11 Appendix D commands)', () => {
    assert.equal(toHex(encodeCommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') })), '00A4020C02011E'); // 3S
    assert.equal(toHex(encodeCommandApdu({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 })), '0084000008'); // 2S
    assert.equal(toHex(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 0x12 })), '00B0000412');
    assert.equal(toHex(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 256 })), '00B0000000'); // Ne 256 → Le 00
    assert.equal(toHex(encodeCommandApdu({ cla: 0, ins: 0x82, p1: 0, p2: 0, data: hex('AABB'), ne: 40 })), '0082000002AABB28'); // 4S
    assert.equal(toHex(encodeCommandApdu({ cla: 0x80, ins: 0xca, p1: 0x9f, p2: 0x7f })), '80CA9F7F'); // 1
  });

  it('switches to extended length when Nc > 255 or Ne > 256', () => {
    assert.equal(toHex(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 257 })), '00B00000000101'); // 2E
    assert.equal(toHex(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 65536 })), '00B00000000000');
    const big = encodeCommandApdu({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(300) }); // 3E
    assert.equal(toHex(big.subarray(0, 7)), '00D6000000012C');
    assert.equal(big.length, 7 + 300);
    const e4 = encodeCommandApdu({ cla: 0, ins: 0xb1, p1: 0, p2: 0, data: hex('54028000'), ne: 0x1000 }); // 4E
    assert.equal(toHex(e4), '00B1000000000454028000' + '1000');
    // Forced extended for a small command
    assert.equal(
      toHex(encodeCommandApdu({ cla: 0, ins: 0xb1, p1: 0, p2: 0, data: hex('5401FF'), ne: 4 }, { extended: true })),
      '00B10000000003' + '5401FF' + '0004',
    );
  });

  it('round-trips through the decoder for every case', () => {
    const cases = [
      { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c },
      { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hex('011E') },
      { cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 256 },
      { cla: 0x0c, ins: 0xb0, p1: 0, p2: 0, data: hex('9701048E08ED6705417E96BA55'), ne: 256 },
      { cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 65536 },
      { cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(1000) },
      { cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(1000), ne: 300 },
    ];
    for (const c of cases) {
      const { extended: _ext, ...back } = decodeCommandApdu(encodeCommandApdu(c));
      assert.deepEqual(back, c);
    }
  });

  it('rejects out-of-range fields', () => {
    assert.throws(() => encodeCommandApdu({ cla: 256, ins: 0, p1: 0, p2: 0 }), isApduError('bad-command'));
    assert.throws(() => encodeCommandApdu({ cla: 0, ins: -1, p1: 0, p2: 0 }), isApduError('bad-command'));
    assert.throws(() => encodeCommandApdu({ cla: 0, ins: 0, p1: 1.5, p2: 0 }), isApduError('bad-command'));
    assert.throws(() => encodeCommandApdu({ cla: 0, ins: 0, p1: 0, p2: 0, ne: 0 }), isApduError('bad-command'));
    assert.throws(() => encodeCommandApdu({ cla: 0, ins: 0, p1: 0, p2: 0, ne: 65537 }), isApduError('bad-command'));
    assert.throws(() => encodeCommandApdu({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(65536) }), isApduError('bad-command'));
  });

  it('decoder rejects lengths that disagree with the buffer', () => {
    assert.throws(() => decodeCommandApdu(hex('00A402')), isApduError('bad-command'));
    assert.throws(() => decodeCommandApdu(hex('00A4020C05011E')), isApduError('bad-command')); // Lc 5, 2 bytes
    assert.throws(() => decodeCommandApdu(hex('00A4020C0000')), isApduError('bad-command')); // truncated extended
    assert.throws(() => decodeCommandApdu(hex('00D60000000100AA')), isApduError('bad-command')); // ext Lc 256, 1 byte
  });
});

describe('response APDU', () => {
  it('splits data and SW1SW2', () => {
    const r = parseResponseApdu(hex('4608F919887022129000'));
    assert.equal(toHex(r.data), '4608F91988702212');
    assert.equal(r.sw1, 0x90);
    assert.equal(r.sw2, 0x00);
    assert.equal(r.sw, 0x9000);
    assert.equal(parseResponseApdu(hex('6A82')).data.length, 0);
  });

  it('rejects responses without a status word', () => {
    assert.throws(() => parseResponseApdu(new Uint8Array(0)), isApduError('bad-response'));
    assert.throws(() => parseResponseApdu(hex('90')), isApduError('bad-response'));
  });

  it('describes status words and raises typed status errors', () => {
    assert.equal(describeStatus(0x6a82), 'file or application not found');
    assert.equal(describeStatus(0x6988), 'incorrect secure messaging data objects');
    assert.match(describeStatus(0x6c10), /exact length is 16/);
    assert.match(describeStatus(0x63c2), /2 tries left/);
    assert.throws(
      () => requireStatus(parseResponseApdu(hex('6982')), 'READ BINARY'),
      (e: unknown) => e instanceof StatusError && e.sw === 0x6982 && /6982/.test(e.message),
    );
    assert.equal(requireStatus(parseResponseApdu(hex('6282')), 'x', [0x9000, 0x6282]).sw, 0x6282);
  });
});
