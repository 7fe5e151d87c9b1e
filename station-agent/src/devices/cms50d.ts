/**
 * Contec CMS50D+ (also sold as CMS50E/CMS50D-BT variants) fingertip pulse
 * oximeter, USB-serial cable (CP210x/PL2303). Two firmware generations speak
 * different protocols; pick the decoder that matches the unit.
 *
 * 1. Legacy stream — source: atbrask/CMS50Dplus (Python, reverse-engineered),
 *    19200 baud, 8 data bits, ODD parity, 1 stop. The device streams 5-byte
 *    packets continuously without being asked. Only byte 0 has bit 7 set,
 *    which is the only framing; there is no checksum, so "bad frame" here
 *    means a packet cut short by a premature sync byte.
 *      b0: signal strength (low nibble), 0x10 finger out, 0x20 SpO2 dropping, 0x40 beep
 *      b1: pleth (7 bits)
 *      b2: bargraph (low nibble), 0x10 probe error, 0x20 searching, 0x40 = bit 7 of pulse rate
 *      b3: pulse rate bits 0–6
 *      b4: SpO2 (127 = invalid)
 *    Example `85 40 05 48 61` = pulse 72 /min, SpO2 97 %.
 *
 * 2. "V7" firmware — source: gagistech/bedsidemon `contec_cms50d_plus.cpp`
 *    (GPL, reverse-engineered), 115200 8N1. The host must send the live-data
 *    request `7D 81 A1 80 80 80 80 80 80` and re-send it every 5–15 s: the
 *    device stops streaming 30 s after the last request. `7D 81 A2 …` stops.
 *    Packets: a type byte (bit 7 clear), a high-bits byte, then 7 data bytes;
 *    every byte after the type has bit 7 set on the wire and the real bit 7
 *    of data byte i is bit i of the high-bits byte. Live data is type 0x01 at
 *    ~60 Hz:
 *      d0: signal strength (low nibble), 0x10 searching too long, 0x40 beep, 0x80 finger out
 *      d1: pleth (7 bits), 0x80 searching
 *      d2: 0x10 = PI not valid (other bits unknown)
 *      d3: pulse rate (0xFF = invalid)
 *      d4: SpO2 (> 100 = invalid)
 *      d5–d6: perfusion index, little-endian; the scale is not documented, so
 *             it is passed through raw as detail.piRaw.
 *    No checksum either: a bad frame is a packet whose body is cut short by a
 *    byte with bit 7 clear. Packet types other than 0x01 (replies to other
 *    commands) are skipped as dropped bytes.
 *
 * Judgement call (not from a source): SpO2 0 and pulse 0 are treated as
 * invalid too, since neither is a physiological reading.
 */
import { DecoderBase, type DecoderOptions, type DeviceFlag } from './common.ts';

export const CMS50D_LEGACY_DEVICE = 'Contec CMS50D+ (legacy protocol)';
export const CMS50D_V7_DEVICE = 'Contec CMS50D+ (V7 protocol)';

export interface OximeterSample {
  spo2: number; // % ; out-of-range values encode "invalid"
  pulseRate: number; // /min
  pleth?: number; // 0–127
  signalStrength?: number; // 0–15
  fingerOut?: boolean;
  searching?: boolean;
  beep?: boolean;
  // legacy only
  bargraph?: number;
  probeError?: boolean;
  spo2Dropping?: boolean;
  // V7 only
  searchingTooLong?: boolean;
  piRaw?: number;
  piValid?: boolean;
}

