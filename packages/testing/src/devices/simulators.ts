/**
 * Device simulators: each produces the byte stream the real device would
 * write, using the frame encoders from the driver files, and reacts to the
 * host's commands the way the device does (the BP board only measures after
 * the start command, the V7 oximeter falls silent 30 s after the last
 * keep-alive, the IR module only talks after a mode command…).
 *
 * Simulators run on virtual time so tests are deterministic: `receive()`
 * takes what the host wrote, `advance(ms)` returns what the device wrote in
 * the next `ms` milliseconds. `runSimulator()` drives one on real timers,
 * e.g. into a pty for end-to-end tests or a demo kiosk.
 */
import { encodeA02yyuw } from '@tram/station-agent/devices/a02yyuw.ts';
import { encodeAndStandard } from '@tram/station-agent/devices/and-standard.ts';
import {
  decodeV7Data,
  encodeCms50dLegacy,
  encodeCms50dV7,
  LEGACY_INVALID_PULSE,
  LEGACY_INVALID_SPO2,
  V7_COMMAND_TYPE,
} from '@tram/station-agent/devices/cms50d.ts';
import { encodeGyMcu90614 } from '@tram/station-agent/devices/gy-mcu90614.ts';
import { encodeMtSics } from '@tram/station-agent/devices/mt-sics.ts';
import { CUFF_END, encodeNibpCuff, encodeNibpStatus, type NibpStatus } from '@tram/station-agent/devices/nibp2010.ts';
import { ascii, sum8 } from '@tram/station-agent/devices/common.ts';

export interface DeviceSimulator {
  readonly device: string;
  /** Bytes the host wrote to the device. */
  receive(bytes: Uint8Array): void;
  /** Advance virtual time by `ms`; returns the bytes the device wrote meanwhile. */
  advance(ms: number): Uint8Array;
}

export const concatBytes = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** Small deterministic PRNG (mulberry32) so simulated noise is repeatable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Emits something every `periodMs` of virtual time. */
class Ticker {
  private acc = 0;
  constructor(private readonly periodMs: number) {}
  /** Number of ticks that fall in the next `ms`. */
  step(ms: number): number {
    this.acc += ms;
    const n = Math.floor(this.acc / this.periodMs);
    this.acc -= n * this.periodMs;
    return n;
  }
  reset(): void {
    this.acc = 0;
  }
}

/** Collects CR LF terminated commands from host bytes. */
class LineCollector {
  private buf = '';
  push(bytes: Uint8Array): string[] {
    this.buf += String.fromCharCode(...bytes);
    const lines = this.buf.split('\n');
    this.buf = (lines.pop() ?? '').slice(-64);
    return lines.map((l) => l.replace(/\r$/, '').trim()).filter((l) => l.length > 0);
  }
}

// ------------------------------------------------------------------ scales ----

export interface ScaleProfile {
  /** Person's weight once settled. */
  targetKg: number;
  /** Virtual time at which the person steps on (ms). Default 1000. */
  stepOnAtMs?: number;
  /** How long the reading swings before it is stable (ms). Default 2000. */
  settleMs?: number;
  /** Rated capacity; above it the scale reports overload. Default 200 kg. */
  capacityKg?: number;
}

/** Weight on the platform at time t: 0, then a damped swing, then the target. */
function scaleState(p: ScaleProfile, t: number): { kg: number; stable: boolean; overload: boolean } {
  const on = p.stepOnAtMs ?? 1000;
  const settle = p.settleMs ?? 2000;
  const overload = p.targetKg > (p.capacityKg ?? 200);
  if (t < on) return { kg: 0, stable: true, overload: false };
  if (t < on + settle) {
    const x = (t - on) / settle;
    const swing = Math.sin(x * Math.PI * 6) * (1 - x) * 0.08 * p.targetKg;
    return { kg: p.targetKg * Math.min(1, x * 3) + swing, stable: false, overload };
  }
  return { kg: p.targetKg, stable: true, overload };
}

