import assert from 'node:assert/strict';
import { test } from 'node:test';
import { A02yyuwDecoder, encodeA02yyuw } from './a02yyuw.ts';
import { hex } from './common.ts';
import { A02yyuwSimulator } from '@tram/testing/devices/simulators.ts';
import { cat, FIXED_NOW, forEverySplit, garbage, maxBufferUnderGarbage, ptyLoop, sink, type Sink } from '@tram/testing/devices/testing.ts';

const make = (s: Sink) => new A02yyuwDecoder({ ...s.opts, mountHeightCm: 250 });
const heights = (s: Sink) => s.readings.map((r) => (r.kind === 'height' ? r.value : NaN));

test('notes example FF 06 9A 9F = 1690 mm, height = mount − distance', () => {
  const s = sink();
  const d = make(s);
  d.push(hex('FF 06 9A 9F'));
  assert.deepEqual(s.readings, [
    {
      kind: 'height',
      value: 81,
      unit: 'cm',
      at: FIXED_NOW,
      device: 'DYP A02YYUW ultrasonic sensor',
      flags: [],
      detail: { distanceMm: 1690 },
    },
  ]);
  assert.deepEqual(d.stats, { frames: 1, badFrames: 0, droppedBytes: 0 });
});

test('frames split at every byte boundary decode identically', () => {
  const bytes = cat(encodeA02yyuw(1690), encodeA02yyuw(1700), encodeA02yyuw(845));
  forEverySplit(bytes, make, (s, d, how) => {
    assert.deepEqual(heights(s), [81, 80, 165.5], how);
    assert.equal(d.stats.frames, 3, how);
    assert.equal(d.stats.badFrames, 0, how);
  });
});

test('noise before and between frames is skipped and the decoder resyncs', () => {
  const s = sink();
  const d = make(s);
  d.push(cat(garbage(37, 1, [0xff]), encodeA02yyuw(1690), garbage(11, 2, [0xff]), encodeA02yyuw(1600)));
  assert.deepEqual(heights(s), [81, 90]);
  assert.equal(d.stats.droppedBytes, 48);
  // A stray header byte right before a frame costs one bad candidate, not the frame.
  d.push(hex('FF FF 06 9A 9F'));
  assert.deepEqual(heights(s), [81, 90, 81]);
  assert.equal(d.stats.badFrames, 1);
});

test('bad checksum is counted and dropped, the next frame still decodes', () => {
  const s = sink();
  const d = make(s);
  assert.doesNotThrow(() => d.push(cat(hex('FF 06 9A 00'), encodeA02yyuw(1500))));
  assert.deepEqual(heights(s), [100]);
  assert.equal(d.stats.badFrames, 1);
  assert.equal(d.stats.frames, 1);
});

test('encoder → decoder round trip over the rated range', () => {
  const s = sink();
  const d = new A02yyuwDecoder({ ...s.opts, mountHeightCm: 460, minSubjectCm: 0 });
  const mms = [30, 255, 256, 1000, 1690, 2304, 4095, 4500];
  d.push(cat(...mms.map(encodeA02yyuw)));
  assert.deepEqual(
    s.readings.map((r) => r.detail?.['distanceMm']),
    mms,
  );
  assert.equal(d.stats.badFrames, 0);
});

test('out-of-range distance and an empty booth are statuses, not heights', () => {
  const s = sink();
  const d = make(s);
  d.push(cat(encodeA02yyuw(10), encodeA02yyuw(5000), encodeA02yyuw(2480)));
  assert.equal(s.readings.length, 0);
  assert.deepEqual(
    s.statuses.map((x) => x.flags[0]),
    ['out_of_range', 'out_of_range', 'no_subject'],
  );
});

test('internal buffer stays bounded under endless garbage and the decoder recovers', () => {
  const s = sink();
  const d = make(s);
  const max = maxBufferUnderGarbage(d);
  assert.ok(max <= 32, `buffer grew to ${max}`);
  d.push(cat(encodeA02yyuw(1690), encodeA02yyuw(1690)));
  assert.ok(heights(s).includes(81), 'decoder wedged after garbage');
});

test('pty end to end: simulator → socat pty pair → fs stream → decoder', async (t) => {
  const sim = new A02yyuwSimulator({ mountHeightCm: 250, heightCm: 172, jitterMm: 3 });
  const r = await ptyLoop(t, sim, (_w, s) => make(s), { done: (s) => s.readings.length >= 5 });
  if (!r) return; // skipped: socat missing
  for (const h of heights(r.s)) assert.ok(Math.abs(h - 172) <= 0.31, `height ${h}`);
  assert.equal(r.d.stats.badFrames, 0);
});
