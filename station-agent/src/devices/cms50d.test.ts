import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cms50dLegacyDecoder, Cms50dV7Decoder, encodeCms50dLegacy, encodeCms50dV7, V7_START_LIVE, V7_STOP_LIVE } from './cms50d.ts';
import { hex } from './common.ts';
import { Cms50dLegacySimulator, Cms50dV7Simulator } from '@tram/testing/devices/simulators.ts';
import { cat, FIXED_NOW, forEverySplit, garbage, maxBufferUnderGarbage, ptyLoop, sink, type Sink } from '@tram/testing/devices/testing.ts';

const legacy = (s: Sink) => new Cms50dLegacyDecoder(s.opts);
const v7 = (s: Sink) => new Cms50dV7Decoder(s.opts);
const vals = (s: Sink) => s.readings.map((r) => `${r.kind}=${r.kind === 'blood_pressure' ? '' : r.value}`);
/** Legacy sync candidates (bit 7 set), kept out of the noise so it cannot fake a packet start. */
const SYNC_BYTES = Array.from({ length: 128 }, (_, i) => i + 128);

// ------------------------------------------------------------------ legacy ----

test('legacy: notes example 85 40 05 48 61 = pulse 72, SpO2 97', () => {
  const s = sink();
  const d = legacy(s);
  d.push(hex('85 40 05 48 61'));
  const common = {
    at: FIXED_NOW,
    device: 'Contec CMS50D+ (legacy protocol)',
    flags: [],
    detail: { pleth: 64, signalStrength: 5, bargraph: 5 },
  };
  assert.deepEqual(s.readings, [
    { kind: 'spo2', value: 97, unit: '%', ...common },
    { kind: 'heart_rate', value: 72, unit: '/min', ...common },
  ]);
  assert.deepEqual(d.stats, { frames: 1, badFrames: 0, droppedBytes: 0 });
});

test('legacy: pulse bit 7 lives in byte 2 (0x40); encoder matches the example', () => {
  assert.deepEqual(encodeCms50dLegacy({ spo2: 97, pulseRate: 72, pleth: 0x40, signalStrength: 5, bargraph: 5 }), hex('85 40 05 48 61'));
  const s = sink();
  legacy(s).push(encodeCms50dLegacy({ spo2: 95, pulseRate: 180 }));
  assert.deepEqual(vals(s), ['spo2=95', 'heart_rate=180']);
});

test('legacy: split at every byte boundary', () => {
  const bytes = cat(hex('85 40 05 48 61'), encodeCms50dLegacy({ spo2: 98, pulseRate: 130 }));
  forEverySplit(bytes, legacy, (s, d, how) => {
    assert.deepEqual(vals(s), ['spo2=97', 'heart_rate=72', 'spo2=98', 'heart_rate=130'], how);
    assert.equal(d.stats.badFrames, 0, how);
  });
});

test('legacy: noise is skipped; a cut-short packet is counted bad and the next one decodes', () => {
  const s = sink();
  const d = legacy(s);
  d.push(cat(garbage(20, 1, SYNC_BYTES), hex('85 40 05 48 61'), garbage(7, 2, SYNC_BYTES), hex('85 40 05 48 61')));
  assert.deepEqual(vals(s), ['spo2=97', 'heart_rate=72', 'spo2=97', 'heart_rate=72']);
  assert.equal(d.stats.droppedBytes, 27);
  assert.doesNotThrow(() => d.push(hex('85 40 05   85 40 05 48 61')));
  assert.equal(d.stats.badFrames, 1);
  assert.equal(d.stats.frames, 3);
});

test('legacy: finger out / probe error give statuses, not readings', () => {
  const s = sink();
  const d = legacy(s);
  d.push(
    cat(
      encodeCms50dLegacy({ spo2: 127, pulseRate: 255, fingerOut: true }),
      encodeCms50dLegacy({ spo2: 127, pulseRate: 255, probeError: true }),
    ),
  );
  assert.equal(s.readings.length, 0);
  assert.deepEqual(
    s.statuses.map((x) => x.flags),
    [['finger_out'], ['probe_error']],
  );
});