export class MtSicsSimulator implements DeviceSimulator {
  readonly device = 'Mettler Toledo MT-SICS scale (simulated)';
  private t = 0;
  private zeroKg = 0;
  private tareKg = 0;
  private continuous = false;
  private readonly tick = new Ticker(100);
  private readonly lines = new LineCollector();
  private out: Uint8Array[] = [];

  constructor(
    private readonly profile: ScaleProfile,
    private readonly serial = '0123456789',
  ) {}

  private net(): { kg: number; stable: boolean; overload: boolean } {
    const s = scaleState(this.profile, this.t);
    return { ...s, kg: Math.round((s.kg - this.zeroKg - this.tareKg) * 100) / 100 };
  }

  private weightReply(cmd: 'S' | 'SI'): Uint8Array {
    const s = this.net();
    if (s.overload) return encodeMtSics({ type: 'overload', command: 'S' });
    // S only answers with a stable value; when stability is not reached it gives up with "S I".
    if (cmd === 'S' && !s.stable) return encodeMtSics({ type: 'busy', command: 'S' });
    return encodeMtSics({ type: 'weight', kg: s.kg, stable: s.stable, command: 'S' });
  }

  receive(bytes: Uint8Array): void {
    for (const cmd of this.lines.push(bytes)) {
      switch (cmd) {
        case 'S':
        case 'SI':
          this.out.push(this.weightReply(cmd));
          break;
        case 'SIR':
          this.continuous = true;
          this.tick.reset();
          break;
        case 'Z': {
          const s = scaleState(this.profile, this.t);
          if (!s.stable) {
            this.out.push(ascii('Z I\r\n')); // zeroing needs a stable platform
            break;
          }
          this.zeroKg = s.kg;
          this.tareKg = 0;
          this.out.push(encodeMtSics({ type: 'zeroed' }));
          break;
        }
        case 'T': {
          const s = scaleState(this.profile, this.t);
          this.tareKg = s.kg - this.zeroKg;
          this.out.push(encodeMtSics({ type: 'tared', kg: Math.round(this.tareKg * 100) / 100 }));
          break;
        }
        case '@':
          this.continuous = false;
          this.zeroKg = this.tareKg = 0;
          this.out.push(encodeMtSics({ type: 'reset', serial: this.serial }));
          break;
        default:
          this.out.push(encodeMtSics({ type: 'error', code: 'ES' }));
      }
    }
  }

  advance(ms: number): Uint8Array {
    const parts = this.out;
    this.out = [];
    const n = this.tick.step(ms);
    for (let i = 0; i < n; i++) {
      this.t += ms / n;
      if (this.continuous) parts.push(this.weightReply('SI'));
    }
    if (n === 0) this.t += ms;
    return concatBytes(parts);
  }
}

export class AndScaleSimulator implements DeviceSimulator {
  readonly device = 'A&D scale (simulated)';
  private t = 0;
  private zeroKg = 0;
  private stream: boolean;
  private pendingStable = false;
  private readonly tick: Ticker;
  private readonly lines = new LineCollector();
  private out: Uint8Array[] = [];

  /** `stream` mirrors the scale's "stream mode" data output setting (continuous lines). */
  constructor(
    private readonly profile: ScaleProfile,
    opts: { stream?: boolean; intervalMs?: number } = {},
  ) {
    this.stream = opts.stream ?? true;
    this.tick = new Ticker(opts.intervalMs ?? 100);
  }

  private line(): Uint8Array {
    const s = scaleState(this.profile, this.t);
    if (s.overload) return encodeAndStandard({ header: 'OL' });
    const kg = Math.round((s.kg - this.zeroKg) * 100) / 100;
    return encodeAndStandard({ header: s.stable ? 'ST' : 'US', kg });
  }

