import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hex, toHex } from './bytes.ts';
import { CryptoError } from './errors.ts';
import { pad, unpad } from './padding.ts';

const isBadPadding = (e: unknown) => e instanceof CryptoError && e.code === 'bad-padding';

describe('ISO 9797-1 method 2 padding', () => {
  it('pads to the next block, adding a full block when already aligned', () => {
    assert.equal(toHex(pad(hex('0CA4020C'), 8)), '0CA4020C80000000'); // Appendix D command header
    assert.equal(toHex(pad(hex('0011223344556677'), 8)), '00112233445566778000000000000000');
    assert.equal(toHex(pad(new Uint8Array(0), 16)), '80' + '00'.repeat(15));
  });

  it('unpads exactly what pad added', () => {
    for (let n = 0; n < 40; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 37) & 0xff);
      assert.deepEqual(unpad(pad(data, 8), 8), data);
      assert.deepEqual(unpad(pad(data, 16), 16), data);
    }
  });

  it('rejects bad padding', () => {
    assert.throws(() => unpad(hex('0011223344556677'), 8), isBadPadding); // no 80
    assert.throws(() => unpad(hex('00000000000000'), 8), isBadPadding); // not whole blocks
    assert.throws(() => unpad(new Uint8Array(0), 8), isBadPadding);
    assert.throws(() => unpad(hex('8000000000000000' + '0000000000000000'), 8), isBadPadding); // 80 outside last block
    assert.throws(() => unpad(hex('0011223344558001'), 8), isBadPadding); // junk after 80
  });
});
