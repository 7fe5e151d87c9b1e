/**
 * Shared types and plumbing for the booth device decoders.
 *
 * Every decoder takes raw bytes from a serial port (in whatever chunks the OS
 * hands over), finds frames, validates them and emits typed readings. Writing
 * to the device goes through an injected `write(bytes)` so the decoders do not
 * depend on `serialport` and can be driven by simulators and a pty in tests.
 */

import type { BoothKind } from '@tram/contracts';

/** UCUM unit codes, as used by the FHIR vital-signs profiles. */
export type Unit = 'kg' | 'cm' | 'Cel' | '%' | '/min' | 'mm[Hg]';

/** Conditions reported by the devices themselves (not by the decoder). */
export type DeviceFlag =
  // scales
  | 'unstable'
  | 'overload'
  | 'underload'
  | 'busy'
  | 'error'
  | 'counting_mode'
  | 'zeroed'
  | 'tared'
  | 'reset'
  // oximeter
  | 'finger_out'
  | 'searching'
  | 'searching_too_long'
  | 'probe_error'
  | 'spo2_dropping'
  | 'pulse_beep'
  | 'pi_invalid'
  // blood pressure
  | 'measuring'
  | 'measurement_complete'
  // range finder / thermometer
  | 'out_of_range'
  | 'no_subject';

interface ReadingBase {
  at: Date;
  /** Device label (model name unless the caller passes its own id). */
  device: string;
  /** Device-reported conditions that qualify this value (e.g. 'unstable'). */
  flags: readonly DeviceFlag[];
  /** Protocol extras that are not the measured value (pleth, PI, ambient temperature…). */
  detail?: Readonly<Record<string, number>>;
}

export interface WeightReading extends ReadingBase {
  kind: 'weight';
  value: number;
  unit: 'kg';
}
export interface HeightReading extends ReadingBase {
  kind: 'height';
  value: number;
  unit: 'cm';
}
export interface TemperatureReading extends ReadingBase {
  kind: 'temperature';
  value: number;
  unit: 'Cel';
}
export interface Spo2Reading extends ReadingBase {
  kind: 'spo2';
  value: number;
  unit: '%';
}
export interface HeartRateReading extends ReadingBase {
  kind: 'heart_rate';
  value: number;
  unit: '/min';
}
export interface BloodPressureReading extends ReadingBase {
  kind: 'blood_pressure';
  values: { systolic: number; diastolic: number; mean?: number };
  unit: 'mm[Hg]';
}

export type Reading = WeightReading | HeightReading | TemperatureReading | Spo2Reading | HeartRateReading | BloodPressureReading;

// The booth's kinds are defined once in @tram/contracts (BOOTH_KINDS); a decoder reading of a
// kind the contract does not know, or a contract kind no reading can carry, fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type DecodedKindsAreBoothKinds = Assert<Same<Reading['kind'], BoothKind>>;

/**
 * A device condition without a usable measurement (finger out, overload,
 * cuff pressure progress…). Emitted once per frame that carries it; callers
 * that want edges should de-duplicate.
 */
export interface DeviceStatus {
  at: Date;
  device: string;
  flags: readonly DeviceFlag[];
  message?: string;
  detail?: Readonly<Record<string, number>>;
}

export interface DecoderStats {
  /** Frames that validated and were decoded. */
  frames: number;
  /** Frames that were recognised as frames but failed validation (checksum, length, syntax) and were dropped. */
  badFrames: number;
  /** Bytes discarded while hunting for a frame start (line noise, partial frames at start-up). */
  droppedBytes: number;
}

export interface DecoderOptions {
  onReading: (reading: Reading) => void;
  onStatus?: (status: DeviceStatus) => void;
  /** Called with exceptions thrown by onReading/onStatus; without it they are re-thrown after the chunk is processed. */
  onError?: (err: unknown) => void;
  /** Label put on every reading; defaults to the device model. */
  device?: string;
  /** Clock, injectable so tests get deterministic timestamps. */
  now?: () => Date;
  /** Sends bytes to the device (e.g. a serialport write). Needed only for command-driven devices. */
  write?: (bytes: Uint8Array) => void;
}

/** Fixed-capacity FIFO of bytes; the capacity is the decoder's memory bound. */
export class ByteQueue {
  private buf: Uint8Array;
  private head = 0;
  private tail = 0;

