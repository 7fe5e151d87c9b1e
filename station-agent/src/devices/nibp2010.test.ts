import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii } from './common.ts';
import {
  encodeNibpCuff,
  encodeNibpFrame,
  encodeNibpStatus,
  NIBP_ABORT,
  NIBP_MANUAL_MODE,
  NIBP_READ_STATUS,
  NIBP_START,
  Nibp2010Decoder,
} from './nibp2010.ts';
import { Nibp2010Simulator } from '@tram/testing/devices/simulators.ts';
import { cat, FIXED_NOW, forEverySplit, garbage, maxBufferUnderGarbage, ptyLoop, sink, type Sink } from '@tram/testing/devices/testing.ts';

const make = (s: Sink) => new Nibp2010Decoder(s.opts);
const text = (b: Uint8Array) => String.fromCharCode(...b);
/** Status payload laid out as in the notes; checksum 0x32 worked out by hand (sum of the payload characters). */
const STATUS_PAYLOAD = 'S0;A0;C00;M00;P120080093;R072;T0000;;';
const STATUS = ascii(`\x02${STATUS_PAYLOAD}32\x03`);
const bp = (s: Sink) =>
  s.readings.map((r) =>
    r.kind === 'blood_pressure' ? `${r.values.systolic}/${r.values.diastolic}/${r.values.mean}` : `${r.kind}=${r.value}`,
  );

test('command frames from the notes, checksums verified', () => {
  assert.equal(text(NIBP_START), '\x0201;;D7\x03');
  assert.equal(text(NIBP_MANUAL_MODE), '\x0203;;D9\x03');
  assert.equal(text(NIBP_READ_STATUS), '\x0218;;DF\x03');
  assert.equal(text(NIBP_ABORT), 'X');
});

test('status frame decodes to systolic/diastolic/mean and pulse (systolic at payload offsets 15–17)', () => {
  assert.equal(STATUS_PAYLOAD.slice(15, 18), '120');
  assert.equal(STATUS_PAYLOAD.slice(18, 21), '080');
  const s = sink();
  const d = make(s);
  d.push(STATUS);
  const detail = { S: 0, A: 0, C: 0, M: 0, T: 0 };
  assert.deepEqual(s.readings, [
    {
      kind: 'blood_pressure',
      values: { systolic: 120, diastolic: 80, mean: 93 },
      unit: 'mm[Hg]',
      at: FIXED_NOW,
      device: 'Medlab NIBP2010/2020 OEM board',
      flags: [],
      detail,
    },
    { kind: 'heart_rate', value: 72, unit: '/min', at: FIXED_NOW, device: 'Medlab NIBP2010/2020 OEM board', flags: [], detail },
  ]);
  assert.deepEqual(d.stats, { frames: 1, badFrames: 0, droppedBytes: 0 });
  assert.deepEqual(encodeNibpStatus({ systolic: 120, diastolic: 80, mean: 93, pulse: 72 }), STATUS);
});

test('cuff pressure stream, "999" end marker, then the status is requested automatically', () => {
  const s = sink();
  const d = make(s);
  d.push(ascii('000008016150149148999'));
  assert.deepEqual(
    s.statuses.map((x) => (x.flags[0] === 'measuring' ? x.detail?.['cuffPressure'] : x.flags[0])),
    [0, 8, 16, 150, 149, 148, 'measurement_complete'],
  );
  assert.deepEqual(s.writes, [NIBP_READ_STATUS]);
  const manual = sink();
  new Nibp2010Decoder({ ...manual.opts, autoRequestStatus: false }).push(ascii('999'));
  assert.equal(manual.writes.length, 0);
});

test('split at every byte boundary (cuff values + status frame)', () => {
  const bytes = cat(ascii('150149'), encodeNibpCuff(999), STATUS);
  forEverySplit(bytes, make, (s, d, how) => {
    assert.deepEqual(bp(s), ['120/80/93', 'heart_rate=72'], how);
    assert.equal(s.statuses.length, 3, how);
    assert.equal(d.stats.frames, 4, how);
    assert.equal(d.stats.badFrames, 0, how);
  });
});

test('noise between messages is dropped; a frame cut short by a new STX is counted bad', () => {
  const s = sink();
  const d = make(s);
  const noDigitsOrStx = [0x02, ...Array.from({ length: 10 }, (_, i) => 0x30 + i)];
  d.push(cat(garbage(40, 5, noDigitsOrStx), STATUS, garbage(13, 6, noDigitsOrStx), STATUS));
  assert.deepEqual(bp(s), ['120/80/93', 'heart_rate=72', '120/80/93', 'heart_rate=72']);
  assert.equal(d.stats.badFrames, 0);
  assert.doesNotThrow(() => d.push(cat(STATUS.subarray(0, 20), STATUS)));
  assert.equal(d.stats.badFrames, 1);
  assert.equal(s.readings.length, 6);
});

