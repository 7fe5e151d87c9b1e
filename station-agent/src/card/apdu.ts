// ISO 7816-4 command/response APDUs, short and extended length.
import { ApduError, StatusError } from './errors.ts';

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (Nc = data.length). Omitted or empty means no Lc field. */
  data?: Uint8Array;
  /**
   * Ne: maximum number of response bytes expected. Omitted means no Le field.
   * 256 encodes as Le '00' (short); 65536 as '0000' (extended).
   */
  ne?: number;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw1: number;
  sw2: number;
  /** sw1 << 8 | sw2 */
  sw: number;
}

export const SW_OK = 0x9000;
export const MAX_SHORT_NC = 255;
export const MAX_SHORT_NE = 256;
export const MAX_EXTENDED_NC = 65535;
export const MAX_EXTENDED_NE = 65536;

export interface EncodeOptions {
  /** Force extended length even when short would fit (some chips need it for large reads). */
  extended?: boolean;
}

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new ApduError('bad-command', `${name} must be a byte, got ${v}`);
}

/** True when the command needs (or is asked for) extended-length encoding. */
export function needsExtended(cmd: CommandApdu, opts: EncodeOptions = {}): boolean {
  const nc = cmd.data?.length ?? 0;
  return opts.extended === true || nc > MAX_SHORT_NC || (cmd.ne ?? 0) > MAX_SHORT_NE;
}