  receive(bytes: Uint8Array): void {
    for (const cmd of this.lines.push(bytes)) {
      if (cmd === 'Q') this.out.push(this.line());
      else if (cmd === 'S') this.pendingStable = true;
      else if (cmd === 'SIR') this.stream = true;
      else if (cmd === 'C') {
        this.stream = false;
        this.pendingStable = false;
      } else if (cmd === 'R' || cmd === 'T') this.zeroKg = scaleState(this.profile, this.t).kg;
    }
  }

  advance(ms: number): Uint8Array {
    const parts = this.out;
    this.out = [];
    const n = this.tick.step(ms);
    for (let i = 0; i < n; i++) {
      this.t += ms / n;
      if (this.stream) parts.push(this.line());
      else if (this.pendingStable && scaleState(this.profile, this.t).stable) {
        this.pendingStable = false;
        parts.push(this.line());
      }
    }
    if (n === 0) this.t += ms;
    return concatBytes(parts);
  }
}

// --------------------------------------------------------------- oximeter ----

export interface OximeterProfile {
  spo2: number;
  pulseRate: number;
  /** Finger goes in at this virtual time (ms); before that the device reports finger out. Default 0. */
  fingerInAtMs?: number;
  /** After the finger goes in the device searches this long before values are valid. Default 1500. */
  searchMs?: number;
}

/** 60 Hz samples: finger out, then searching, then values with a synthetic pleth wave. */
function oximeterSample(p: OximeterProfile, t: number) {
  const fingerIn = p.fingerInAtMs ?? 0;
  const search = p.searchMs ?? 1500;
  const beatMs = 60000 / p.pulseRate;
  const phase = (((t % beatMs) + beatMs) % beatMs) / beatMs;
  const pleth = Math.round(60 + 50 * Math.exp(-((phase - 0.2) ** 2) / 0.01));
  if (t < fingerIn) return { fingerOut: true, searching: false, valid: false, pleth: 0, beep: false };
  if (t < fingerIn + search) return { fingerOut: false, searching: true, valid: false, pleth, beep: false };
  return { fingerOut: false, searching: false, valid: true, pleth, beep: phase < 1000 / 60 / beatMs };
}

export class Cms50dLegacySimulator implements DeviceSimulator {
  readonly device = 'Contec CMS50D+ legacy (simulated)';
  private t = 0;
  private readonly tick = new Ticker(1000 / 60);
  constructor(private readonly profile: OximeterProfile) {}

  receive(): void {
    // The legacy firmware streams unconditionally and ignores the host.
  }

  advance(ms: number): Uint8Array {
    const parts: Uint8Array[] = [];
    const n = this.tick.step(ms);
    for (let i = 0; i < n; i++) {
      this.t += 1000 / 60;
      const s = oximeterSample(this.profile, this.t);
      parts.push(
        encodeCms50dLegacy({
          spo2: s.valid ? this.profile.spo2 : LEGACY_INVALID_SPO2,
          pulseRate: s.valid ? this.profile.pulseRate : LEGACY_INVALID_PULSE,
          pleth: s.pleth,
          signalStrength: s.fingerOut ? 0 : 6,
          bargraph: Math.round(s.pleth / 16),
          fingerOut: s.fingerOut,
          searching: s.searching,
          beep: s.beep,
        }),
      );
    }
    return concatBytes(parts);
  }
}

/** Live data lasts this long after the last request (device behaviour). */
export const V7_LIVE_TIMEOUT_MS = 30_000;

export class Cms50dV7Simulator implements DeviceSimulator {
  readonly device = 'Contec CMS50D+ V7 (simulated)';
  private t = 0;
  private liveUntil = -1;
  private readonly tick = new Ticker(1000 / 60);
  private cmd: number[] = [];
  constructor(private readonly profile: OximeterProfile) {}

  get streaming(): boolean {
    return this.t < this.liveUntil;
  }

