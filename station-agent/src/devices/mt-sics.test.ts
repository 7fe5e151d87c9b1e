import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii } from './common.ts';
import { encodeMtSics, encodeMtSicsCommand, MtSicsDecoder } from './mt-sics.ts';
import { MtSicsSimulator } from '@tram/testing/devices/simulators.ts';
import { cat, FIXED_NOW, forEverySplit, garbage, maxBufferUnderGarbage, ptyLoop, sink, type Sink } from '@tram/testing/devices/testing.ts';

const make = (s: Sink) => new MtSicsDecoder(s.opts);
const weights = (s: Sink) => s.readings.map((r) => (r.kind === 'weight' ? [r.value, r.flags.join()] : []));
const EXAMPLE = ascii('S S      72.45 kg\r\n');

test('notes example "S S      72.45 kg" is a stable 72.45 kg', () => {
  const s = sink();
  const d = make(s);
  d.push(EXAMPLE);
  assert.deepEqual(s.readings, [
    { kind: 'weight', value: 72.45, unit: 'kg', at: FIXED_NOW, device: 'Mettler Toledo MT-SICS scale', flags: [] },
  ]);
  assert.deepEqual(d.stats, { frames: 1, badFrames: 0, droppedBytes: 0 });
});

test('documented replies: dynamic, busy, over/under range, errors, zero/tare/reset', () => {
  const s = sink();
  const d = make(s);
  d.push(ascii('S D      71.90 kg\r\nS I\r\nS +\r\nS -\r\nES\r\nET\r\nEL\r\nZ A\r\nT S       1.20 kg\r\nI4 A "B123456789"\r\n'));
  assert.deepEqual(weights(s), [[71.9, 'unstable']]);
  assert.deepEqual(
    s.statuses.map((x) => [x.flags.join(), x.message ?? '', x.detail?.['tareKg'] ?? '']),
    [
      ['busy', '', ''],
      ['overload', '', ''],
      ['underload', '', ''],
      ['error', 'syntax error', ''],
      ['error', 'transmission error', ''],
      ['error', 'logical error', ''],
      ['zeroed', '', ''],
      ['tared', '', 1.2],
      ['reset', 'B123456789', ''],
    ],
  );
  assert.equal(d.stats.frames, 10);
  assert.equal(d.stats.badFrames, 0);
});

test('grams and pounds are converted to kg', () => {
  const s = sink();
  const d = make(s);
  d.push(ascii('S S   72450.0 g\r\nS S     100.00 lb\r\n'));
  assert.deepEqual(weights(s), [
    [72.45, ''],
    [45.359237, ''],
  ]);
});

test('frames split at every byte boundary decode identically', () => {
  const bytes = cat(EXAMPLE, ascii('S D      12.34 kg\r\n'), ascii('S +\r\n'));
  forEverySplit(bytes, make, (s, d, how) => {
    assert.deepEqual(
      weights(s),
      [
        [72.45, ''],
        [12.34, 'unstable'],
      ],
      how,
    );
    assert.equal(s.statuses.length, 1, how);
    assert.equal(d.stats.frames, 3, how);
    assert.equal(d.stats.badFrames, 0, how);
  });
});

test('binary noise before and between lines is skipped; a frame right after noise decodes', () => {
  const s = sink();
  const d = make(s);
  d.push(cat(ascii('\x00\xff\x13'), EXAMPLE, garbage(40, 9), EXAMPLE));
  assert.deepEqual(weights(s), [
    [72.45, ''],
    [72.45, ''],
  ]);
  assert.ok(d.stats.droppedBytes >= 3);
  // Printable noise glued to the front of a reply: resync inside the line.
  d.push(cat(ascii('#k~'), EXAMPLE));
  assert.equal(s.readings.length, 3);
});

test('malformed lines are counted as bad frames and dropped, never thrown', () => {
  const s = sink();
  const d = make(s);
  const bad = ['S S  abc kg', 'S S 12.3 furlong', 'S X', 'HELLO', 'S S 1.0'];
  assert.doesNotThrow(() => d.push(cat(...bad.map((l) => ascii(`${l}\r\n`)), EXAMPLE)));
  assert.equal(d.stats.badFrames, bad.length);
  assert.deepEqual(weights(s), [[72.45, '']]);
});

test('encoder → decoder round trip', () => {
  const s = sink();
  const d = make(s);
  const kgs = [0, 0.5, 72.45, -1.25, 199.99];
  d.push(cat(...kgs.map((kg, i) => encodeMtSics({ type: 'weight', kg, stable: i % 2 === 0 }))));
  assert.deepEqual(
    weights(s),
    kgs.map((kg, i) => [kg, i % 2 === 0 ? '' : 'unstable']),
  );
  assert.deepEqual(encodeMtSics({ type: 'weight', kg: 72.45, stable: true }), EXAMPLE);
});

test('commands are written through the injected write', () => {
  const s = sink();
  const d = make(s);
  d.requestStable();
  d.requestImmediate();
  d.zero();
  d.tare();
  d.reset();
  assert.deepEqual(
    s.writes.map((w) => String.fromCharCode(...w)),
    ['S\r\n', 'SI\r\n', 'Z\r\n', 'T\r\n', '@\r\n'],
  );
  assert.throws(() => new MtSicsDecoder({ onReading: () => {} }).requestStable(), /no write function/);
});

test('simulator: S waits for stability ("S I" before), SI reports dynamic weight', () => {
  const sim = new MtSicsSimulator({ targetKg: 68.3, stepOnAtMs: 1000, settleMs: 2000 });
  const s = sink();
  const d = make(s);
  sim.advance(1500); // person is stepping on
  sim.receive(encodeMtSicsCommand('S'));
  sim.receive(encodeMtSicsCommand('SI'));
  d.push(sim.advance(100));
  assert.deepEqual(
    s.statuses.map((x) => x.flags.join()),
    ['busy'],
  );
  assert.equal(s.readings.length, 1);
  assert.deepEqual(s.readings[0]?.flags, ['unstable']);
  sim.advance(3000);
  sim.receive(encodeMtSicsCommand('S'));
  d.push(sim.advance(100));
  assert.deepEqual(weights(s).at(-1), [68.3, '']);
});

test('internal buffer stays bounded under endless garbage and the decoder recovers', () => {
  const s = sink();
  const d = make(s);
  const max = maxBufferUnderGarbage(d);
  assert.ok(max <= 128, `buffer grew to ${max}`);
  // Printable garbage without a line end is bounded too.
  d.push(ascii('A'.repeat(10_000)));
  assert.ok(d.bufferedBytes <= 128);
  d.push(cat(ascii('\r\n'), EXAMPLE));
  assert.deepEqual(weights(s).at(-1), [72.45, '']);
});

test('pty end to end: S command over the pty, stable weight back', async (t) => {
  const sim = new MtSicsSimulator({ targetKg: 81.7, stepOnAtMs: 0, settleMs: 1 });
  const r = await ptyLoop(t, sim, (write, s) => new MtSicsDecoder({ ...s.opts, write }), {
    afterOpen: (d) => d.requestStable(),
    done: (s) => s.readings.length >= 1,
  });
  if (!r) return;
  assert.deepEqual(weights(r.s), [[81.7, '']]);
});
