// Every driver on real serialport through a socat pty, fed by its simulator or by raw bytes:
// normal readings, split frames, garbage, bad frames, and unplug/replug with readings resuming.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { encodeA02yyuw } from './a02yyuw.ts';
import { encodeAndStandard } from './and-standard.ts';
import { encodeCms50dLegacy, encodeCms50dV7, V7_START_LIVE } from './cms50d.ts';
import type { BoothKind } from '@tram/contracts';
import { ascii } from './common.ts';
import { parseDeviceConfigs } from './device-config.ts';
import { DeviceManager } from './device-manager.ts';
import type { Protocol } from './driver.ts';
import { encodeGyMcu90614, GY_CONTINUOUS } from './gy-mcu90614.ts';
import { encodeMtSics, encodeMtSicsCommand } from './mt-sics.ts';
import { encodeNibpStatus, NIBP_START } from './nibp2010.ts';
import { pause, PtyRig, until } from '@tram/testing/devices/pty-rig.ts';
import type { DeviceStatusView } from './serial-device.ts';
import {
  A02yyuwSimulator,
  AndScaleSimulator,
  Cms50dLegacySimulator,
  Cms50dV7Simulator,
  type DeviceSimulator,
  GyMcu90614Simulator,
  MtSicsSimulator,
  Nibp2010Simulator,
} from '@tram/testing/devices/simulators.ts';
import type { StampedReading } from './stamped-reading.ts';

interface Case {
  protocol: Protocol;
  kind: BoothKind;
  options?: Record<string, unknown>;
  sim: () => DeviceSimulator;
  speed: number;
  /** The device only measures when asked. */
  needsMeasure?: boolean;
  /** The reading the simulator and `good` produce. */
  expect: (r: StampedReading) => boolean;
  good: Uint8Array;
  /** Recognised as a frame but invalid (checksum, syntax, cut short): must be counted bad and dropped. */
  bad: Uint8Array;
  /** Line noise that holds no frame start for this protocol. */
  noise: Uint8Array;
  /** What the host must have written once connected (mode/start commands), if anything. */
  onOpenWrites?: Uint8Array;
}

const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);
const flip = (b: Uint8Array, i: number, to: number) => {
  const c = Uint8Array.from(b);
  c[i < 0 ? c.length + i : i] = to;
  return c;
};
const isWeight = (r: StampedReading) => r.kind === 'weight' && r.value === 72.45 && !r.flags.includes('unstable');
const isSpo2 = (r: StampedReading) => r.kind === 'spo2' && r.value === 97;
const nibpStatus = encodeNibpStatus({ systolic: 120, diastolic: 80, mean: 93, pulse: 72 });