  receive(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (!(b & 0x80)) this.cmd = [b];
      else if (this.cmd.length > 0) this.cmd.push(b);
      if (this.cmd.length === 9) {
        const packet = Uint8Array.from(this.cmd);
        this.cmd = [];
        if (packet[0] !== V7_COMMAND_TYPE) continue;
        const op = decodeV7Data(packet)[0];
        if (op === 0xa1) this.liveUntil = this.t + V7_LIVE_TIMEOUT_MS;
        else if (op === 0xa2) this.liveUntil = -1;
      }
    }
  }

  advance(ms: number): Uint8Array {
    const parts: Uint8Array[] = [];
    const n = this.tick.step(ms);
    for (let i = 0; i < n; i++) {
      this.t += 1000 / 60;
      if (!this.streaming) continue;
      const s = oximeterSample(this.profile, this.t);
      parts.push(
        encodeCms50dV7({
          spo2: s.valid ? this.profile.spo2 : 127,
          pulseRate: s.valid ? this.profile.pulseRate : 0xff,
          pleth: s.pleth,
          signalStrength: s.fingerOut ? 0 : 7,
          fingerOut: s.fingerOut,
          searching: s.searching,
          beep: s.beep,
          piValid: s.valid,
          piRaw: s.valid ? 420 : 0,
        }),
      );
    }
    return concatBytes(parts);
  }
}

// ---------------------------------------------------------- blood pressure ----

export interface BpProfile {
  systolic: number;
  diastolic: number;
  pulse: number;
  /** Cuff pressure sample period (ms). The real rate is not documented; default 200. */
  cuffPeriodMs?: number;
}

export class Nibp2010Simulator implements DeviceSimulator {
  readonly device = 'Medlab NIBP2010 (simulated)';
  private phase: 'idle' | 'inflate' | 'deflate' = 'idle';
  private cuff = 0;
  private result: NibpStatus = { systolic: 0, diastolic: 0, mean: 0, pulse: 0 };
  private readonly tick: Ticker;
  private rx: number[] = [];
  private out: Uint8Array[] = [];
  /** Number of valid start frames seen (lets tests check that bad frames are ignored). */
  starts = 0;

  constructor(private readonly profile: BpProfile) {
    this.tick = new Ticker(profile.cuffPeriodMs ?? 200);
  }

  get measuring(): boolean {
    return this.phase !== 'idle';
  }

  receive(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (b === 0x58 /* X */ && this.rx.length === 0) {
        if (this.phase !== 'idle') this.finish(false);
        continue;
      }
      if (b === 0x02) this.rx = [b];
      else if (this.rx.length > 0) this.rx.push(b);
      if (b === 0x03 && this.rx.length > 0) this.onFrame(Uint8Array.from(this.rx));
      if (b === 0x03 || this.rx.length > 64) this.rx = [];
    }
  }

  private onFrame(f: Uint8Array): void {
    if (f.length < 5) return;
    const payload = f.subarray(1, f.length - 3);
    const ck = parseInt(String.fromCharCode(f[f.length - 3] ?? 0, f[f.length - 2] ?? 0), 16);
    if (ck !== sum8(payload)) return; // the board ignores corrupted commands
    const cmd = String.fromCharCode(...payload);
    if (cmd === '01;;' && this.phase === 'idle') {
      this.starts++;
      this.phase = 'inflate';
      this.cuff = 0;
      this.tick.reset();
    } else if (cmd === '18;;') {
      this.out.push(encodeNibpStatus(this.result));
    }
    // '03;;' (manual mode) needs no simulated effect.
  }

  private finish(ok: boolean): void {
    this.phase = 'idle';
    this.cuff = 0;
    const { systolic, diastolic, pulse } = this.profile;
    this.result = ok
      ? { systolic, diastolic, mean: Math.round(diastolic + (systolic - diastolic) / 3), pulse }
      : { systolic: 0, diastolic: 0, mean: 0, pulse: 0, c: 1 };
    this.out.push(encodeNibpCuff(CUFF_END));
  }

  advance(ms: number): Uint8Array {
    const parts = this.out;
    this.out = [];
    const n = this.tick.step(ms);
    const target = this.profile.systolic + 30;
    for (let i = 0; i < n && this.phase !== 'idle'; i++) {
      if (this.phase === 'inflate') {
        this.cuff = Math.min(target, this.cuff + 8);
        if (this.cuff >= target) this.phase = 'deflate';
      } else {
        this.cuff -= 1; // ~5 mmHg/s at the default 200 ms period
      }
      if (this.phase === 'deflate' && this.cuff < this.profile.diastolic - 10) {
        this.finish(true);
        parts.push(...this.out);
        this.out = [];
      } else {
        parts.push(encodeNibpCuff(this.cuff));
      }
    }
    return concatBytes(parts);
  }
}

