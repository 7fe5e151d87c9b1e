import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeA02yyuw, A02yyuwDecoder } from './a02yyuw.ts';
import { ascii, ByteQueue, hex, sum8 } from './common.ts';
import { MtSicsDecoder } from './mt-sics.ts';
import { cat } from '@tram/testing/devices/testing.ts';

test('ByteQueue keeps FIFO order across compaction and refuses to exceed capacity', () => {
  const q = new ByteQueue(8);
  q.append(Uint8Array.of(1, 2, 3, 4, 5, 6));
  q.discard(4);
  q.append(Uint8Array.of(7, 8, 9, 10, 11, 12)); // forces compaction
  assert.equal(q.length, 8);
  assert.deepEqual([...q.slice(0, 8)], [5, 6, 7, 8, 9, 10, 11, 12]);
  assert.equal(q.indexOf(9), 4);
  assert.equal(q.indexOf(9, 5), -1);
  assert.throws(() => q.append(Uint8Array.of(13)), RangeError);
});

test('hex/ascii/sum8 helpers', () => {
  assert.deepEqual([...hex('5A 5a-0e')], [0x5a, 0x5a, 0x0e]);
  assert.deepEqual([...ascii('S\r\n')], [0x53, 0x0d, 0x0a]);
  assert.equal(sum8(ascii('01;;')), 0xd7);
});

test('a throwing onReading neither loses later frames nor corrupts the decoder; error surfaces after the chunk', () => {
  const seen: number[] = [];
  const d = new A02yyuwDecoder({
    mountHeightCm: 250,
    onReading: (r) => {
      seen.push(r.kind === 'height' ? r.value : NaN);
      if (seen.length === 1) throw new Error('consumer bug');
    },
  });
  assert.throws(() => d.push(cat(encodeA02yyuw(1690), encodeA02yyuw(1600))), /consumer bug/);
  assert.deepEqual(seen, [81, 90]);
  assert.equal(d.stats.frames, 2);
  d.push(encodeA02yyuw(1500));
  assert.deepEqual(seen, [81, 90, 100]);
});

test('with onError, consumer exceptions are reported instead of thrown', () => {
  const errors: unknown[] = [];
  const d = new MtSicsDecoder({
    onReading: () => {
      throw new Error('boom');
    },
    onError: (e) => errors.push(e),
  });
  assert.doesNotThrow(() => d.push(ascii('S S      72.45 kg\r\nS S      72.40 kg\r\n')));
  assert.equal(errors.length, 2);
});
