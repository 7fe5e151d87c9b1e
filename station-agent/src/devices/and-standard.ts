/**
 * A&D Company "A&D standard format" weight output, used by A&D balances and
 * platform scales (EK-i/EW-i, GX/GF, GH, FX-i/FZ-i, HV/HW-G…), default
 * 2400 or 9600 baud 7E1/8N1 depending on model (function table "bps"/"btpr").
 *
 * Source: A&D instruction manuals, section "Data format" / "A&D standard
 * format" (e.g. GH series manual §10.6 "Data format examples", EK-i manual).
 *
 * Frame (normally 17 bytes): 2-char header, `,`, 9-char data (sign plus
 * zero-padded number with the decimal point), 3-char unit right-aligned,
 * CR LF, e.g. `ST,+00072.45 kg\r\n`, `US,-00183.96  g\r\n`.
 * Headers: ST stable, US unstable, OL overload (sign gives the direction),
 * QT counting mode (unit "PC", not a weight).
 * Host commands (CR LF terminated): Q weight now, S stable weight, SIR
 * continuous, C cancel S/SIR, R re-zero, T tare.
 *
 * Uncertain / noted:
 * - The project notes give the example `ST,+00072.45  kg\r\n` and call it 17
 *   bytes; that string is 18 bytes (unit field 4 wide). The manuals show the
 *   unit field as 3 characters (`  g`, ` kg`), so the encoder writes 17 bytes
 *   and the decoder splits on whitespace to accept both.
 * - The overload data field (`+9999999E+19` in the GH manual) varies by
 *   model; the decoder uses only the header and sign.
 */
import { ascii, type DecoderOptions, type DeviceFlag, LineDecoderBase, round } from './common.ts';

export const AND_DEVICE = 'A&D scale (standard format)';

const TO_KG: Record<string, number> = { kg: 1, g: 1e-3, mg: 1e-6, lb: 0.45359237, oz: 0.028349523125 };

export type AndCommand = 'Q' | 'S' | 'SIR' | 'C' | 'R' | 'T';
export const encodeAndCommand = (cmd: AndCommand): Uint8Array => ascii(`${cmd}\r\n`);

export type AndFrame = { header: 'ST' | 'US'; kg: number } | { header: 'OL'; negative?: boolean } | { header: 'QT'; pieces: number };

/** Exact bytes of an A&D standard-format line (kg with 2 decimals). */
export function encodeAndStandard(f: AndFrame): Uint8Array {
  const signed = (abs: string, neg: boolean) => (neg ? '-' : '+') + abs.padStart(8, '0');
  switch (f.header) {
    case 'ST':
    case 'US':
      return ascii(`${f.header},${signed(Math.abs(f.kg).toFixed(2), f.kg < 0)} kg\r\n`);
    case 'OL':
      return ascii(`OL,${f.negative ? '-' : '+'}9999999E+19\r\n`);
    case 'QT':
      return ascii(`QT,${signed(String(Math.abs(Math.round(f.pieces))), f.pieces < 0)} PC\r\n`);
  }
}

const DATA = /^([+-])([0-9.]+(?:E[+-]?\d+)?)\s*(\S*)$/;

export class AndStandardDecoder extends LineDecoderBase {
  constructor(opts: DecoderOptions) {
    super(opts, AND_DEVICE, 48);
  }

  requestImmediate(): void {
    this.send(encodeAndCommand('Q'));
  }
  requestStable(): void {
    this.send(encodeAndCommand('S'));
  }
  requestContinuous(): void {
    this.send(encodeAndCommand('SIR'));
  }
  cancel(): void {
    this.send(encodeAndCommand('C'));
  }
  zero(): void {
    this.send(encodeAndCommand('R'));
  }
  tare(): void {
    this.send(encodeAndCommand('T'));
  }

  protected onLine(line: string): boolean {
    const header = line.slice(0, 2);
    if (line[2] !== ',') return false;
    const m = DATA.exec(line.slice(3).trim());
    if (!m) return false;
    const [, sign, num, unit = ''] = m;
    if (header === 'OL') {
      this.emitStatus([sign === '-' ? 'underload' : 'overload']);
      return true;
    }
    if (num === undefined || !/^\d+(\.\d+)?$/.test(num) || num.length !== 8) return false;
    if (header === 'QT') {
      if (unit !== 'PC') return false;
      this.emitStatus(['counting_mode'], undefined, { pieces: Number(sign + num) });
      return true;
    }
    if (header !== 'ST' && header !== 'US') return false;
    const factor = TO_KG[unit];
    if (factor === undefined) return false;
    const flags: DeviceFlag[] = header === 'US' ? ['unstable'] : [];
    this.emit({
      kind: 'weight',
      value: round(Number(sign + num) * factor, 6),
      unit: 'kg',
      at: this.now(),
      device: this.device,
      flags,
    });
    return true;
  }
}