test('legacy: encoder → decoder round trip keeps values and flags', () => {
  const s = sink();
  const d = legacy(s);
  const cases = [
    { spo2: 99, pulseRate: 45, beep: true },
    { spo2: 88, pulseRate: 127, spo2Dropping: true },
    { spo2: 100, pulseRate: 128, searching: true },
    { spo2: 70, pulseRate: 254 },
  ];
  d.push(cat(...cases.map(encodeCms50dLegacy)));
  assert.deepEqual(
    vals(s),
    cases.flatMap((c) => [`spo2=${c.spo2}`, `heart_rate=${c.pulseRate}`]),
  );
  assert.deepEqual(
    s.readings.filter((r) => r.kind === 'spo2').map((r) => r.flags),
    [['pulse_beep'], ['spo2_dropping'], ['searching'], []],
  );
});

test('legacy: buffer bounded under endless garbage, decoder recovers', () => {
  const s = sink();
  const d = legacy(s);
  assert.ok(maxBufferUnderGarbage(d) <= 64);
  d.push(cat(hex('85 40 05 48 61'), hex('85 40 05 48 61')));
  assert.ok(vals(s).includes('spo2=97'));
});

test('legacy: pty end to end (simulator streams unprompted)', async (t) => {
  const sim = new Cms50dLegacySimulator({ spo2: 96, pulseRate: 66, fingerInAtMs: 200, searchMs: 300 });
  const r = await ptyLoop(t, sim, (_w, s) => legacy(s), { done: (s) => s.readings.length >= 20 });
  if (!r) return;
  assert.ok(
    r.s.statuses.some((x) => x.flags.includes('finger_out')),
    'expected finger-out before the finger goes in',
  );
  assert.deepEqual(new Set(vals(r.s)), new Set(['spo2=96', 'heart_rate=66']));
  assert.equal(r.d.stats.badFrames, 0);
});

// ---------------------------------------------------------------------- V7 ----

test('V7: keep-alive and stop commands are the documented bytes', () => {
  assert.deepEqual(V7_START_LIVE, hex('7D 81 A1 80 80 80 80 80 80'));
  assert.deepEqual(V7_STOP_LIVE, hex('7D 81 A2 80 80 80 80 80 80'));
});

test('V7: hand-built packet with a high bit decodes (PR 72, SpO2 97, PI raw 420)', () => {
  const s = sink();
  const d = v7(s);
  d.push(hex('01 A0 86 C0 80 C8 E1 A4 81'));
  assert.deepEqual(vals(s), ['spo2=97', 'heart_rate=72']);
  assert.deepEqual(s.readings[0]?.detail, { pleth: 64, signalStrength: 6, piRaw: 420 });
  assert.deepEqual(
    encodeCms50dV7({ spo2: 97, pulseRate: 72, pleth: 64, signalStrength: 6, piRaw: 420 }),
    hex('01 A0 86 C0 80 C8 E1 A4 81'),
  );
});

test('V7: split at every byte boundary', () => {
  const bytes = cat(encodeCms50dV7({ spo2: 97, pulseRate: 200 }), encodeCms50dV7({ spo2: 93, pulseRate: 61 }));
  forEverySplit(bytes, v7, (s, d, how) => {
    assert.deepEqual(vals(s), ['spo2=97', 'heart_rate=200', 'spo2=93', 'heart_rate=61'], how);
    assert.equal(d.stats.badFrames, 0, how);
  });
});

test('V7: noise and other packet types are skipped; a cut-short packet is counted bad', () => {
  const s = sink();
  const d = v7(s);
  const f = encodeCms50dV7({ spo2: 97, pulseRate: 72 });
  const noise = garbage(25, 3, [0x01]);
  d.push(cat(noise, f, hex('0C 80 81 82 83 84 85 86 87'), f));
  assert.deepEqual(vals(s), ['spo2=97', 'heart_rate=72', 'spo2=97', 'heart_rate=72']);
  assert.equal(d.stats.badFrames, 0);
  assert.doesNotThrow(() => d.push(cat(f.subarray(0, 5), f)));
  assert.equal(d.stats.badFrames, 1);
  assert.equal(d.stats.frames, 3);
});

test('V7: finger out and searching are statuses; invalid markers suppress values', () => {
  const s = sink();
  const d = v7(s);
  d.push(
    cat(encodeCms50dV7({ spo2: 127, pulseRate: 255, fingerOut: true }), encodeCms50dV7({ spo2: 127, pulseRate: 255, searching: true })),
  );
  assert.equal(s.readings.length, 0);
  assert.deepEqual(
    s.statuses.map((x) => x.flags),
    [['finger_out'], ['searching']],
  );
});