test('bad checksum, bad hex and unknown layouts are counted and dropped', () => {
  const s = sink();
  const d = make(s);
  const badCk = ascii(`\x02${STATUS_PAYLOAD}33\x03`);
  const badHex = ascii(`\x02${STATUS_PAYLOAD}G2\x03`);
  const noP = encodeNibpFrame('S0;A0;C00;M00;R072;T0000;;');
  assert.doesNotThrow(() => d.push(cat(badCk, badHex, noP, STATUS)));
  assert.equal(d.stats.badFrames, 3);
  assert.deepEqual(bp(s), ['120/80/93', 'heart_rate=72']);
});

test('encoder → decoder round trip; an empty result is a status, not a reading', () => {
  const s = sink();
  const d = make(s);
  const cases = [
    { systolic: 98, diastolic: 61, mean: 73, pulse: 55 },
    { systolic: 185, diastolic: 110, mean: 135, pulse: 102 },
  ];
  d.push(cat(...cases.map((c) => encodeNibpStatus(c)), encodeNibpStatus({ systolic: 0, diastolic: 0, mean: 0, pulse: 0 })));
  assert.deepEqual(bp(s), ['98/61/73', 'heart_rate=55', '185/110/135', 'heart_rate=102']);
  assert.deepEqual(
    s.statuses.map((x) => x.message),
    ['no result'],
  );
});

test('simulator measures only after a valid start command, then the decoder gets the result', () => {
  const sim = new Nibp2010Simulator({ systolic: 132, diastolic: 84, pulse: 77 });
  assert.equal(sim.advance(10_000).length, 0, 'board must be silent without a start command');
  sim.receive(ascii('\x0201;;D8\x03')); // corrupted checksum
  assert.equal(sim.measuring, false);
  assert.equal(sim.advance(1_000).length, 0);

  const s = sink();
  const d = new Nibp2010Decoder({ ...s.opts, write: (b) => sim.receive(b) });
  d.start();
  assert.equal(sim.starts, 1);
  let peak = 0;
  for (let ms = 0; ms < 60_000 && s.readings.length === 0; ms += 100) {
    d.push(sim.advance(100));
    for (const st of s.statuses) peak = Math.max(peak, st.detail?.['cuffPressure'] ?? 0);
  }
  assert.ok(peak >= 160, `cuff only reached ${peak}`);
  assert.deepEqual(bp(s), ['132/84/100', 'heart_rate=77']);
  assert.equal(d.stats.badFrames, 0);
});

test('abort deflates and reports no result', () => {
  const sim = new Nibp2010Simulator({ systolic: 120, diastolic: 80, pulse: 70 });
  const s = sink();
  const d = new Nibp2010Decoder({ ...s.opts, write: (b) => sim.receive(b) });
  d.start();
  d.push(sim.advance(2_000));
  d.abort();
  assert.equal(sim.measuring, false);
  d.push(sim.advance(500)); // "999" → decoder asks for the status
  d.push(sim.advance(100)); // status reply
  assert.equal(s.readings.length, 0);
  assert.ok(s.statuses.some((x) => x.flags.includes('measurement_complete')));
  assert.ok(s.statuses.some((x) => x.message === 'no result'));
});

test('buffer bounded under endless garbage, decoder recovers', () => {
  const s = sink();
  const d = make(s);
  assert.ok(maxBufferUnderGarbage(d) <= 128);
  d.push(cat(ascii('\x03'), STATUS));
  assert.deepEqual(bp(s).slice(-2), ['120/80/93', 'heart_rate=72']);
});

test('pty end to end: start command over the pty, cuff stream, auto status request, result', async (t) => {
  const sim = new Nibp2010Simulator({ systolic: 118, diastolic: 76, pulse: 64 });
  const r = await ptyLoop(t, sim, (write, s) => new Nibp2010Decoder({ ...s.opts, write }), {
    afterOpen: (d) => d.start(),
    done: (s) => s.readings.length >= 2,
    speed: 25,
    timeoutMs: 10_000,
  });
  if (!r) return;
  assert.deepEqual(bp(r.s), ['118/76/90', 'heart_rate=64']);
  assert.ok(r.s.statuses.filter((x) => x.flags.includes('measuring')).length > 20);
  assert.equal(r.d.stats.badFrames, 0);
});
