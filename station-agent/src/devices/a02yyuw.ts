/**
 * DYP-A02YYUW waterproof ultrasonic distance sensor (DYP / Shenzhen Dianyingpu,
 * sold by DFRobot as SEN0311), UART output version, 9600 8N1, 3.3–5 V.
 * Mounted above the booth floor pointing down: height = mount height − distance.
 *
 * Source: DFRobot wiki "SEN0311 A02YYUW Waterproof Ultrasonic Sensor" and the
 * DYP-A02 datasheet (UART controlled/auto output).
 *
 * Frame (4 bytes, about every 100 ms in "processed value" mode):
 *   0xFF, DATA_H, DATA_L, SUM   with SUM = (0xFF + DATA_H + DATA_L) & 0xFF,
 *   distance = DATA_H << 8 | DATA_L in mm; rated range 30–4500 mm.
 * Example `FF 06 9A 9F` = 1690 mm.
 *
 * Uncertain: what the sensor sends outside its range (blind zone below
 * ~30 mm, no echo) is not documented consistently; values outside 30–4500 mm
 * are reported as status 'out_of_range' rather than a height.
 */
import { DecoderBase, type DecoderOptions, round } from './common.ts';

export const A02YYUW_DEVICE = 'DYP A02YYUW ultrasonic sensor';
export const A02_MIN_MM = 30;
export const A02_MAX_MM = 4500;

export function encodeA02yyuw(distanceMm: number): Uint8Array {
  const d = Math.max(0, Math.min(0xffff, Math.round(distanceMm)));
  const h = d >> 8;
  const l = d & 0xff;
  return Uint8Array.of(0xff, h, l, (0xff + h + l) & 0xff);
}

export interface A02yyuwOptions extends DecoderOptions {
  /** Distance from the sensor face to the floor, in cm. */
  mountHeightCm: number;
  /** Heights below this are taken as "nobody standing there" (default 40 cm). */
  minSubjectCm?: number;
}

export class A02yyuwDecoder extends DecoderBase {
  private readonly mountHeightCm: number;
  private readonly minSubjectCm: number;

  constructor(opts: A02yyuwOptions) {
    super(opts, A02YYUW_DEVICE, 32);
    if (!(opts.mountHeightCm > 0)) throw new RangeError('mountHeightCm must be > 0');
    this.mountHeightCm = opts.mountHeightCm;
    this.minSubjectCm = opts.minSubjectCm ?? 40;
  }

  protected parse(): void {
    for (;;) {
      const start = this.q.indexOf(0xff);
      if (start < 0) {
        this.stats.droppedBytes += this.q.length;
        this.q.clear();
        return;
      }
      if (start > 0) {
        this.q.discard(start);
        this.stats.droppedBytes += start;
      }
      if (this.q.length < 4) return;
      const h = this.q.at(1);
      const l = this.q.at(2);
      if (((0xff + h + l) & 0xff) !== this.q.at(3)) {
        // Drop only the header byte: the real header may be inside this window.
        this.stats.badFrames++;
        this.q.discard(1);
        continue;
      }
      this.q.discard(4);
      this.stats.frames++;
      this.decode((h << 8) | l);
    }
  }

  private decode(mm: number): void {
    if (mm < A02_MIN_MM || mm > A02_MAX_MM) {
      this.emitStatus(['out_of_range'], undefined, { distanceMm: mm });
      return;
    }
    const height = round(this.mountHeightCm - mm / 10, 1);
    if (height < this.minSubjectCm) {
      this.emitStatus(['no_subject'], undefined, { distanceMm: mm });
      return;
    }
    this.emit({
      kind: 'height',
      value: height,
      unit: 'cm',
      at: this.now(),
      device: this.device,
      flags: [],
      detail: { distanceMm: mm },
    });
  }
}