const cases: Case[] = [
  {
    protocol: 'mt-sics',
    kind: 'weight',
    speed: 5,
    sim: () => new MtSicsSimulator({ targetKg: 72.45, stepOnAtMs: 0, settleMs: 300 }),
    expect: isWeight,
    good: encodeMtSics({ type: 'weight', kg: 72.45, stable: true }),
    bad: ascii('S S      72.4x kg\r\n'),
    noise: range(0x80, 0x9f),
    onOpenWrites: encodeMtSicsCommand('SIR'),
  },
  {
    protocol: 'and-standard',
    kind: 'weight',
    speed: 5,
    sim: () => new AndScaleSimulator({ targetKg: 72.45, stepOnAtMs: 0, settleMs: 300 }),
    expect: isWeight,
    good: encodeAndStandard({ header: 'ST', kg: 72.45 }),
    bad: ascii('ST,+0007x.45 kg\r\n'),
    noise: range(0x80, 0x9f),
  },
  {
    protocol: 'cms50d-legacy',
    kind: 'spo2',
    speed: 2,
    sim: () => new Cms50dLegacySimulator({ spo2: 97, pulseRate: 72, searchMs: 300 }),
    expect: isSpo2,
    good: encodeCms50dLegacy({ spo2: 97, pulseRate: 72, signalStrength: 6 }),
    bad: encodeCms50dLegacy({ spo2: 97, pulseRate: 72 }).subarray(0, 3), // cut short by the next sync byte
    noise: range(0x00, 0x3f),
  },
  {
    protocol: 'cms50d-v7',
    kind: 'spo2',
    speed: 2,
    sim: () => new Cms50dV7Simulator({ spo2: 97, pulseRate: 72, searchMs: 300 }),
    expect: isSpo2,
    good: encodeCms50dV7({ spo2: 97, pulseRate: 72, signalStrength: 7 }),
    bad: encodeCms50dV7({ spo2: 97, pulseRate: 72 }).subarray(0, 5),
    noise: range(0x80, 0x9f),
    onOpenWrites: V7_START_LIVE,
  },
  {
    protocol: 'nibp2010',
    kind: 'blood_pressure',
    speed: 40,
    needsMeasure: true,
    sim: () => new Nibp2010Simulator({ systolic: 120, diastolic: 80, pulse: 72 }),
    expect: (r) => r.kind === 'blood_pressure' && r.values?.systolic === 120 && r.values.diastolic === 80 && r.unit === 'mm[Hg]',
    good: nibpStatus,
    bad: flip(nibpStatus, -2, nibpStatus[nibpStatus.length - 2] === 0x30 ? 0x31 : 0x30), // checksum digit wrong
    noise: range(0x80, 0x9f),
  },
  {
    protocol: 'a02yyuw',
    kind: 'height',
    speed: 2,
    options: { mountHeightCm: 230 },
    sim: () => new A02yyuwSimulator({ mountHeightCm: 230, heightCm: 170, jitterMm: 0 }),
    expect: (r) => r.kind === 'height' && r.value === 170 && r.unit === 'cm',
    good: encodeA02yyuw(600),
    bad: Uint8Array.of(0xff, 0x02, 0x58, 0x00),
    noise: range(0x00, 0x3f),
  },
  {
    protocol: 'gy-mcu90614',
    kind: 'temperature',
    speed: 2,
    sim: () => new GyMcu90614Simulator({ objectCel: 36.5, ambientCel: 25 }),
    expect: (r) => r.kind === 'temperature' && r.value === 36.5 && r.unit === 'Cel',
    good: encodeGyMcu90614({ objectCel: 36.5, ambientCel: 25 }),
    bad: flip(encodeGyMcu90614({ objectCel: 36.5, ambientCel: 25 }), -1, 0x00),
    noise: range(0x00, 0x3f),
    onOpenWrites: GY_CONTINUOUS,
  },
];

/** A manager with one device on the rig's host end, recording what it emits; stopped when the test ends. */
function manage(t: TestContext, rig: PtyRig, c: Case) {
  const [cfg] = parseDeviceConfigs([{ kind: c.kind, protocol: c.protocol, path: rig.hostPath, options: c.options ?? {} }]);
  const m = new DeviceManager([cfg!], { retryMs: 100 });
  const readings: StampedReading[] = [];
  const statuses: DeviceStatusView[] = [];
  m.onReading((r) => readings.push(r));
  m.onStatus((s) => statuses.push(s));
  t.after(() => m.stop());
  m.start();
  const state = () => m.statuses()[0]!.state;
  return { m, readings, statuses, state, matching: () => readings.filter(c.expect) };
}

const contains = (hay: number[], needle: Uint8Array) => {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
};