export function encodeCommandApdu(cmd: CommandApdu, opts: EncodeOptions = {}): Uint8Array {
  checkByte('CLA', cmd.cla);
  checkByte('INS', cmd.ins);
  checkByte('P1', cmd.p1);
  checkByte('P2', cmd.p2);
  const data = cmd.data ?? new Uint8Array(0);
  const nc = data.length;
  const ne = cmd.ne;
  if (nc > MAX_EXTENDED_NC) throw new ApduError('bad-command', `command data of ${nc} bytes exceeds ${MAX_EXTENDED_NC}`);
  if (ne !== undefined && (!Number.isInteger(ne) || ne < 1 || ne > MAX_EXTENDED_NE)) {
    throw new ApduError('bad-command', `Ne must be 1..${MAX_EXTENDED_NE}, got ${ne}`);
  }
  const ext = needsExtended(cmd, opts);
  const out: number[] = [cmd.cla, cmd.ins, cmd.p1, cmd.p2];
  if (!ext) {
    if (nc > 0) out.push(nc, ...data);
    if (ne !== undefined) out.push(ne === MAX_SHORT_NE ? 0 : ne);
  } else {
    // Extended: a 00 marker, then 2-byte Lc and/or 2-byte Le (Le 0000 = 65536).
    if (nc > 0) out.push(0, nc >> 8, nc & 0xff, ...data);
    if (ne !== undefined) {
      const le = ne === MAX_EXTENDED_NE ? 0 : ne;
      if (nc === 0) out.push(0);
      out.push(le >> 8, le & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/**
 * Decodes a command APDU (used by the simulated chip in tests and later a vpcd card).
 * Rejects anything whose length bytes disagree with the buffer size.
 */
export function decodeCommandApdu(buf: Uint8Array): CommandApdu & { extended: boolean } {
  if (buf.length < 4) throw new ApduError('bad-command', `command APDU of ${buf.length} bytes is shorter than a header`);
  const [cla, ins, p1, p2] = [buf[0]!, buf[1]!, buf[2]!, buf[3]!];
  const rest = buf.length - 4;
  if (rest === 0) return { cla, ins, p1, p2, extended: false }; // case 1
  const b4 = buf[4]!;
  if (rest === 1) return { cla, ins, p1, p2, ne: b4 === 0 ? 256 : b4, extended: false }; // case 2S
  if (b4 !== 0) {
    // Short Lc
    const nc = b4;
    if (rest === 1 + nc) return { cla, ins, p1, p2, data: buf.slice(5, 5 + nc), extended: false }; // 3S
    if (rest === 2 + nc) {
      const le = buf[5 + nc]!;
      return { cla, ins, p1, p2, data: buf.slice(5, 5 + nc), ne: le === 0 ? 256 : le, extended: false }; // 4S
    }
    throw new ApduError('bad-command', `Lc ${nc} disagrees with ${rest} body bytes`);
  }
  // Extended forms start with 00.
  if (rest === 3) {
    const le = (buf[5]! << 8) | buf[6]!;
    return { cla, ins, p1, p2, ne: le === 0 ? 65536 : le, extended: true }; // 2E
  }
  if (rest < 3) throw new ApduError('bad-command', 'truncated extended length');
  const nc = (buf[5]! << 8) | buf[6]!;
  if (nc === 0) throw new ApduError('bad-command', 'extended Lc of zero');
  if (rest === 3 + nc) return { cla, ins, p1, p2, data: buf.slice(7, 7 + nc), extended: true }; // 3E
  if (rest === 5 + nc) {
    const le = (buf[7 + nc]! << 8) | buf[8 + nc]!;
    return { cla, ins, p1, p2, data: buf.slice(7, 7 + nc), ne: le === 0 ? 65536 : le, extended: true }; // 4E
  }
  throw new ApduError('bad-command', `extended Lc ${nc} disagrees with ${rest} body bytes`);
}

export function parseResponseApdu(buf: Uint8Array): ResponseApdu {
  if (buf.length < 2) throw new ApduError('bad-response', `response of ${buf.length} bytes has no status word`);
  const sw1 = buf[buf.length - 2]!;
  const sw2 = buf[buf.length - 1]!;
  return { data: buf.slice(0, buf.length - 2), sw1, sw2, sw: (sw1 << 8) | sw2 };
}

export function encodeResponseApdu(data: Uint8Array, sw: number): Uint8Array {
  if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff) throw new ApduError('bad-response', `bad status word ${sw}`);
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

const FIXED_MEANINGS: Record<number, string> = {
  0x9000: 'success',
  0x6281: 'part of returned data may be corrupted',
  0x6282: 'end of file reached before reading Ne bytes',
  0x6300: 'verification / authentication failed',
  0x6581: 'memory failure',
  0x6700: 'wrong length',
  0x6882: 'secure messaging not supported',
  0x6982: 'security status not satisfied',
  0x6983: 'authentication method blocked',
  0x6984: 'reference data not usable',
  0x6985: 'conditions of use not satisfied',
  0x6986: 'command not allowed (no current EF)',
  0x6987: 'expected secure messaging data objects missing',
  0x6988: 'incorrect secure messaging data objects',
  0x6a80: 'incorrect parameters in the command data field',
  0x6a82: 'file or application not found',
  0x6a86: 'incorrect parameters P1-P2',
  0x6a88: 'referenced data not found',
  0x6b00: 'wrong parameters (offset outside the EF)',
  0x6d00: 'instruction not supported',
  0x6e00: 'class not supported',
  0x6f00: 'no precise diagnosis',
};

/** Human-readable meaning of a status word, for logs and error messages. */
export function describeStatus(sw: number): string {
  const fixed = FIXED_MEANINGS[sw];
  if (fixed) return fixed;
  const sw1 = sw >> 8;
  const sw2 = sw & 0xff;
  if (sw1 === 0x61) return `${sw2 === 0 ? 256 : sw2} more response bytes available (GET RESPONSE)`;
  if (sw1 === 0x6c) return `wrong Le; exact length is ${sw2 === 0 ? 256 : sw2}`;
  if (sw1 === 0x63 && (sw2 & 0xf0) === 0xc0) return `verification failed, ${sw2 & 0x0f} tries left`;
  if (sw1 === 0x62 || sw1 === 0x63) return 'warning';
  return 'error';
}

export function isSuccess(sw: number): boolean {
  return sw === SW_OK;
}

/** Throws a StatusError unless the response's SW is one of `accepted`. */
export function requireStatus(res: ResponseApdu, what: string, accepted: readonly number[] = [SW_OK]): ResponseApdu {
  if (!accepted.includes(res.sw)) {
    throw new StatusError(res.sw, `${what} failed: SW ${swHex(res.sw)} (${describeStatus(res.sw)})`);
  }
  return res;
}
