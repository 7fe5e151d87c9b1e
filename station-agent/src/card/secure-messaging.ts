// ICAO 9303-11 §9.8 secure messaging, reader side.
// The message format is cipher-independent; a SmCipher supplies encryption and MAC so
// DES (BAC) and AES (PACE / CA) share the framing, SSC handling and verification below.
import { type CommandApdu, type ResponseApdu, encodeCommandApdu, MAX_SHORT_NC, MAX_SHORT_NE, parseResponseApdu } from './apdu.ts';
import { concat, equalBytes } from './bytes.ts';
import { CardError, SecureMessagingError, TlvError } from './errors.ts';
import { pad, unpad } from './padding.ts';
import { encodeTlv, parseTlvList, type Tlv } from '@tram/icao/tlv.ts';
import type { ApduChannel, Transport } from './transport.ts';

export interface SmCipher {
  /** 8 for DES, 16 for AES: the padding block size and the SSC length. */
  readonly blockSize: number;
  /** Encrypts already padded data; `ssc` is the current (already incremented) counter. */
  encrypt(padded: Uint8Array, ssc: Uint8Array): Uint8Array;
  decrypt(ciphertext: Uint8Array, ssc: Uint8Array): Uint8Array;
  /** 8-byte MAC over already padded input (which starts with the SSC). */
  mac(padded: Uint8Array): Uint8Array;
}

const TAG_ENC_ODD = 0x85; // cryptogram, no padding indicator (odd INS: plain data is BER-TLV)
const TAG_ENC = 0x87; // padding indicator 01 ‖ cryptogram
const TAG_LE = 0x97;
const TAG_STATUS = 0x99;
const TAG_MAC = 0x8e;
const PADDING_INDICATOR = 0x01;
const MAC_LENGTH = 8;

/** Big-endian increment with carry; wraps to zero past all-FF like the chip's counter. */
export function incrementSsc(ssc: Uint8Array): void {
  for (let i = ssc.length - 1; i >= 0; i--) {
    ssc[i] = (ssc[i]! + 1) & 0xff;
    if (ssc[i] !== 0) return;
  }
}

/** Encodes Ne for DO'97': one byte (256 → 00) or two bytes when extended (65536 → 0000). */
function encodeLe(ne: number, extended: boolean): Uint8Array {
  if (!extended) return Uint8Array.of(ne === MAX_SHORT_NE ? 0 : ne);
  const le = ne === 65536 ? 0 : ne;
  return Uint8Array.of(le >> 8, le & 0xff);
}

export class SecureMessaging {
  private readonly ssc: Uint8Array;
  private closed = false;

  constructor(
    private readonly cipher: SmCipher,
    initialSsc: Uint8Array,
  ) {
    if (initialSsc.length !== cipher.blockSize) {
      throw new SecureMessagingError('bad-structure', `SSC must be ${cipher.blockSize} bytes, got ${initialSsc.length}`);
    }
    this.ssc = Uint8Array.from(initialSsc);
  }

