/**
 * Medlab NIBP2010 / NIBP2020 UP non-invasive blood pressure OEM board
 * (Medlab GmbH, Stutensee), TTL/RS-232 at 4800 baud.
 *
 * Sources: Medlab "NIBP2020 UP … Technical Description" (protocol chapter:
 * initialisation, cuff pressure transmission, end of cuff pressure
 * transmission, status transmission), the element14 community thread 48018,
 * and a public Arduino driver (tincho77/NIBP-ABATON) that sends the commands
 * below and waits for "999" before asking for the status.
 *
 * Framed messages: STX <payload> <CK> ETX where CK is two upper-case hex
 * digits of the byte sum of the payload (the characters after STX) mod 256.
 * Verified command frames: `\x0201;;D7\x03` start a measurement,
 * `\x0203;;D9\x03` manual mode, `\x0218;;DF\x03` read status.
 * Status reply payload: `S?;A?;C??;M??;P<sys3><dia3><map3>;R<pulse3>;T<4>;;`.
 *
 * Uncertain — confirm with the manual before shipping:
 * - Cuff pressure during a measurement is taken to be bare 3-digit ASCII
 *   values (not STX-framed) and `999` the end-of-measurement marker; the
 *   Arduino driver only shows that "999" appears in the byte stream.
 * - Abort is sent as a bare `X`.
 * - The forum's sample status frame does not verify with this checksum, so
 *   the checksum rule for board → host frames is unconfirmed; the option
 *   `checksumIncludesStx` switches to summing STX as well.
 * - The notes put systolic at "STX-offsets 15–17"; with the documented
 *   field layout that is counting from the first character after STX. This
 *   decoder parses by field tag (P, R…) instead of fixed offsets.
 * - Meaning of the S/A/C/M/T fields is not documented publicly; they are
 *   passed through as detail when numeric.
 */
import { ascii, DecoderBase, type DecoderOptions, sum8 } from './common.ts';

export const NIBP_DEVICE = 'Medlab NIBP2010/2020 OEM board';

const STX = 0x02;
const ETX = 0x03;
const MAX_FRAME = 64;
export const CUFF_END = 999;

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

/** STX payload CK ETX. */
export function encodeNibpFrame(payload: string, checksumIncludesStx = false): Uint8Array {
  const body = ascii(payload);
  const ck = (sum8(body) + (checksumIncludesStx ? STX : 0)) & 0xff;
  return ascii(`\x02${payload}${hex2(ck)}\x03`);
}

export const NIBP_START = encodeNibpFrame('01;;');
export const NIBP_MANUAL_MODE = encodeNibpFrame('03;;');
export const NIBP_READ_STATUS = encodeNibpFrame('18;;');
export const NIBP_ABORT = ascii('X');

export interface NibpStatus {
  systolic: number;
  diastolic: number;
  mean: number;
  pulse: number;
  s?: number;
  a?: number;
  c?: number;
  m?: number;
  t?: number;
}

const pad = (n: number, w: number) =>
  String(Math.max(0, Math.round(n)))
    .padStart(w, '0')
    .slice(-w);

/** Status frame as the board sends it (zeros mean "no result"). */
export function encodeNibpStatus(st: NibpStatus, checksumIncludesStx = false): Uint8Array {
  const payload =
    `S${pad(st.s ?? 0, 1)};A${pad(st.a ?? 0, 1)};C${pad(st.c ?? 0, 2)};M${pad(st.m ?? 0, 2)};` +
    `P${pad(st.systolic, 3)}${pad(st.diastolic, 3)}${pad(st.mean, 3)};R${pad(st.pulse, 3)};T${pad(st.t ?? 0, 4)};;`;
  return encodeNibpFrame(payload, checksumIncludesStx);
}

/** One cuff pressure sample (mmHg), or the end marker with CUFF_END. */
export const encodeNibpCuff = (mmHg: number): Uint8Array => ascii(pad(mmHg, 3));

export interface NibpOptions extends DecoderOptions {
  /** Ask for the status (the result) as soon as the cuff-pressure stream ends. Default true. */
  autoRequestStatus?: boolean;
  checksumIncludesStx?: boolean;
}

export class Nibp2010Decoder extends DecoderBase {
  private readonly autoRequestStatus: boolean;
  private readonly ckStx: boolean;

  constructor(opts: NibpOptions) {
    super(opts, NIBP_DEVICE, MAX_FRAME * 2);
    this.autoRequestStatus = opts.autoRequestStatus ?? true;
    this.ckStx = opts.checksumIncludesStx ?? false;
  }

