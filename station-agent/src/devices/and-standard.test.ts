import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AndStandardDecoder, encodeAndCommand, encodeAndStandard } from './and-standard.ts';
import { ascii } from './common.ts';
import { AndScaleSimulator } from '@tram/testing/devices/simulators.ts';
import { cat, FIXED_NOW, forEverySplit, garbage, maxBufferUnderGarbage, ptyLoop, sink, type Sink } from '@tram/testing/devices/testing.ts';

const make = (s: Sink) => new AndStandardDecoder(s.opts);
const weights = (s: Sink) => s.readings.map((r) => (r.kind === 'weight' ? [r.value, r.flags.join()] : []));
/** Exactly as written in the notes (18 bytes, 4-wide unit field). */
const NOTES_EXAMPLE = ascii('ST,+00072.45  kg\r\n');
/** As the A&D manuals lay it out (17 bytes, 3-wide unit field). */
const MANUAL_EXAMPLE = ascii('ST,+00072.45 kg\r\n');

test('notes example ST,+00072.45 kg decodes to a stable 72.45 kg (both unit paddings)', () => {
  for (const bytes of [NOTES_EXAMPLE, MANUAL_EXAMPLE]) {
    const s = sink();
    const d = make(s);
    d.push(bytes);
    assert.deepEqual(s.readings, [
      { kind: 'weight', value: 72.45, unit: 'kg', at: FIXED_NOW, device: 'A&D scale (standard format)', flags: [] },
    ]);
    assert.deepEqual(d.stats, { frames: 1, badFrames: 0, droppedBytes: 0 });
  }
});

test('encoder writes the 17-byte layout from the manuals', () => {
  const f = encodeAndStandard({ header: 'ST', kg: 72.45 });
  assert.equal(f.length, 17);
  assert.deepEqual(f, MANUAL_EXAMPLE);
  assert.deepEqual(encodeAndStandard({ header: 'US', kg: -183.96 }), ascii('US,-00183.96 kg\r\n'));
});

test('headers: US unstable, OL overload (by sign), QT counting mode, grams converted', () => {
  const s = sink();
  const d = make(s);
  d.push(ascii('US,-00183.96  g\r\nOL,+9999999E+19\r\nOL,-9999999E+19\r\nQT,+00000123 PC\r\nST,+00081.72  g\r\n'));
  assert.deepEqual(weights(s), [
    [-0.18396, 'unstable'],
    [0.08172, ''],
  ]);
  assert.deepEqual(
    s.statuses.map((x) => [x.flags.join(), x.detail?.['pieces'] ?? '']),
    [
      ['overload', ''],
      ['underload', ''],
      ['counting_mode', 123],
    ],
  );
  assert.equal(d.stats.badFrames, 0);
});

test('frames split at every byte boundary decode identically', () => {
  const bytes = cat(NOTES_EXAMPLE, encodeAndStandard({ header: 'US', kg: 70.1 }), encodeAndStandard({ header: 'OL' }));
  forEverySplit(bytes, make, (s, d, how) => {
    assert.deepEqual(
      weights(s),
      [
        [72.45, ''],
        [70.1, 'unstable'],
      ],
      how,
    );
    assert.equal(s.statuses.length, 1, how);
    assert.equal(d.stats.frames, 3, how);
  });
});

test('noise before and between frames is skipped and the decoder resyncs', () => {
  const s = sink();
  const d = make(s);
  d.push(cat(garbage(30, 11), ascii('\x00'), MANUAL_EXAMPLE, ascii('\xfe\x01zz'), MANUAL_EXAMPLE));
  assert.deepEqual(weights(s), [
    [72.45, ''],
    [72.45, ''],
  ]);
});

test('malformed frames are counted as bad and dropped', () => {
  const s = sink();
  const d = make(s);
  const bad = ['ST;+00072.45 kg', 'ST,+0007x.45 kg', 'XX,+00072.45 kg', 'ST,+00072.45 parsec', 'ST,+072.45 kg'];
  assert.doesNotThrow(() => d.push(cat(...bad.map((l) => ascii(`${l}\r\n`)), MANUAL_EXAMPLE)));
  assert.equal(d.stats.badFrames, bad.length);
  assert.deepEqual(weights(s), [[72.45, '']]);
});

test('encoder → decoder round trip', () => {
  const s = sink();
  const d = make(s);
  const kgs = [0, 0.01, 55.5, 72.45, 150, -2.5];
  d.push(cat(...kgs.map((kg, i) => encodeAndStandard({ header: i % 2 ? 'US' : 'ST', kg }))));
  assert.deepEqual(
    weights(s),
    kgs.map((kg, i) => [kg, i % 2 ? 'unstable' : '']),
  );
});

test('commands go through write; simulator streams, answers Q, and S waits for stability', () => {
  const s = sink();
  const d = make(s);
  d.requestImmediate();
  d.requestStable();
  d.cancel();
  d.zero();
  d.tare();
  assert.deepEqual(
    s.writes.map((w) => String.fromCharCode(...w)),
    ['Q\r\n', 'S\r\n', 'C\r\n', 'R\r\n', 'T\r\n'],
  );

  const sim = new AndScaleSimulator({ targetKg: 64.2, stepOnAtMs: 500, settleMs: 1000 }, { stream: false });
  const s2 = sink();
  const d2 = make(s2);
  assert.equal(sim.advance(700).length, 0, 'command mode is silent');
  sim.receive(encodeAndCommand('S')); // person is on the platform, reading still swinging
  d2.push(sim.advance(700));
  assert.equal(s2.readings.length, 0);
  d2.push(sim.advance(1000));
  assert.deepEqual(weights(s2), [[64.2, '']]);
  sim.receive(encodeAndCommand('SIR'));
  d2.push(sim.advance(1000));
  assert.equal(s2.readings.length, 11);
});

test('internal buffer stays bounded under endless garbage and the decoder recovers', () => {
  const s = sink();
  const d = make(s);
  const max = maxBufferUnderGarbage(d);
  assert.ok(max <= 96, `buffer grew to ${max}`);
  // Printable garbage without a line end is bounded too.
  d.push(ascii('7'.repeat(10_000)));
  assert.ok(d.bufferedBytes <= 96, `buffer holds ${d.bufferedBytes}`);
  d.push(cat(ascii('\r\n'), MANUAL_EXAMPLE));
  assert.deepEqual(weights(s).at(-1), [72.45, '']);
});

test('pty end to end: stream-mode scale through a socat pty pair', async (t) => {
  const sim = new AndScaleSimulator({ targetKg: 59.95, stepOnAtMs: 0, settleMs: 300 }, { stream: true, intervalMs: 100 });
  const r = await ptyLoop(t, sim, (_w, s) => make(s), {
    done: (s) => s.readings.some((x) => x.flags.length === 0 && x.kind === 'weight' && x.value > 0),
  });
  if (!r) return;
  assert.deepEqual(weights(r.s).at(-1), [59.95, '']);
  assert.ok(
    r.s.readings.some((x) => x.flags.includes('unstable')),
    'expected unstable readings while settling',
  );
  assert.equal(r.d.stats.badFrames, 0);
});