  /** Copy of the current send sequence counter (for tests and diagnostics). */
  get sendSequenceCounter(): Uint8Array {
    return Uint8Array.from(this.ssc);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Marks the session unusable; the chip discards its SM keys after any SM error. */
  close(): void {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new SecureMessagingError('session-closed', 'secure messaging session is closed');
  }

  /** Builds the protected command APDU (SSC is incremented first). */
  protectCommand(cmd: CommandApdu, opts: { extended?: boolean } = {}): Uint8Array {
    this.assertOpen();
    const bs = this.cipher.blockSize;
    const cla = cmd.cla | 0x0c; // CLA bits b4,b3 = 11: SM with authenticated header
    const header = Uint8Array.of(cla, cmd.ins, cmd.p1, cmd.p2);
    const longLe = cmd.ne !== undefined && cmd.ne > MAX_SHORT_NE;
    incrementSsc(this.ssc);

    let doData: Uint8Array = new Uint8Array(0);
    if (cmd.data && cmd.data.length > 0) {
      const enc = this.cipher.encrypt(pad(cmd.data, bs), this.ssc);
      doData = (cmd.ins & 1) === 1 ? encodeTlv(TAG_ENC_ODD, enc) : encodeTlv(TAG_ENC, concat(Uint8Array.of(PADDING_INDICATOR), enc));
    }
    const doLe = cmd.ne !== undefined ? encodeTlv(TAG_LE, encodeLe(cmd.ne, longLe || opts.extended === true)) : new Uint8Array(0);
    const macInput = pad(concat(this.ssc, pad(header, bs), doData, doLe), bs);
    const doMac = encodeTlv(TAG_MAC, this.cipher.mac(macInput));
    const body = concat(doData, doLe, doMac);
    const extended = opts.extended === true || longLe || body.length > MAX_SHORT_NC;
    return encodeCommandApdu({ cla, ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, data: body, ne: extended ? 65536 : 256 }, { extended });
  }

  /**
   * Verifies and decrypts a protected response (SSC is incremented first).
   * Any failure closes the session: continuing after a bad MAC would be unsafe
   * and the chip has dropped its keys anyway.
   */
  unprotectResponse(raw: Uint8Array): ResponseApdu {
    this.assertOpen();
    try {
      return this.unprotect(raw);
    } catch (err) {
      this.closed = true;
      throw err;
    }
  }

  private unprotect(raw: Uint8Array): ResponseApdu {
    const bs = this.cipher.blockSize;
    const res = parseResponseApdu(raw);
    if (res.data.length === 0) {
      throw new SecureMessagingError(
        'unprotected-response',
        `chip answered SW ${res.sw.toString(16).toUpperCase().padStart(4, '0')} without secure messaging`,
        res.sw,
      );
    }
    let dos: Tlv[];
    try {
      dos = parseTlvList(res.data);
    } catch (err) {
      if (err instanceof TlvError) throw new SecureMessagingError('bad-structure', `malformed SM data objects: ${err.message}`, res.sw);
      throw err;
    }
    // Expected order: [DO'87' | DO'85'], DO'99', DO'8E' (last).
    let i = 0;
    let encrypted: Tlv | undefined;
    if (dos[i] && (dos[i]!.tag === TAG_ENC || dos[i]!.tag === TAG_ENC_ODD)) encrypted = dos[i++];
    const status = dos[i]?.tag === TAG_STATUS ? dos[i++] : undefined;
    const mac = dos[i]?.tag === TAG_MAC ? dos[i++] : undefined;
    if (!status || !mac || i !== dos.length) {
      throw new SecureMessagingError(
        'bad-structure',
        `unexpected SM data objects: ${dos.map((d) => d.tag.toString(16)).join(',')}`,
        res.sw,
      );
    }
    if (mac.length !== MAC_LENGTH) throw new SecureMessagingError('bad-structure', `DO'8E' of ${mac.length} bytes`, res.sw);
    if (status.length !== 2) throw new SecureMessagingError('bad-structure', `DO'99' of ${status.length} bytes`, res.sw);

    incrementSsc(this.ssc);
    const macInput = pad(concat(this.ssc, res.data.subarray(0, mac.offset)), bs);
    if (!equalBytes(this.cipher.mac(macInput), mac.value)) {
      throw new SecureMessagingError('bad-mac', 'response MAC does not verify', res.sw);
    }
    const sw = (status.value[0]! << 8) | status.value[1]!;
    if (sw !== res.sw) {
      throw new SecureMessagingError('status-mismatch', `DO'99' ${sw.toString(16)} differs from trailer ${res.sw.toString(16)}`, res.sw);
    }

    let data: Uint8Array = new Uint8Array(0);
    if (encrypted) {
      let ct = encrypted.value;
      if (encrypted.tag === TAG_ENC) {
        if (ct[0] !== PADDING_INDICATOR) throw new SecureMessagingError('bad-structure', "DO'87' padding indicator is not 01", res.sw);
        ct = ct.subarray(1);
      }
      if (ct.length === 0 || ct.length % bs !== 0) {
        throw new SecureMessagingError('bad-structure', `cryptogram of ${ct.length} bytes is not whole blocks`, res.sw);
      }
      try {
        data = unpad(this.cipher.decrypt(ct, this.ssc), bs);
      } catch (err) {
        if (err instanceof CardError && !(err instanceof SecureMessagingError)) {
          throw new SecureMessagingError('bad-padding', `decrypted data: ${err.message}`, res.sw);
        }
        throw err;
      }
    }
    return { data, sw1: sw >> 8, sw2: sw & 0xff, sw };
  }
}

/** ApduChannel that protects every command and verifies every response. */
export class SecureChannel implements ApduChannel {
  constructor(
    private readonly transport: Transport,
    readonly sm: SecureMessaging,
  ) {}

  async send(cmd: CommandApdu): Promise<ResponseApdu> {
    const raw = await this.transport.transmit(this.sm.protectCommand(cmd));
    return this.sm.unprotectResponse(raw);
  }
}