// ------------------------------------------------------------------ height ----

export interface HeightProfile {
  mountHeightCm: number;
  /** Person's height; undefined = nobody under the sensor. */
  heightCm?: number;
  /** Person steps under the sensor at this virtual time (ms). Default 0. */
  arriveAtMs?: number;
  /** Measurement jitter, ± mm. Default 3. */
  jitterMm?: number;
  seed?: number;
}

export class A02yyuwSimulator implements DeviceSimulator {
  readonly device = 'DYP A02YYUW (simulated)';
  private t = 0;
  private readonly tick = new Ticker(100);
  private readonly rnd: () => number;
  constructor(private readonly profile: HeightProfile) {
    this.rnd = prng(profile.seed ?? 1);
  }

  receive(): void {
    // UART auto-output version: no commands.
  }

  advance(ms: number): Uint8Array {
    const parts: Uint8Array[] = [];
    const n = this.tick.step(ms);
    for (let i = 0; i < n; i++) {
      this.t += 100;
      const p = this.profile;
      const present = p.heightCm !== undefined && this.t >= (p.arriveAtMs ?? 0);
      const j = p.jitterMm ?? 3;
      const mm = (p.mountHeightCm - (present ? (p.heightCm ?? 0) : 0)) * 10 + Math.round((this.rnd() * 2 - 1) * j);
      parts.push(encodeA02yyuw(mm));
    }
    return concatBytes(parts);
  }
}

// ------------------------------------------------------------- thermometer ----

export class GyMcu90614Simulator implements DeviceSimulator {
  readonly device = 'GY-MCU90614 (simulated)';
  private continuous = false;
  private readonly tick = new Ticker(100);
  private rx: number[] = [];
  private out: Uint8Array[] = [];
  constructor(private readonly profile: { objectCel: number; ambientCel: number }) {}

  receive(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (b === 0xa5) this.rx = [b];
      else if (this.rx.length > 0) this.rx.push(b);
      if (this.rx.length === 3) {
        const [, op = 0, ck] = this.rx;
        this.rx = [];
        if (ck !== ((0xa5 + op) & 0xff)) continue;
        if (op === 0x45) {
          this.continuous = true;
          this.tick.reset();
        } else if (op === 0x15) this.out.push(encodeGyMcu90614(this.profile));
      }
    }
  }

  advance(ms: number): Uint8Array {
    const parts = this.out;
    this.out = [];
    const n = this.tick.step(ms);
    if (this.continuous) for (let i = 0; i < n; i++) parts.push(encodeGyMcu90614(this.profile));
    return concatBytes(parts);
  }
}

// ------------------------------------------------------------------ runner ----

export interface RunningSimulator {
  stop(): void;
}

/**
 * Drive a simulator on real timers. `speed` > 1 compresses virtual time
 * (e.g. a 40 s BP measurement in 4 s with speed 10).
 */
export function runSimulator(
  sim: DeviceSimulator,
  output: (bytes: Uint8Array) => void,
  opts: { tickMs?: number; speed?: number } = {},
): RunningSimulator {
  const tickMs = opts.tickMs ?? 20;
  const speed = opts.speed ?? 1;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const bytes = sim.advance((now - last) * speed);
    last = now;
    if (bytes.length > 0) output(bytes);
  }, tickMs);
  return { stop: () => clearInterval(timer) };
}