/** Shared by both generations: readings only when the device says the values are usable. */
abstract class OximeterDecoderBase extends DecoderBase {
  protected emitOximetry(
    flags: DeviceFlag[],
    spo2: number,
    spo2Valid: boolean,
    pulse: number,
    pulseValid: boolean,
    detail: Record<string, number>,
  ): void {
    const unusable = flags.includes('finger_out') || flags.includes('probe_error');
    if (unusable || (!spo2Valid && !pulseValid)) {
      this.emitStatus(flags.length ? flags : ['searching'], undefined, detail);
      return;
    }
    const at = this.now();
    const device = this.device;
    if (spo2Valid) this.emit({ kind: 'spo2', value: spo2, unit: '%', at, device, flags, detail });
    if (pulseValid) this.emit({ kind: 'heart_rate', value: pulse, unit: '/min', at, device, flags, detail });
  }
  /**
   * Both CMS50D+ streams frame by the top bit alone: a packet of `len` bytes starts at a byte
   * `isStart` accepts and every later byte satisfies `isBody`. Noise before a start is dropped;
   * a non-body byte inside a packet means bytes were lost, so the packet counts as bad and the
   * scan resyncs there. There is no checksum to check.
   */
  protected takePackets(
    len: number,
    isStart: (b: number) => boolean,
    isBody: (b: number) => boolean,
    onPacket: (p: Uint8Array) => void,
  ): void {
    for (;;) {
      let i = 0;
      while (i < this.q.length && !isStart(this.q.at(i))) i++;
      if (i > 0) {
        this.q.discard(i);
        this.stats.droppedBytes += i;
      }
      const avail = Math.min(this.q.length, len);
      let cut = -1;
      for (let j = 1; j < avail; j++) {
        if (!isBody(this.q.at(j))) {
          cut = j;
          break;
        }
      }
      if (cut > 0) {
        this.stats.badFrames++;
        this.q.discard(cut);
        continue;
      }
      if (this.q.length < len) return;
      const p = this.q.slice(0, len);
      this.q.discard(len);
      this.stats.frames++;
      onPacket(p);
    }
  }
}

// ---------------------------------------------------------------- legacy ----

export const LEGACY_INVALID_SPO2 = 127;
export const LEGACY_INVALID_PULSE = 255;

/** The 5 bytes a legacy CMS50D+ writes for one sample. */
export function encodeCms50dLegacy(s: OximeterSample): Uint8Array {
  const pr = Math.max(0, Math.min(255, Math.round(s.pulseRate)));
  const b0 = 0x80 | ((s.signalStrength ?? 0) & 0x0f) | (s.fingerOut ? 0x10 : 0) | (s.spo2Dropping ? 0x20 : 0) | (s.beep ? 0x40 : 0);
  const b2 = ((s.bargraph ?? 0) & 0x0f) | (s.probeError ? 0x10 : 0) | (s.searching ? 0x20 : 0) | ((pr & 0x80) >> 1);
  return Uint8Array.of(b0, (s.pleth ?? 0) & 0x7f, b2, pr & 0x7f, Math.round(s.spo2) & 0x7f);
}

export class Cms50dLegacyDecoder extends OximeterDecoderBase {
  constructor(opts: DecoderOptions) {
    super(opts, CMS50D_LEGACY_DEVICE, 64);
  }

  protected parse(): void {
    // only the first byte of a legacy packet has bit 7 set
    this.takePackets(
      5,
      (b) => (b & 0x80) !== 0,
      (b) => (b & 0x80) === 0,
      (p) => this.decode(p),
    );
  }

  private decode(p: Uint8Array): void {
    const [b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0] = p;
    const flags: DeviceFlag[] = [];
    if (b0 & 0x10) flags.push('finger_out');
    if (b0 & 0x20) flags.push('spo2_dropping');
    if (b0 & 0x40) flags.push('pulse_beep');
    if (b2 & 0x10) flags.push('probe_error');
    if (b2 & 0x20) flags.push('searching');
    const pulse = ((b2 & 0x40) << 1) | (b3 & 0x7f);
    const spo2 = b4 & 0x7f;
    const detail = { pleth: b1 & 0x7f, signalStrength: b0 & 0x0f, bargraph: b2 & 0x0f };
    this.emitOximetry(flags, spo2, spo2 >= 1 && spo2 <= 100, pulse, pulse >= 1 && pulse !== LEGACY_INVALID_PULSE, detail);
  }
}

// -------------------------------------------------------------------- V7 ----

export const V7_LIVE_TYPE = 0x01;
export const V7_COMMAND_TYPE = 0x7d;

/** Encode any V7 packet: type byte, high-bits byte, 7 data bytes with bit 7 forced on. */
export function encodeV7Packet(type: number, data: readonly number[]): Uint8Array {
  const out = new Uint8Array(9);
  out[0] = type & 0x7f;
  let hi = 0x80;
  for (let i = 0; i < 7; i++) {
    const d = (data[i] ?? 0) & 0xff;
    if (d & 0x80) hi |= 1 << i;
    out[2 + i] = 0x80 | (d & 0x7f);
  }
  out[1] = hi;
  return out;
}

