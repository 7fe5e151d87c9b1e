import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hex } from './common.ts';
import { encodeGyMcu90614, GY_CONTINUOUS, GY_QUERY, GyMcu90614Decoder } from './gy-mcu90614.ts';
import { GyMcu90614Simulator } from '@tram/testing/devices/simulators.ts';
import { cat, FIXED_NOW, forEverySplit, garbage, maxBufferUnderGarbage, ptyLoop, sink, type Sink } from '@tram/testing/devices/testing.ts';

const make = (s: Sink) => new GyMcu90614Decoder(s.opts);
const temps = (s: Sink) => s.readings.map((r) => (r.kind === 'temperature' ? r.value : NaN));
const EXAMPLE = hex('5A5A45040E4209C41A');

test('notes example 5A5A45040E4209C41A = object 36.50 °C (ambient 25.00 °C)', () => {
  const s = sink();
  const d = make(s);
  d.push(EXAMPLE);
  assert.deepEqual(s.readings, [
    {
      kind: 'temperature',
      value: 36.5,
      unit: 'Cel',
      at: FIXED_NOW,
      device: 'GY-MCU90614 IR thermometer module',
      flags: [],
      detail: { ambientCel: 25 },
    },
  ]);
  assert.deepEqual(d.stats, { frames: 1, badFrames: 0, droppedBytes: 0 });
});

test('encoder reproduces the example frame byte for byte', () => {
  assert.deepEqual(encodeGyMcu90614({ objectCel: 36.5, ambientCel: 25 }), EXAMPLE);
});

test('frames split at every byte boundary decode identically', () => {
  const bytes = cat(EXAMPLE, encodeGyMcu90614({ objectCel: 37.12, ambientCel: 26.3 }));
  forEverySplit(bytes, make, (s, d, how) => {
    assert.deepEqual(temps(s), [36.5, 37.12], how);
    assert.equal(d.stats.badFrames, 0, how);
  });
});

test('noise before and between frames is skipped; a tripled header byte still resyncs', () => {
  const s = sink();
  const d = make(s);
  d.push(cat(garbage(50, 4, [0x5a]), EXAMPLE, garbage(9, 5, [0x5a]), EXAMPLE));
  assert.deepEqual(temps(s), [36.5, 36.5]);
  assert.equal(d.stats.droppedBytes, 59);
  d.push(cat(hex('5A'), EXAMPLE));
  assert.deepEqual(temps(s), [36.5, 36.5, 36.5]);
});

test('bad checksum and wrong type byte are counted and dropped', () => {
  const s = sink();
  const d = make(s);
  const badSum = Uint8Array.from(EXAMPLE);
  badSum[8] = 0x1b;
  const badType = encodeGyMcu90614({ objectCel: 36.5, ambientCel: 25 });
  badType[2] = 0x15;
  badType[8] = (badType[8]! - 0x30) & 0xff; // keep the sum right so only the type is wrong
  assert.doesNotThrow(() => d.push(cat(badSum, badType, EXAMPLE)));
  assert.deepEqual(temps(s), [36.5]);
  assert.equal(d.stats.badFrames, 2);
  assert.equal(d.stats.frames, 1);
});

test('encoder → decoder round trip, including a sub-zero ambient', () => {
  const s = sink();
  const d = new GyMcu90614Decoder({ ...s.opts, minBodyCel: -40, maxBodyCel: 120 });
  const cases = [
    { objectCel: 36.5, ambientCel: 25 },
    { objectCel: 35.01, ambientCel: -5.25 },
    { objectCel: 41.99, ambientCel: 40.1 },
    { objectCel: -1.5, ambientCel: 0 },
  ];
  d.push(cat(...cases.map(encodeGyMcu90614)));
  assert.deepEqual(
    s.readings.map((r) => ({ objectCel: r.kind === 'temperature' ? r.value : NaN, ambientCel: r.detail?.['ambientCel'] })),
    cases,
  );
});

test('no warm object in front of the sensor is a status, not a temperature', () => {
  const s = sink();
  const d = make(s);
  d.push(cat(encodeGyMcu90614({ objectCel: 24, ambientCel: 24 }), encodeGyMcu90614({ objectCel: 80, ambientCel: 24 })));
  assert.equal(s.readings.length, 0);
  assert.deepEqual(
    s.statuses.map((x) => x.flags),
    [['no_subject'], ['out_of_range']],
  );
});

test('commands go through the injected write; the module is silent until asked', () => {
  const s = sink();
  const d = make(s);
  d.startContinuous();
  d.query();
  assert.deepEqual(s.writes, [GY_CONTINUOUS, GY_QUERY]);
  assert.deepEqual([...GY_CONTINUOUS], [0xa5, 0x45, 0xea]);
  assert.deepEqual([...GY_QUERY], [0xa5, 0x15, 0xba]);

  const sim = new GyMcu90614Simulator({ objectCel: 36.8, ambientCel: 24 });
  assert.equal(sim.advance(1000).length, 0);
  sim.receive(GY_QUERY);
  assert.deepEqual(sim.advance(10), encodeGyMcu90614({ objectCel: 36.8, ambientCel: 24 }));
  sim.receive(GY_CONTINUOUS);
  assert.equal(sim.advance(1000).length, 10 * 9);
});

test('internal buffer stays bounded under endless garbage and the decoder recovers', () => {
  const s = sink();
  const d = make(s);
  const max = maxBufferUnderGarbage(d);
  assert.ok(max <= 64, `buffer grew to ${max}`);
  d.push(cat(EXAMPLE, EXAMPLE));
  assert.ok(temps(s).includes(36.5), 'decoder wedged after garbage');
});

test('pty end to end: continuous-mode command over the pty, frames back', async (t) => {
  const sim = new GyMcu90614Simulator({ objectCel: 36.9, ambientCel: 23.5 });
  const r = await ptyLoop(t, sim, (write, s) => new GyMcu90614Decoder({ ...s.opts, write }), {
    afterOpen: (d) => d.startContinuous(),
    done: (s) => s.readings.length >= 3,
  });
  if (!r) return;
  assert.deepEqual(new Set(temps(r.s)), new Set([36.9]));
  assert.equal(r.d.stats.badFrames, 0);
});
