import assert from 'node:assert/strict';
import { test } from 'node:test';
import { A02yyuwDecoder } from '@tram/station-agent/devices/a02yyuw.ts';
import { AndStandardDecoder } from '@tram/station-agent/devices/and-standard.ts';
import { Cms50dLegacyDecoder, Cms50dV7Decoder, V7_START_LIVE } from '@tram/station-agent/devices/cms50d.ts';
import { GY_CONTINUOUS, GyMcu90614Decoder } from '@tram/station-agent/devices/gy-mcu90614.ts';
import { encodeMtSicsCommand, MtSicsDecoder } from '@tram/station-agent/devices/mt-sics.ts';
import { NIBP_START, Nibp2010Decoder } from '@tram/station-agent/devices/nibp2010.ts';
import {
  A02yyuwSimulator,
  AndScaleSimulator,
  Cms50dLegacySimulator,
  Cms50dV7Simulator,
  type DeviceSimulator,
  GyMcu90614Simulator,
  MtSicsSimulator,
  Nibp2010Simulator,
  prng,
  runSimulator,
} from './simulators.ts';
import { sink } from './testing.ts';

test('prng is deterministic per seed', () => {
  const a = prng(42);
  const b = prng(42);
  const c = prng(43);
  const xs = [a(), a(), a()];
  assert.deepEqual(xs, [b(), b(), b()]);
  assert.notDeepEqual(xs, [c(), c(), c()]);
  for (const x of xs) assert.ok(x >= 0 && x < 1);
});

/** Two minutes of virtual time per device: everything the simulator writes must decode cleanly. */
const cases: [
  string,
  () => DeviceSimulator,
  (s: ReturnType<typeof sink>) => { push(b: Uint8Array): void; stats: { frames: number; badFrames: number; droppedBytes: number } },
  Uint8Array | undefined,
  number,
][] = [
  ['MT-SICS (SIR)', () => new MtSicsSimulator({ targetKg: 70 }), (s) => new MtSicsDecoder(s.opts), encodeMtSicsCommand('SIR'), 1000],
  ['A&D stream', () => new AndScaleSimulator({ targetKg: 70 }), (s) => new AndStandardDecoder(s.opts), undefined, 1000],
  ['CMS50D+ legacy', () => new Cms50dLegacySimulator({ spo2: 97, pulseRate: 70 }), (s) => new Cms50dLegacyDecoder(s.opts), undefined, 7000],
  ['CMS50D+ V7', () => new Cms50dV7Simulator({ spo2: 97, pulseRate: 70 }), (s) => new Cms50dV7Decoder(s.opts), V7_START_LIVE, 1700],
  [
    'NIBP2010',
    () => new Nibp2010Simulator({ systolic: 120, diastolic: 80, pulse: 70 }),
    (s) => new Nibp2010Decoder(s.opts),
    NIBP_START,
    80,
  ],
  [
    'A02YYUW',
    () => new A02yyuwSimulator({ mountHeightCm: 250, heightCm: 170 }),
    (s) => new A02yyuwDecoder({ ...s.opts, mountHeightCm: 250 }),
    undefined,
    1000,
  ],
  [
    'GY-MCU90614',
    () => new GyMcu90614Simulator({ objectCel: 36.6, ambientCel: 22 }),
    (s) => new GyMcu90614Decoder(s.opts),
    GY_CONTINUOUS,
    1000,
  ],
];

for (const [name, makeSim, makeDec, kick, minFrames] of cases) {
  test(`${name}: simulator output decodes with no bad frames`, () => {
    const sim = makeSim();
    const s = sink();
    const d = makeDec(s);
    if (kick) sim.receive(kick);
    for (let ms = 0; ms < 120_000; ms += 37) d.push(sim.advance(37));
    assert.equal(d.stats.badFrames, 0);
    assert.equal(d.stats.droppedBytes, 0);
    assert.ok(d.stats.frames >= minFrames, `${d.stats.frames} frames`);
  });
}

test('runSimulator drives virtual time from real timers, scaled by speed', async () => {
  const sim = new A02yyuwSimulator({ mountHeightCm: 250, heightCm: 170 });
  let bytes = 0;
  const run = runSimulator(sim, (b) => (bytes += b.length), { tickMs: 10, speed: 10 });
  await new Promise((r) => setTimeout(r, 300));
  run.stop();
  const frames = bytes / 4;
  // ~300 ms × 10 = ~3 s virtual at 10 frames/s ≈ 30 frames; allow for timer jitter.
  assert.ok(frames >= 15 && frames <= 45, `${frames} frames`);
  const after = bytes;
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(bytes, after, 'still running after stop()');
});
