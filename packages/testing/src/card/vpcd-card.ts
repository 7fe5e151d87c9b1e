// A virtual smart card for pcscd's vsmartcard-vpcd driver: it connects to the driver over TCP
// (connected = inserted, closed = removed) and answers with a chip implementation such as
// FakeChip, so tests exercise the real PC/SC stack end to end. Frames are a 2-byte big-endian
// length then the payload; 1-byte payloads are driver control messages, anything else an APDU.
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { Transport } from '@tram/station-agent/card/transport.ts';

export const VPCD_DEFAULT_PORT = 35963;
const CTRL_OFF = 0x00;
const CTRL_ON = 0x01;
const CTRL_RESET = 0x02;
const CTRL_ATR = 0x04;
/** The length prefix can express at most this; longer responses cannot be framed. */
const MAX_FRAME = 0xffff;

/** Builds an ATR with the given historical bytes, offering T=1 (default) or only T=0. */
export function makeAtr(historical: Uint8Array, protocol: 'T1' | 'T0' = 'T1'): Uint8Array {
  if (historical.length > 15) throw new RangeError('at most 15 historical bytes');
  if (protocol === 'T0') return Uint8Array.from([0x3b, historical.length, ...historical]); // no TCK for T=0 only
  // T0: TD1 follows, K historical bytes; TD1 = 01: protocol T=1, no further interface bytes.
  const body = [0x80 | historical.length, 0x01, ...historical];
  const tck = body.reduce((x, b) => x ^ b, 0); // TCK makes the XOR of T0..TCK zero when T=1 is offered
  return Uint8Array.from([0x3b, ...body, tck]);
}

/**
 * A T=1 ATR whose historical bytes carry card capabilities (COMPACT-TLV 73: selection by DF name,
 * and in the third byte b8 chaining and b7 extended Lc/Le when the chip supports it) and status 9000.
 */
export function emrtdAtr(opts: { extendedLength: boolean; protocol?: 'T1' | 'T0' }): Uint8Array {
  return makeAtr(Uint8Array.of(0x80, 0x73, 0x80, 0x21, opts.extendedLength ? 0xc0 : 0x80, 0x82, 0x90, 0x00), opts.protocol);
}

export const DEFAULT_ATR = emrtdAtr({ extendedLength: true });

/** One-shot misbehaviour, triggered by the first APDU for which `when` returns true. */
export interface Fault {
  /** `index` counts APDUs since insertion, from 0. */
  when: (apdu: Uint8Array, index: number) => boolean;
  /** drop: close the socket instead of answering (card pulled out mid-command);
   *  garbage: answer these bytes instead of the chip's response;
   *  silence: never answer (the driver times out). */
  action: 'drop' | 'silence' | { garbage: Uint8Array };
}

export interface VpcdCardOptions {
  /** A fresh chip per power-up: a reset or power cycle loses the chip's session, as on real cards. */
  chip: () => Transport;
  host?: string;
  port?: number;
  atr?: Uint8Array;
  /** Simulates a T=0 card's transport: data comes back as 61xx and needs GET RESPONSE; wrong Le gets 6Cxx. */
  t0?: boolean;
}

export class VpcdCardError extends Error {
  constructor(
    readonly code: 'frame' | 'connect' | 'too-large',
    message: string,
  ) {
    super(message);
    this.name = 'VpcdCardError';
  }
}

/**
 * Events: 'inserted', 'removed', 'apdu' (command, response), 'error' (VpcdCardError; only
 * emitted when a listener exists, so a misbehaving driver never crashes a test process).
 */
export class VpcdCard extends EventEmitter {
  private socket?: Socket;
  private chip?: Transport;
  private rx: Buffer = Buffer.alloc(0);
  private faults: Fault[] = [];
  private pendingT0?: Uint8Array; // data waiting for GET RESPONSE in T=0 mode
  private queue: Promise<void> = Promise.resolve();
  private apdus = 0;
  private readonly atr: Uint8Array;

  constructor(private readonly opts: VpcdCardOptions) {
    super();
    this.atr = opts.atr ?? DEFAULT_ATR;
    if (this.atr.length < 2 || this.atr.length > 33) throw new RangeError(`ATR must be 2..33 bytes, got ${this.atr.length}`);
  }

