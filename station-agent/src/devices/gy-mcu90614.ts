/**
 * GY-MCU90614 / GY-MCU90615 infrared thermometer module: a Melexis MLX90614
 * (or MLX90615) behind a small STM32 MCU that speaks UART, 9600 8N1.
 *
 * Source: the module vendor's (GY / "Guanyu") datasheet and sample code for
 * GY-MCU90614, as reproduced by sellers and hobby write-ups; there is no
 * Melexis document for the UART layer.
 *
 * Host → module: `A5 45 EA` continuous output, `A5 15 BA` one-shot query
 * (third byte = sum of the first two mod 256).
 * Module → host (9 bytes): `5A 5A 45 04 TOh TOl TAh TAl SUM`,
 * SUM = sum of the first 8 bytes mod 256; TO object and TA ambient
 * temperature in 0.01 °C, big-endian.
 * Example `5A 5A 45 04 0E 42 09 C4 1A` = object 36.50 °C, ambient 25.00 °C.
 *
 * Uncertain: whether the temperatures are signed (below 0 °C) is not stated;
 * they are read as signed 16-bit, which changes nothing in the body range.
 * The continuous output rate is not documented (module-dependent, ~10 Hz).
 * The object temperature is a skin/forehead surface value; any body-site
 * offset belongs to the caller, not to this decoder.
 */
import { DecoderBase, type DecoderOptions, sum8 } from './common.ts';

export const GY_MCU90614_DEVICE = 'GY-MCU90614 IR thermometer module';

export const GY_CONTINUOUS = Uint8Array.of(0xa5, 0x45, 0xea);
export const GY_QUERY = Uint8Array.of(0xa5, 0x15, 0xba);

const FRAME_LEN = 9;

export function encodeGyMcu90614(r: { objectCel: number; ambientCel: number }): Uint8Array {
  const to = Math.round(r.objectCel * 100) & 0xffff;
  const ta = Math.round(r.ambientCel * 100) & 0xffff;
  const f = Uint8Array.of(0x5a, 0x5a, 0x45, 0x04, to >> 8, to & 0xff, ta >> 8, ta & 0xff, 0);
  f[8] = sum8(f, 0, 8);
  return f;
}

export interface GyMcu90614Options extends DecoderOptions {
  /** Object temperatures outside this window are reported as 'out_of_range' / 'no_subject', not readings. */
  minBodyCel?: number;
  maxBodyCel?: number;
}

export class GyMcu90614Decoder extends DecoderBase {
  private readonly minBody: number;
  private readonly maxBody: number;

  constructor(opts: GyMcu90614Options) {
    super(opts, GY_MCU90614_DEVICE, 64);
    this.minBody = opts.minBodyCel ?? 30;
    this.maxBody = opts.maxBodyCel ?? 45;
  }

  startContinuous(): void {
    this.send(GY_CONTINUOUS);
  }
  query(): void {
    this.send(GY_QUERY);
  }

  protected parse(): void {
    for (;;) {
      let start = -1;
      for (let i = 0; i + 1 < this.q.length; i++) {
        if (this.q.at(i) === 0x5a && this.q.at(i + 1) === 0x5a) {
          start = i;
          break;
        }
      }
      if (start < 0) {
        // Keep a trailing 0x5A: it may be the first half of the header.
        const keep = this.q.length > 0 && this.q.at(this.q.length - 1) === 0x5a ? 1 : 0;
        const drop = this.q.length - keep;
        this.q.discard(drop);
        this.stats.droppedBytes += drop;
        return;
      }
      if (start > 0) {
        this.q.discard(start);
        this.stats.droppedBytes += start;
      }
      if (this.q.length < FRAME_LEN) return;
      const f = this.q.slice(0, FRAME_LEN);
      if (f[2] !== 0x45 || f[3] !== 0x04 || sum8(f, 0, 8) !== f[8]) {
        // Drop one byte only: `5A 5A 5A 45…` must still resync on the second 5A.
        this.stats.badFrames++;
        this.q.discard(1);
        continue;
      }
      this.q.discard(FRAME_LEN);
      this.stats.frames++;
      const s16 = (hi: number, lo: number) => (((hi << 8) | lo) << 16) >> 16;
      const object = s16(f[4] ?? 0, f[5] ?? 0) / 100;
      const ambient = s16(f[6] ?? 0, f[7] ?? 0) / 100;
      if (object < this.minBody) {
        // Nothing warm in front of the sensor (or far too cold to be a person).
        this.emitStatus(['no_subject'], undefined, { objectCel: object, ambientCel: ambient });
      } else if (object > this.maxBody) {
        this.emitStatus(['out_of_range'], undefined, { objectCel: object, ambientCel: ambient });
      } else {
        this.emit({
          kind: 'temperature',
          value: object,
          unit: 'Cel',
          at: this.now(),
          device: this.device,
          flags: [],
          detail: { ambientCel: ambient },
        });
      }
    }
  }
}