for (const c of cases) {
  test(`${c.protocol}: simulator readings arrive through a real serial port`, async (t) => {
    const rig = await PtyRig.create(t);
    if (!rig) return;
    rig.attach(c.sim(), c.speed);
    const d = manage(t, rig, c);
    await until(() => d.state() === 'connected', 3000, 'connected');
    if (c.onOpenWrites) await until(() => contains(rig.hostWrites, c.onOpenWrites!), 2000, 'the mode/start command');
    if (c.needsMeasure) {
      await pause(200);
      assert.equal(d.matching().length, 0, 'a command-driven device says nothing before it is asked');
      assert.deepEqual(d.m.measure(c.kind), [{ device: `${c.protocol}:${rig.hostPath}`, outcome: 'sent' }]);
    }
    await until(() => d.matching().length > 0, 8000, `a ${c.kind} reading`);
    const r = d.matching()[0]!;
    assert.match(r.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'UUID v4');
    assert.deepEqual(r.device, { id: `${c.protocol}:${rig.hostPath}`, model: r.device.model, protocol: c.protocol });
    assert.ok(Number.isFinite(Date.parse(r.at)));
    assert.equal(new Set(d.readings.map((x) => x.id)).size, d.readings.length, 'ids are unique');
    assert.equal(d.m.statuses()[0]!.stats.badFrames, 0, 'the simulator writes only valid frames');
  });

  test(`${c.protocol}: split frames, garbage and a bad frame through the pty`, async (t) => {
    const rig = await PtyRig.create(t);
    if (!rig) return;
    const d = manage(t, rig, c);
    await until(() => d.state() === 'connected', 3000, 'connected');
    await pause(50);
    const half = Math.ceil(c.good.length / 2);
    rig.write(c.noise);
    rig.write(c.good.subarray(0, half));
    await pause(60); // separate reads on the host side
    rig.write(c.good.subarray(half));
    await until(() => d.matching().length === 1, 3000, 'the split frame');
    rig.write(c.bad);
    rig.write(c.good);
    await until(() => d.matching().length === 2, 3000, 'the frame after the bad one');
    await pause(100);
    const { stats } = d.m.statuses()[0]!;
    assert.equal(d.matching().length, 2, 'no reading from the bad frame or the noise');
    assert.equal(stats.badFrames, 1, `bad frame counted once (${JSON.stringify(stats)})`);
    assert.ok(stats.droppedBytes >= c.noise.length, `noise dropped (${JSON.stringify(stats)})`);
  });

  test(`${c.protocol}: unplug and replug at the same path; readings resume`, async (t) => {
    const rig = await PtyRig.create(t);
    if (!rig) return;
    rig.attach(c.sim(), c.speed);
    const d = manage(t, rig, c);
    await until(() => d.state() === 'connected', 3000, 'connected');
    if (c.needsMeasure) d.m.measure(c.kind);
    await until(() => d.matching().length > 0, 8000, 'a reading before the unplug');

    await rig.unplug();
    await until(() => d.state() === 'disconnected', 3000, 'disconnected after the unplug');
    assert.ok(
      d.statuses.some((s) => s.state === 'disconnected'),
      'status change reported',
    );
    assert.equal(d.m.measure(c.kind)[0]!.outcome, 'disconnected');
    await pause(300); // several reconnect attempts against a missing path
    assert.equal(d.state(), 'disconnected');

    const before = d.readings.length;
    const writesBefore = rig.hostWrites.length;
    await rig.plug();
    await until(() => d.state() === 'connected', 3000, 'reconnected after the replug');
    if (c.onOpenWrites)
      await until(() => contains(rig.hostWrites.slice(writesBefore), c.onOpenWrites!), 2000, 'the mode/start command again');
    if (c.needsMeasure) {
      await pause(100);
      assert.equal(d.m.measure(c.kind)[0]!.outcome, 'sent');
    }
    await until(() => d.readings.slice(before).some(c.expect), 8000, 'readings after the replug');
    const states = d.statuses.map((s) => s.state).filter((s, i, a) => s !== a[i - 1]);
    assert.deepEqual(states.slice(-3), ['connected', 'disconnected', 'connected']);
  });
}

test('NIBP2010: the board writes nothing until the start frame, then measures once', async (t) => {
  const rig = await PtyRig.create(t);
  if (!rig) return;
  const sim = new Nibp2010Simulator({ systolic: 135, diastolic: 85, pulse: 66 });
  rig.attach(sim, 40);
  const c = cases.find((x) => x.protocol === 'nibp2010')!;
  const d = manage(t, rig, { ...c, expect: (r) => r.kind === 'blood_pressure' });
  await until(() => d.state() === 'connected', 3000, 'connected');
  d.m.measure('blood_pressure');
  await until(() => d.matching().length === 1, 8000, 'the measurement');
  assert.ok(contains(rig.hostWrites, NIBP_START));
  assert.equal(sim.starts, 1);
  const bp = d.matching()[0]!;
  assert.deepEqual(bp.values, { systolic: 135, diastolic: 85, mean: 102 });
  assert.ok(d.readings.some((r) => r.kind === 'heart_rate' && r.value === 66));
  assert.ok(
    d.statuses.some((s) => s.condition?.flags.includes('measuring')),
    'cuff pressure reported as a condition',
  );
});