/** Decode the 7 data bytes of a V7 packet (9 bytes starting at the type byte). */
export function decodeV7Data(packet: Uint8Array): number[] {
  const hi = packet[1] ?? 0;
  const data: number[] = [];
  for (let i = 0; i < 7; i++) data.push(((packet[2 + i] ?? 0) & 0x7f) | (((hi >> i) & 1) << 7));
  return data;
}

/** Host → device: start / keep alive live data. */
export const V7_START_LIVE = encodeV7Packet(V7_COMMAND_TYPE, [0xa1]);
/** Host → device: stop live data. */
export const V7_STOP_LIVE = encodeV7Packet(V7_COMMAND_TYPE, [0xa2]);

/** The 9 bytes a V7 CMS50D+ writes for one live sample. */
export function encodeCms50dV7(s: OximeterSample): Uint8Array {
  const d0 = ((s.signalStrength ?? 0) & 0x0f) | (s.searchingTooLong ? 0x10 : 0) | (s.beep ? 0x40 : 0) | (s.fingerOut ? 0x80 : 0);
  const d1 = ((s.pleth ?? 0) & 0x7f) | (s.searching ? 0x80 : 0);
  const d2 = s.piValid === false ? 0x10 : 0;
  const pi = (s.piRaw ?? 0) & 0xffff;
  return encodeV7Packet(V7_LIVE_TYPE, [d0, d1, d2, Math.round(s.pulseRate) & 0xff, Math.round(s.spo2) & 0xff, pi & 0xff, pi >> 8]);
}

export interface Cms50dV7Options extends DecoderOptions {
  /** How often start() re-sends the live-data request; the device gives up after 30 s. Default 10 s. */
  keepAliveMs?: number;
}

export class Cms50dV7Decoder extends OximeterDecoderBase {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly keepAliveMs: number;

  constructor(opts: Cms50dV7Options) {
    super(opts, CMS50D_V7_DEVICE, 64);
    this.keepAliveMs = opts.keepAliveMs ?? 10_000;
    if (!(this.keepAliveMs > 0 && this.keepAliveMs < 30_000)) throw new RangeError('keepAliveMs must be in (0, 30000)');
  }

  /** Request live data now and keep re-requesting it so the stream never times out. */
  start(): void {
    this.send(V7_START_LIVE);
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      try {
        this.send(V7_START_LIVE);
      } catch {
        // A failed write is retried on the next tick; the port layer reports errors.
      }
    }, this.keepAliveMs);
    // The serial port, not this timer, decides whether the process stays up.
    this.timer.unref?.();
  }

  /** Stop the keep-alive and tell the device to stop streaming. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.send(V7_STOP_LIVE);
  }

  get keepingAlive(): boolean {
    return this.timer !== undefined;
  }

  protected parse(): void {
    // a V7 live packet starts with its type byte; every byte after it has bit 7 set
    this.takePackets(
      9,
      (b) => b === V7_LIVE_TYPE,
      (b) => (b & 0x80) !== 0,
      (p) => this.decode(decodeV7Data(p)),
    );
  }

  private decode(d: number[]): void {
    const [d0 = 0, d1 = 0, d2 = 0, pulse = 0, spo2 = 0, piLo = 0, piHi = 0] = d;
    const flags: DeviceFlag[] = [];
    if (d0 & 0x80) flags.push('finger_out');
    if (d0 & 0x10) flags.push('searching_too_long');
    if (d0 & 0x40) flags.push('pulse_beep');
    if (d1 & 0x80) flags.push('searching');
    if (d2 & 0x10) flags.push('pi_invalid');
    const detail: Record<string, number> = { pleth: d1 & 0x7f, signalStrength: d0 & 0x0f };
    if (!(d2 & 0x10)) detail['piRaw'] = piLo | (piHi << 8);
    this.emitOximetry(flags, spo2, spo2 >= 1 && spo2 <= 100, pulse, pulse >= 1 && pulse !== 0xff, detail);
  }
}