  constructor(readonly capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  get length(): number {
    return this.tail - this.head;
  }

  get free(): number {
    return this.capacity - this.length;
  }

  /** Caller guarantees src.length <= free. */
  append(src: Uint8Array): void {
    if (src.length > this.free) throw new RangeError('ByteQueue overflow');
    if (this.tail + src.length > this.buf.length) {
      // Compact instead of growing: memory stays at `capacity`.
      this.buf.copyWithin(0, this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    this.buf.set(src, this.tail);
    this.tail += src.length;
  }

  at(i: number): number {
    return this.buf[this.head + i] ?? 0;
  }

  discard(n: number): void {
    this.head += Math.min(n, this.length);
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  indexOf(byte: number, from = 0): number {
    for (let i = this.head + from; i < this.tail; i++) if (this.buf[i] === byte) return i - this.head;
    return -1;
  }

  /** Copy of bytes [start, end). */
  slice(start: number, end: number): Uint8Array {
    return this.buf.slice(this.head + start, this.head + Math.min(end, this.length));
  }

  clear(): void {
    this.head = this.tail = 0;
  }
}

/**
 * Base for all decoders: chunk intake with a hard memory bound, stats,
 * emission that survives throwing callbacks, and the injected writer.
 */
export abstract class DecoderBase {
  readonly stats: DecoderStats = { frames: 0, badFrames: 0, droppedBytes: 0 };
  protected readonly q: ByteQueue;
  protected readonly device: string;
  private readonly opts: DecoderOptions;
  private callbackErrors: unknown[] = [];

  protected constructor(opts: DecoderOptions, defaultDevice: string, capacity: number) {
    this.opts = opts;
    this.device = opts.device ?? defaultDevice;
    this.q = new ByteQueue(capacity);
  }

  /** Bytes currently held waiting for the rest of a frame (never more than the queue capacity). */
  get bufferedBytes(): number {
    return this.q.length;
  }

  /** Feed bytes as they arrive. Never throws for bad input. */
  push(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(chunk.length - off, this.q.free);
      this.q.append(chunk.subarray(off, off + n));
      off += n;
      try {
        this.parse();
      } catch {
        // A decoder bug must not wedge the port: drop what we hold and carry on.
        this.stats.badFrames++;
        this.stats.droppedBytes += this.q.length;
        this.q.clear();
      }
      if (this.q.free === 0) {
        // parse() waits for more bytes with a full queue: no valid frame is
        // that long, so the oldest byte cannot start one.
        this.q.discard(1);
        this.stats.droppedBytes++;
      }
    }
    this.flushCallbackErrors();
  }

  /** Consume as many complete frames from `q` as possible; leave a partial frame in place. */
  protected abstract parse(): void;

  protected now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
  }

  protected emit(reading: Reading): void {
    try {
      this.opts.onReading(reading);
    } catch (err) {
      this.callbackErrors.push(err);
    }
  }

  protected emitStatus(flags: readonly DeviceFlag[], message?: string, detail?: Record<string, number>): void {
    if (!this.opts.onStatus) return;
    const status: DeviceStatus = { at: this.now(), device: this.device, flags };
    if (message !== undefined) status.message = message;
    if (detail !== undefined) status.detail = detail;
    try {
      this.opts.onStatus(status);
    } catch (err) {
      this.callbackErrors.push(err);
    }
  }

  protected send(bytes: Uint8Array): void {
    if (!this.opts.write) throw new Error(`${this.device}: no write function was given, cannot send commands`);
    this.opts.write(bytes);
  }

  private flushCallbackErrors(): void {
    if (this.callbackErrors.length === 0) return;
    const errs = this.callbackErrors;
    this.callbackErrors = [];
    if (this.opts.onError) for (const e of errs) this.opts.onError(e);
    else throw errs[0];
  }
}

/**
 * Base for CR LF terminated ASCII protocols (scales). Binary junk resets the
 * current line so a frame right after line noise still decodes; an over-long
 * line counts as one bad frame and is skipped up to its LF.
 */
export abstract class LineDecoderBase extends DecoderBase {
  private skipping = false;

  protected constructor(
    opts: DecoderOptions,
    defaultDevice: string,
    private readonly maxLine: number,
  ) {
    // Room for one maximal line plus a chunk's worth of slack.
    super(opts, defaultDevice, maxLine * 2);
  }

  /** Handle one line (without CR LF). Return false, without emitting anything, if it is not a valid frame. */
  protected abstract onLine(line: string): boolean;

  protected parse(): void {
    for (;;) {
      // Drop anything up to the last non-printable byte before the next LF (or the end): it is noise.
      let lf = -1;
      let junkEnd = 0;
      for (let i = 0; i < this.q.length; i++) {
        const b = this.q.at(i);
        if (b === 0x0a) {
          lf = i;
          break;
        }
        const printable = (b >= 0x20 && b <= 0x7e) || b === 0x0d;
        if (!printable) junkEnd = i + 1;
      }
      if (junkEnd > 0) {
        this.q.discard(junkEnd);
        this.stats.droppedBytes += junkEnd;
        if (lf >= 0) lf -= junkEnd;
      }
      if (lf < 0) {
        if (this.q.length > this.maxLine) {
          if (!this.skipping) this.stats.badFrames++;
          this.skipping = true;
          this.q.clear();
        }
        return;
      }
      const raw = this.q.slice(0, lf);
      this.q.discard(lf + 1);
      if (this.skipping) {
        this.skipping = false; // tail of the over-long line, already counted
        continue;
      }
      let line = String.fromCharCode(...raw);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.includes('\r') || line.length > this.maxLine) {
        this.stats.badFrames++;
        continue;
      }
      if (line.trim() === '') continue; // blank lines carry nothing
      if (this.onLine(line)) {
        this.stats.frames++;
        continue;
      }
      // Printable line noise glued to the front of a frame: resync on the
      // first suffix that is a valid frame (onLine emits only on success).
      let k = 1;
      for (; k < line.length; k++) if (line[k] !== ' ' && this.onLine(line.slice(k))) break;
      if (k < line.length) {
        this.stats.frames++;
        this.stats.droppedBytes += k;
      } else {
        this.stats.badFrames++;
      }
    }
  }
}

export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

export const hex = (s: string): Uint8Array => {
  const clean = s.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
};

export const sum8 = (bytes: ArrayLike<number>, start = 0, end = bytes.length): number => {
  let s = 0;
  for (let i = start; i < end; i++) s += bytes[i] ?? 0;
  return s & 0xff;
};

export const round = (v: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};
