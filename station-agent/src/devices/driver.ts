/**
 * What a serial device driver is: the line settings from the device's
 * document, the reading kinds it can be asked for, and a factory that wraps
 * the protocol decoder for one open port. The port itself (open, reconnect,
 * status) lives in serial-device.ts, so a driver is only protocol knowledge.
 */
import type { BoothKind } from '@tram/contracts';
import type { DecoderOptions, DecoderStats } from './common.ts';

export type Protocol = 'mt-sics' | 'and-standard' | 'cms50d-legacy' | 'cms50d-v7' | 'nibp2010' | 'a02yyuw' | 'gy-mcu90614';

export interface SerialSettings {
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

/** What measure() did: sent the device's start/query command, or the device streams on its own. */
export type MeasureOutcome = 'sent' | 'streaming';

/** One open port's protocol state. A new session is made on every (re)connect so partial frames never carry over. */
export interface DriverSession {
  push(chunk: Uint8Array): void;
  readonly stats: DecoderStats;
  /** Called once the port is open: put the device in the mode the booth needs (live data, continuous output). */
  onOpen(): void;
  measure(): MeasureOutcome;
  /** Port closed: stop timers; never writes. */
  close(): void;
}

export interface DeviceDriver {
  protocol: Protocol;
  model: string;
  /** Reading kinds this device can be asked to measure (the first is its main kind). */
  kinds: readonly BoothKind[];
  serial: SerialSettings;
  /**
   * Default for how often a value from this device is recorded (vitals/recording-policy.ts):
   * streaming devices are thinned, a device that measures in discrete cycles (the cuff) is not.
   */
  recordIntervalMs: number;
  /** Throws a readable error for bad options (called when the configuration is loaded). */
  checkOptions(options: Readonly<Record<string, unknown>>): void;
  open(decoder: DecoderOptions, options: Readonly<Record<string, unknown>>): DriverSession;
}

export const serial8N1 = (baudRate: number): SerialSettings => ({ baudRate, dataBits: 8, parity: 'none', stopBits: 1 });

export function numberOption(options: Readonly<Record<string, unknown>>, key: string, required: boolean): number | undefined {
  const v = options[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`option ${key} must be a number`);
  return v;
}

export function booleanOption(options: Readonly<Record<string, unknown>>, key: string): boolean | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new Error(`option ${key} must be true or false`);
  return v;
}