test('V7: encoder → decoder round trip over the full byte range of PR', () => {
  const s = sink();
  const d = v7(s);
  const prs = [30, 72, 127, 128, 200, 254];
  d.push(cat(...prs.map((p) => encodeCms50dV7({ spo2: 95, pulseRate: p, piRaw: p * 100 }))));
  assert.deepEqual(
    s.readings.filter((r) => r.kind === 'heart_rate').map((r) => r.kind === 'heart_rate' && r.value),
    prs,
  );
  assert.deepEqual(
    s.readings.filter((r) => r.kind === 'spo2').map((r) => r.detail?.['piRaw']),
    prs.map((p) => p * 100),
  );
});

test('V7: start() re-sends the keep-alive on a timer; stop() sends the stop command', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const s = sink();
  const d = new Cms50dV7Decoder({ ...s.opts, keepAliveMs: 10_000 });
  d.start();
  assert.equal(s.writes.length, 1);
  t.mock.timers.tick(9_999);
  assert.equal(s.writes.length, 1);
  t.mock.timers.tick(1);
  t.mock.timers.tick(10_000);
  assert.equal(s.writes.length, 3);
  for (const w of s.writes) assert.deepEqual(w, V7_START_LIVE);
  d.stop();
  assert.deepEqual(s.writes.at(-1), V7_STOP_LIVE);
  t.mock.timers.tick(60_000);
  assert.equal(s.writes.length, 4);
  assert.throws(() => new Cms50dV7Decoder({ ...s.opts, keepAliveMs: 30_000 }), RangeError);
});

test('V7 simulator: silent until asked, stops 30 s after the last request, keep-alive keeps it going', (t) => {
  const profile = { spo2: 97, pulseRate: 75, searchMs: 0 };
  const quiet = new Cms50dV7Simulator(profile);
  assert.equal(quiet.advance(2000).length, 0, 'no live data before the request');

  // One request only: data for 30 s, then nothing.
  const once = new Cms50dV7Simulator(profile);
  once.receive(V7_START_LIVE);
  assert.ok(once.advance(29_000).length > 0);
  once.advance(2_000);
  assert.equal(once.advance(5_000).length, 0, 'still streaming 31 s after a single request');

  // Driven by the decoder's keep-alive: still streaming after 90 s.
  t.mock.timers.enable({ apis: ['setInterval'] });
  const sim = new Cms50dV7Simulator(profile);
  const s = sink();
  const d = new Cms50dV7Decoder({ ...s.opts, write: (b) => sim.receive(b), keepAliveMs: 10_000 });
  d.start();
  for (let ms = 0; ms < 90_000; ms += 100) {
    t.mock.timers.tick(100);
    d.push(sim.advance(100));
  }
  const before = s.readings.length;
  for (let ms = 0; ms < 1000; ms += 100) {
    t.mock.timers.tick(100);
    d.push(sim.advance(100));
  }
  assert.ok(s.readings.length - before >= 100, `only ${s.readings.length - before} readings in the 91st second`);
  d.stop();
  sim.advance(100);
  assert.equal(sim.advance(1000).length, 0, 'stop command ignored');
});

test('V7: buffer bounded under endless garbage, decoder recovers', () => {
  const s = sink();
  const d = v7(s);
  assert.ok(maxBufferUnderGarbage(d) <= 64);
  const f = encodeCms50dV7({ spo2: 97, pulseRate: 72 });
  d.push(cat(f, f));
  assert.ok(vals(s).includes('spo2=97'));
});

test('V7: pty end to end, keep-alive written over the pty starts the stream', async (t) => {
  const sim = new Cms50dV7Simulator({ spo2: 98, pulseRate: 58, searchMs: 200 });
  const r = await ptyLoop(t, sim, (write, s) => new Cms50dV7Decoder({ ...s.opts, write }), {
    afterOpen: (d) => d.start(),
    beforeClose: (d) => d.stop(),
    done: (s) => s.readings.length >= 20,
  });
  if (!r) return;
  assert.equal(r.d.keepingAlive, false);
  assert.deepEqual(new Set(vals(r.s)), new Set(['spo2=98', 'heart_rate=58']));
  assert.equal(r.d.stats.badFrames, 0);
});
