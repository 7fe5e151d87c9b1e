/**
 * Mettler Toledo MT-SICS (Mettler Toledo Standard Interface Command Set),
 * level 0/1 weighing commands, as spoken by Mettler Toledo bench and floor
 * scales and weighing terminals (e.g. the ICS/IND terminals).
 *
 * Source: "MT-SICS Interface Command Reference" (Mettler Toledo reference
 * manual, publicly downloadable) and the open-source driver
 * janelia-python/mettler_toledo_device_python. Default line settings 9600 8N1
 * (configurable on the terminal).
 *
 * Host → scale: `S` (stable weight), `SI` (weight immediately), `SIR`
 * (immediate weight, repeated), `Z` (zero), `T` (tare), `@` (reset), each
 * terminated by CR LF.
 * Scale → host: `S S <weight> <unit>` stable, `S D …` dynamic (unstable),
 * `S I` command not executable (busy / no stability within the timeout),
 * `S +` / `S -` over / under range, `ES` syntax error, `ET` transmission
 * error, `EL` logical error; `Z A`, `T S <tare> <unit>`, `I4 A "<sn>"` for
 * zero, tare and reset.
 *
 * Uncertain: the weight field is documented as 10 characters right-aligned;
 * the decoder splits on whitespace so it also accepts other paddings. Unit
 * strings other than g/kg/mg/lb/oz (custom units) are rejected as bad frames.
 */
import { ascii, type DecoderOptions, type DeviceFlag, LineDecoderBase, round } from './common.ts';

export const MT_SICS_DEVICE = 'Mettler Toledo MT-SICS scale';

/** Conversion factors to kg for the units an MT-SICS balance can be set to. */
const TO_KG: Record<string, number> = { kg: 1, g: 1e-3, mg: 1e-6, lb: 0.45359237, oz: 0.028349523125 };

export type MtSicsCommand = 'S' | 'SI' | 'SIR' | 'Z' | 'T' | '@';

export const encodeMtSicsCommand = (cmd: MtSicsCommand): Uint8Array => ascii(`${cmd}\r\n`);

/** What a scale can answer; used by the encoder and the simulator. */
export type MtSicsResponse =
  | { type: 'weight'; kg: number; stable: boolean; command?: 'S' | 'SI' }
  | { type: 'busy' | 'overload' | 'underload'; command?: 'S' | 'SI' }
  | { type: 'error'; code: 'ES' | 'ET' | 'EL' }
  | { type: 'zeroed' }
  | { type: 'tared'; kg: number }
  | { type: 'reset'; serial: string };

/** The exact bytes a scale writes for a response (weights in kg, 2 decimals). */
export function encodeMtSics(r: MtSicsResponse): Uint8Array {
  const w = (kg: number) => kg.toFixed(2).padStart(10, ' ');
  const id = 'command' in r && r.command ? r.command : 'S';
  switch (r.type) {
    case 'weight':
      return ascii(`${id} ${r.stable ? 'S' : 'D'} ${w(r.kg)} kg\r\n`);
    case 'busy':
      return ascii(`${id} I\r\n`);
    case 'overload':
      return ascii(`${id} +\r\n`);
    case 'underload':
      return ascii(`${id} -\r\n`);
    case 'error':
      return ascii(`${r.code}\r\n`);
    case 'zeroed':
      return ascii('Z A\r\n');
    case 'tared':
      return ascii(`T S ${w(r.kg)} kg\r\n`);
    case 'reset':
      return ascii(`I4 A "${r.serial}"\r\n`);
  }
}

const NUMBER = /^[+-]?\d+(\.\d+)?$/;

export class MtSicsDecoder extends LineDecoderBase {
  constructor(opts: DecoderOptions) {
    // Longest real reply is ~25 characters; 64 leaves room for custom units and long serials.
    super(opts, MT_SICS_DEVICE, 64);
  }

  /** Ask for the next stable weight. */
  requestStable(): void {
    this.send(encodeMtSicsCommand('S'));
  }
  /** Ask for the current weight, stable or not. */
  requestImmediate(): void {
    this.send(encodeMtSicsCommand('SI'));
  }
  /** Stream immediate weights continuously (stop with reset()). */
  requestContinuous(): void {
    this.send(encodeMtSicsCommand('SIR'));
  }
  zero(): void {
    this.send(encodeMtSicsCommand('Z'));
  }
  tare(): void {
    this.send(encodeMtSicsCommand('T'));
  }
  reset(): void {
    this.send(encodeMtSicsCommand('@'));
  }

  protected onLine(line: string): boolean {
    const tok = line.trim().split(/\s+/);
    const [id, st, value, unit] = tok;
    if (id === 'ES' || id === 'ET' || id === 'EL') {
      if (tok.length !== 1) return false;
      this.emitStatus(['error'], id === 'ES' ? 'syntax error' : id === 'ET' ? 'transmission error' : 'logical error');
      return true;
    }
    if (id === 'S' || id === 'SI' || id === 'SIR') {
      if ((st === 'S' || st === 'D') && tok.length === 4) {
        const factor = unit === undefined ? undefined : TO_KG[unit];
        if (value === undefined || !NUMBER.test(value) || factor === undefined) return false;
        const flags: DeviceFlag[] = st === 'D' ? ['unstable'] : [];
        this.emit({
          kind: 'weight',
          value: round(Number(value) * factor, 6),
          unit: 'kg',
          at: this.now(),
          device: this.device,
          flags,
        });
        return true;
      }
      if (tok.length !== 2) return false;
      const flag: DeviceFlag | undefined = st === 'I' ? 'busy' : st === '+' ? 'overload' : st === '-' ? 'underload' : undefined;
      if (!flag) return false;
      this.emitStatus([flag]);
      return true;
    }
    if (id === 'Z' && tok.length === 2 && st === 'A') {
      this.emitStatus(['zeroed']);
      return true;
    }
    if (id === 'Z' || id === 'T') {
      // Z I / Z + / Z - and T I / T + / T -: the scale refused.
      if (tok.length === 2 && (st === 'I' || st === '+' || st === '-')) {
        this.emitStatus([st === 'I' ? 'busy' : st === '+' ? 'overload' : 'underload'], `${id} refused`);
        return true;
      }
      if (id === 'T' && st === 'S' && tok.length === 4) {
        const factor = unit === undefined ? undefined : TO_KG[unit];
        if (value === undefined || !NUMBER.test(value) || factor === undefined) return false;
        this.emitStatus(['tared'], undefined, { tareKg: round(Number(value) * factor, 6) });
        return true;
      }
      return false;
    }
    if (id === 'I4' && st === 'A') {
      this.emitStatus(
        ['reset'],
        line
          .slice(line.indexOf('A') + 1)
          .trim()
          .replace(/^"|"$/g, ''),
      );
      return true;
    }
    return false;
  }
}