  start(): void {
    this.send(NIBP_START);
  }
  setManualMode(): void {
    this.send(NIBP_MANUAL_MODE);
  }
  requestStatus(): void {
    this.send(NIBP_READ_STATUS);
  }
  abort(): void {
    this.send(NIBP_ABORT);
  }

  protected parse(): void {
    for (;;) {
      if (this.q.length === 0) return;
      const b = this.q.at(0);
      if (b === STX) {
        if (!this.parseFrame()) return;
      } else if (isDigit(b)) {
        if (!this.parseCuff()) return;
      } else {
        // CR/LF or line noise between messages.
        this.q.discard(1);
        this.stats.droppedBytes++;
      }
    }
  }

  /** Returns false when more bytes are needed. */
  private parseFrame(): boolean {
    let etx = -1;
    for (let i = 1; i < this.q.length && i < MAX_FRAME; i++) {
      const c = this.q.at(i);
      if (c === ETX) {
        etx = i;
        break;
      }
      if (c === STX) {
        // A new frame started before this one ended: the first lost its tail.
        this.stats.badFrames++;
        this.q.discard(i);
        return true;
      }
    }
    if (etx < 0) {
      if (this.q.length < MAX_FRAME) return false;
      this.stats.badFrames++; // no ETX within any legal length
      this.q.discard(1);
      return true;
    }
    const frame = this.q.slice(0, etx + 1);
    this.q.discard(etx + 1);
    if (etx < 4) {
      this.stats.badFrames++;
      return true;
    }
    const payload = frame.subarray(1, etx - 2);
    const ckText = String.fromCharCode(frame[etx - 2] ?? 0, frame[etx - 1] ?? 0);
    const expected = (sum8(payload) + (this.ckStx ? STX : 0)) & 0xff;
    if (!/^[0-9A-Fa-f]{2}$/.test(ckText) || parseInt(ckText, 16) !== expected) {
      this.stats.badFrames++;
      return true;
    }
    if (payload.some((c) => c < 0x20 || c > 0x7e)) {
      this.stats.badFrames++;
      return true;
    }
    if (this.onPayload(String.fromCharCode(...payload))) this.stats.frames++;
    else this.stats.badFrames++;
    return true;
  }

  private parseCuff(): boolean {
    for (let i = 1; i < 3; i++) {
      if (i >= this.q.length) return false;
      if (!isDigit(this.q.at(i))) {
        // Fewer than 3 digits: noise, not a pressure value.
        this.q.discard(i);
        this.stats.droppedBytes += i;
        return true;
      }
    }
    const v = Number(String.fromCharCode(...this.q.slice(0, 3)));
    this.q.discard(3);
    this.stats.frames++;
    if (v === CUFF_END) {
      this.emitStatus(['measurement_complete']);
      if (this.autoRequestStatus) {
        try {
          this.requestStatus();
        } catch {
          // No writer: the caller asks for the status itself.
        }
      }
    } else {
      this.emitStatus(['measuring'], undefined, { cuffPressure: v });
    }
    return true;
  }

  private onPayload(p: string): boolean {
    if (/^\d\d;;$/.test(p)) {
      // Command acknowledgement/echo: valid, nothing to report.
      this.emitStatus([], `ack ${p.slice(0, 2)}`);
      return true;
    }
    if (!p.endsWith(';;')) return false;
    const fields = new Map<string, string>();
    for (const f of p.slice(0, -2).split(';')) {
      if (f.length === 0) return false;
      fields.set(f[0] ?? '', f.slice(1));
    }
    const P = fields.get('P');
    const R = fields.get('R');
    if (P === undefined || !/^\d{9}$/.test(P) || R === undefined || !/^\d{3}$/.test(R)) return false;
    const systolic = Number(P.slice(0, 3));
    const diastolic = Number(P.slice(3, 6));
    const mean = Number(P.slice(6, 9));
    const pulse = Number(R);
    const detail: Record<string, number> = {};
    for (const k of ['S', 'A', 'C', 'M', 'T']) {
      const v = fields.get(k);
      if (v !== undefined && /^\d+$/.test(v)) detail[k] = Number(v);
    }
    const at = this.now();
    if (systolic > 0 && diastolic > 0 && systolic > diastolic) {
      const values = mean > 0 ? { systolic, diastolic, mean } : { systolic, diastolic };
      this.emit({ kind: 'blood_pressure', values, unit: 'mm[Hg]', at, device: this.device, flags: [], detail });
      if (pulse > 0) this.emit({ kind: 'heart_rate', value: pulse, unit: '/min', at, device: this.device, flags: [], detail });
    } else {
      this.emitStatus([], 'no result', detail);
    }
    return true;
  }
}