  get inserted(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  /** APDUs answered since the last insert(). */
  get apduCount(): number {
    return this.apdus;
  }

  /** Arms a one-shot fault (several may be armed; the first matching one fires). */
  injectFault(fault: Fault): void {
    this.faults.push(fault);
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Connects to the vpcd driver; resolves once the TCP connection is up (pcscd notices on its next poll). */
  insert(): Promise<void> {
    if (this.inserted) return Promise.resolve();
    this.rx = Buffer.alloc(0);
    this.apdus = 0;
    this.chip = undefined;
    this.pendingT0 = undefined;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.opts.host ?? '127.0.0.1', port: this.opts.port ?? VPCD_DEFAULT_PORT });
      socket.setNoDelay(true);
      const onConnectError = (err: Error) => reject(new VpcdCardError('connect', `cannot reach vpcd: ${err.message}`));
      socket.once('error', onConnectError);
      socket.once('connect', () => {
        socket.off('error', onConnectError);
        socket.on('error', () => socket.destroy()); // resets from the driver end the insertion, nothing more
        this.socket = socket;
        this.emit('inserted');
        resolve();
      });
      socket.on('data', (chunk) => this.onData(socket, chunk));
      socket.on('close', () => {
        if (this.socket === socket) {
          this.socket = undefined;
          this.chip = undefined;
          this.emit('removed');
        }
      });
    });
  }

  /** Closes the connection (card removed); resolves once the socket is closed. */
  remove(): Promise<void> {
    const s = this.socket;
    if (!s || s.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      s.once('close', () => resolve());
      s.destroy();
    });
  }

  private fail(socket: Socket, code: VpcdCardError['code'], message: string): void {
    if (this.listenerCount('error') > 0) this.emit('error', new VpcdCardError(code, message));
    socket.destroy();
  }

  private onData(socket: Socket, chunk: Buffer): void {
    this.rx = this.rx.length === 0 ? chunk : Buffer.concat([this.rx, chunk]);
    // The 2-byte prefix bounds each frame at 65535 bytes, so rx never needs to hold more than one
    // frame plus a partial header beyond what was already parsed.
    while (this.rx.length >= 2) {
      const len = this.rx.readUInt16BE(0);
      if (len === 0) {
        this.fail(socket, 'frame', 'empty frame from vpcd');
        return;
      }
      if (this.rx.length < 2 + len) break;
      const payload = Uint8Array.prototype.slice.call(this.rx, 2, 2 + len) as Uint8Array;
      this.rx = this.rx.subarray(2 + len);
      // Answers must go out in order even though the chip is async.
      this.queue = this.queue
        .then(() => this.handle(socket, payload))
        .catch((err: unknown) => {
          this.fail(socket, 'frame', `card failed: ${err instanceof Error ? err.message : String(err)}`);
        });
    }
  }

  private send(socket: Socket, payload: Uint8Array): void {
    if (socket.destroyed) return;
    if (payload.length > MAX_FRAME) {
      this.fail(socket, 'too-large', `response of ${payload.length} bytes cannot be framed`);
      return;
    }
    const frame = Buffer.allocUnsafe(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    socket.write(frame);
  }

  private async handle(socket: Socket, payload: Uint8Array): Promise<void> {
    if (socket.destroyed || socket !== this.socket) return;
    if (payload.length === 1) {
      switch (payload[0]) {
        case CTRL_OFF:
          this.chip = undefined;
          return;
        case CTRL_ON:
        case CTRL_RESET:
          this.chip = this.opts.chip();
          this.pendingT0 = undefined;
          return;
        case CTRL_ATR:
          return this.send(socket, this.atr);
        default:
          return this.fail(socket, 'frame', `unknown vpcd control byte ${payload[0]}`);
      }
    }
    const index = this.apdus++;
    const fault = this.faults.findIndex((f) => f.when(payload, index));
    if (fault >= 0) {
      const { action } = this.faults.splice(fault, 1)[0]!;
      if (action === 'drop') {
        socket.destroy();
        return;
      }
      if (action === 'silence') return;
      this.send(socket, action.garbage);
      return;
    }
    // The driver powers the card before the first APDU; tolerate drivers that skip it.
    this.chip ??= this.opts.chip();
    const response = this.opts.t0 ? await this.t0Transmit(payload) : await this.chip.transmit(payload);
    this.emit('apdu', payload, response);
    this.send(socket, response);
  }

  /** T=0 behaviour: Le mismatches get 6Cxx, response data is announced with 61xx and fetched with GET RESPONSE. */
  private async t0Transmit(apdu: Uint8Array): Promise<Uint8Array> {
    const chip = this.chip!;
    if (apdu.length === 5 && apdu[0] === 0x00 && apdu[1] === 0xc0) {
      const pending = this.pendingT0;
      if (!pending) return Uint8Array.of(0x6f, 0x00);
      const le = apdu[4] === 0 ? 256 : apdu[4]!;
      const part = pending.subarray(0, le);
      const rest = pending.subarray(part.length);
      this.pendingT0 = rest.length > 0 ? rest : undefined;
      const sw = rest.length > 0 ? [0x61, Math.min(rest.length, 256) & 0xff] : [0x90, 0x00];
      return Uint8Array.from([...part, ...sw]);
    }
    this.pendingT0 = undefined;
    const response = await chip.transmit(apdu);
    if (response.length < 2) return response;
    const data = response.subarray(0, response.length - 2);
    const sw = response.subarray(response.length - 2);
    if (apdu.length === 5 && data.length > 0) {
      // Case 2: a T=0 card refuses an Le that differs from what it has and names the right one.
      const le = apdu[4] === 0 ? 256 : apdu[4]!;
      if (le !== data.length && data.length <= 256) return Uint8Array.of(0x6c, data.length & 0xff);
      return response;
    }
    // Case 4 over T=0: the data cannot travel with the command's reply; announce it with 61xx.
    if (data.length === 0 || sw[0] !== 0x90) return response;
    this.pendingT0 = data;
    return Uint8Array.of(0x61, Math.min(data.length, 256) & 0xff);
  }
}
