// The link to the chip: PcscTransport (pcsc.ts) on a kiosk, the virtual chips of @tram/testing in tests.
import { type CommandApdu, type ResponseApdu, encodeCommandApdu, parseResponseApdu } from './apdu.ts';

export interface Transport {
  /** Sends a raw command APDU; resolves with response data followed by SW1 SW2. */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

/**
 * Sends structured commands and returns structured responses. Plain and
 * secure-messaging links both implement it, so file reading is agnostic.
 */
export interface ApduChannel {
  send(cmd: CommandApdu): Promise<ResponseApdu>;
}

/** Unprotected channel (before BAC/PACE, or for EF.CardAccess). */
export class PlainChannel implements ApduChannel {
  constructor(private readonly transport: Transport) {}

  async send(cmd: CommandApdu): Promise<ResponseApdu> {
    return parseResponseApdu(await this.transport.transmit(encodeCommandApdu(cmd)));
  }
}
