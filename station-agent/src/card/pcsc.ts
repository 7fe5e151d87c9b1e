// PC/SC through the `pcsclite` native binding: reader hot-plug, per-reader status (card in/out),
// and a Transport for a connected card. Every failure of pcscd, the reader or the card becomes a
// PcscError with a stable code; nothing the binding reports is allowed to throw out of an event.
import { EventEmitter } from 'node:events';
import { CardError } from './errors.ts';
import type { Transport } from './transport.ts';

// ---- the parts of the binding we use (its bundled index.d.ts does not export CardReader) ----
interface NativeReader extends EventEmitter {
  name: string;
  connected: boolean;
  SCARD_SHARE_SHARED: number;
  SCARD_SHARE_EXCLUSIVE: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_STATE_PRESENT: number;
  SCARD_STATE_MUTE: number;
  SCARD_STATE_EMPTY: number;
  SCARD_LEAVE_CARD: number;
  SCARD_RESET_CARD: number;
  SCARD_UNPOWER_CARD: number;
  connect(opts: { share_mode?: number; protocol?: number }, cb: (err: Error | null | undefined, protocol: number) => void): void;
  disconnect(disposition: number, cb: (err: Error | null | undefined) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: Error | null | undefined, res: Buffer) => void): void;
  close(): void;
}
interface NativePcsc extends EventEmitter {
  readers: Record<string, NativeReader>;
  start(cb: (err: Error | undefined, data: Buffer) => void): void;
  close(): void;
}

export type PcscErrorCode =
  | 'unavailable' // the pcsclite binding could not be loaded
  | 'no-service' // pcscd is not running (or stopped)
  | 'no-reader' // no reader, or not the named one
  | 'reader-removed' // the reader went away
  | 'no-card' // no card in the reader
  | 'card-removed' // the card left the reader (before or during a command)
  | 'card-reset' // someone else reset the card: the session is gone
  | 'card-mute' // the card does not answer (bad ATR, dead chip)
  | 'busy' // another process holds the card exclusively
  | 'protocol' // neither T=0 nor T=1 could be agreed
  | 'timeout'
  | 'response-too-large'
  | 'bad-response' // the card's transport-level answer was malformed (e.g. an endless 61xx chain)
  | 'transmit-failed' // the driver could not exchange the APDU
  | 'closed' // used after close()
  | 'unknown';

export class PcscError extends CardError {
  constructor(
    readonly code: PcscErrorCode,
    message: string,
    /** The PC/SC return code (SCARD_E_…/SCARD_W_…) when there was one. */
    readonly scardCode?: number,
  ) {
    super(message);
  }
}

const SCARD_CODES: Record<number, PcscErrorCode> = {
  0x80100003: 'closed', // SCARD_E_INVALID_HANDLE
  0x80100008: 'response-too-large', // SCARD_E_INSUFFICIENT_BUFFER
  0x80100009: 'no-reader', // SCARD_E_UNKNOWN_READER
  0x8010000a: 'timeout', // SCARD_E_TIMEOUT
  0x8010000b: 'busy', // SCARD_E_SHARING_VIOLATION
  0x8010000c: 'no-card', // SCARD_E_NO_SMARTCARD
  0x8010000f: 'protocol', // SCARD_E_PROTO_MISMATCH
  0x80100016: 'transmit-failed', // SCARD_E_NOT_TRANSACTED
  0x80100017: 'reader-removed', // SCARD_E_READER_UNAVAILABLE
  0x8010001d: 'no-service', // SCARD_E_NO_SERVICE
  0x8010001e: 'no-service', // SCARD_E_SERVICE_STOPPED
  0x8010002e: 'no-reader', // SCARD_E_NO_READERS_AVAILABLE
  0x80100066: 'card-mute', // SCARD_W_UNRESPONSIVE_CARD
  0x80100067: 'card-mute', // SCARD_W_UNPOWERED_CARD
  0x80100068: 'card-reset', // SCARD_W_RESET_CARD
  0x80100069: 'card-removed', // SCARD_W_REMOVED_CARD
};

/** Maps a binding error ("SCardTransmit error: Card was removed.(0x80100069)") to a PcscError. */
export function toPcscError(err: unknown, what: string): PcscError {
  if (err instanceof PcscError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const m = /\(0x([0-9a-fA-F]{8})\)/.exec(message);
  const scard = m ? Number.parseInt(m[1]!, 16) : undefined;
  const code = scard !== undefined ? (SCARD_CODES[scard] ?? 'unknown') : 'unknown';
  return new PcscError(code, `${what}: ${message}`, scard);
}

type CreatePcsc = () => NativePcsc;
let loaded: Promise<CreatePcsc> | undefined;

/** Loads the native binding lazily so a machine without it gets a typed error, not an import crash. */
function loadBinding(): Promise<CreatePcsc> {
  loaded ??= import('pcsclite').then(
    (mod) => ((mod as { default?: unknown }).default ?? mod) as unknown as CreatePcsc,
    (err: unknown) => {
      loaded = undefined;
      throw new PcscError('unavailable', `the pcsclite binding cannot be loaded: ${err instanceof Error ? err.message : String(err)}`);
    },
  );
  return loaded;
}

export interface ReaderStatus {
  name: string;
  /** SCARD_STATE_* bits as last reported. */
  state: number;
  cardPresent: boolean;
  atr?: Uint8Array;
}

export interface ConnectOptions {
  /** Which protocol to accept; default either (the card's ATR decides). */
  protocol?: 'T0' | 'T1' | 'any';
  /** Exclusive by default: nobody else may interleave APDUs with our secure messaging. */
  shared?: boolean;
}

interface ReaderEntry {
  native: NativeReader;
  status?: ReaderStatus;
  transport?: PcscTransport;
}

/**
 * One PC/SC context. Events:
 *  'reader-added' (name), 'reader-removed' (name),
 *  'status' (ReaderStatus, previous: ReaderStatus | undefined), 'error' (PcscError; only if listened to).
 */
export class Pcsc extends EventEmitter {
  private readonly entries = new Map<string, ReaderEntry>();
  private closed = false;
  private statusWaiters: (() => void)[] = [];

  private constructor(private readonly native: NativePcsc) {
    super();
  }

  /**
   * Opens a context and waits until the reader list and each reader's first status are known,
   * so readers() is accurate on return. Throws PcscError('no-service') when pcscd is down.
   */
  static async open(opts: { settleMs?: number } = {}): Promise<Pcsc> {
    const create = await loadBinding();
    let native: NativePcsc;
    try {
      native = create();
    } catch (err) {
      throw toPcscError(err, 'cannot reach pcscd');
    }
    const pcsc = new Pcsc(native);
    await pcsc.attach(opts.settleMs ?? 2000);
    return pcsc;
  }

  private attach(settleMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let firstList = true;
      const timer = setTimeout(() => resolve(), settleMs); // never hang a caller on a silent pcscd
      // The binding starts its reader-list thread on the next tick; wrap start() so we learn
      // when the first list arrived (it emits nothing at all when there are no readers).
      const start = this.native.start.bind(this.native);
      this.native.start = (cb) =>
        start((err, data) => {
          cb(err, data);
          if (!firstList) return;
          firstList = false;
          if (err) {
            clearTimeout(timer);
            reject(toPcscError(err, 'listing readers'));
            return;
          }
          void this.allStatusesKnown().then(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      this.native.on('error', (err: unknown) => this.report(toPcscError(err, 'PC/SC reader monitor')));
      this.native.on('reader', (reader: NativeReader) => this.addReader(reader));
    });
  }

  private async allStatusesKnown(): Promise<void> {
    while (!this.closed && [...this.entries.values()].some((e) => !e.status)) {
      await new Promise<void>((r) => this.statusWaiters.push(r));
    }
  }

  private report(err: PcscError): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  private addReader(native: NativeReader): void {
    const entry: ReaderEntry = { native };
    this.entries.set(native.name, entry);
    native.on('error', (err: unknown) => this.report(toPcscError(err, `reader ${native.name}`)));
    native.on('status', (s: { state: number; atr?: Buffer }) => {
      const previous = entry.status;
      const present = (s.state & native.SCARD_STATE_PRESENT) !== 0;
      entry.status = {
        name: native.name,
        state: s.state,
        cardPresent: present,
        atr: present && s.atr && s.atr.length > 0 ? Uint8Array.from(s.atr) : undefined,
      };
      if (!present) entry.transport?.markRemoved();
      this.wakeStatusWaiters();
      this.emit('status', entry.status, previous);
    });
    native.on('end', () => {
      entry.transport?.markRemoved('reader-removed');
      this.entries.delete(native.name);
      this.wakeStatusWaiters();
      this.emit('reader-removed', native.name);
    });
    this.emit('reader-added', native.name);
  }

  private wakeStatusWaiters(): void {
    const w = this.statusWaiters;
    this.statusWaiters = [];
    for (const f of w) f();
  }

  readers(): ReaderStatus[] {
    return [...this.entries.values()].map((e) => e.status ?? { name: e.native.name, state: 0, cardPresent: false });
  }

  reader(name: string): ReaderStatus | undefined {
    const e = this.entries.get(name);
    return e && (e.status ?? { name, state: 0, cardPresent: false });
  }

  /** Connects to the card in `readerName`. */
  async connect(readerName: string, opts: ConnectOptions = {}): Promise<PcscTransport> {
    if (this.closed) throw new PcscError('closed', 'PC/SC context is closed');
    const entry = this.entries.get(readerName);
    if (!entry) throw new PcscError('no-reader', `no reader named ${JSON.stringify(readerName)}; readers: ${[...this.entries.keys()].join(', ') || 'none'}`);
    if (entry.transport && !entry.transport.isClosed) throw new PcscError('busy', `reader ${readerName} is already connected here`);
    const r = entry.native;
    // The binding's `connected` flag survives a removed card; clear it so connect() really connects.
    r.connected = false;
    const wanted = opts.protocol === 'T0' ? r.SCARD_PROTOCOL_T0 : opts.protocol === 'T1' ? r.SCARD_PROTOCOL_T1 : r.SCARD_PROTOCOL_T0 | r.SCARD_PROTOCOL_T1;
    const protocol = await new Promise<number>((resolve, reject) => {
      r.connect({ share_mode: opts.shared ? r.SCARD_SHARE_SHARED : r.SCARD_SHARE_EXCLUSIVE, protocol: wanted }, (err, p) =>
        err ? reject(toPcscError(err, `connecting to the card in ${readerName}`)) : resolve(p),
      );
    });
    const transport = new PcscTransport(r, protocol, {
      onClose: () => {
        if (entry.transport === transport) entry.transport = undefined;
      },
      // pcscd polls vpcd-style drivers every ~400 ms, so a pulled card shows up shortly after the failure.
      confirmRemoval: (ms) =>
        this.waitForStatus(readerName, (s) => !s.cardPresent, ms).then(
          () => true,
          () => !this.entries.has(readerName),
        ),
    });
    entry.transport = transport;
    return transport;
  }

  /** Resolves with the status once `predicate` holds for `readerName` (or rejects on timeout). */
  waitForStatus(readerName: string, predicate: (s: ReaderStatus) => boolean, timeoutMs: number): Promise<ReaderStatus> {
    const now = this.reader(readerName);
    if (now && predicate(now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('status', onStatus);
        reject(new PcscError('timeout', `reader ${readerName} did not reach the expected state in ${timeoutMs} ms`));
      }, timeoutMs);
      const onStatus = (s: ReaderStatus) => {
        if (s.name !== readerName || !predicate(s)) return;
        clearTimeout(timer);
        this.off('status', onStatus);
        resolve(s);
      };
      this.on('status', onStatus);
    });
  }

  /** Disconnects cards and stops the monitor threads (the process cannot exit before this). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.entries.values()].map((e) => e.transport?.close().catch(() => {})));
    for (const e of this.entries.values()) {
      try {
        e.native.close();
      } catch {
        // already ended
      }
    }
    this.entries.clear();
    try {
      this.native.close();
    } catch {
      // pcscd already gone
    }
    this.wakeStatusWaiters();
    this.removeAllListeners();
  }
}

const REMOVAL_CONFIRM_MS = 1200;
const GET_RESPONSE_LIMIT = 300; // 300 × 256 bytes covers any eMRTD response; more is a broken card
/** Receive buffer: the largest extended response (65536 data bytes + SW). */
const MAX_RESPONSE = 65538;

/** A connected card. transmit() handles T=0's 61xx (GET RESPONSE) and 6Cxx (wrong Le) itself. */
export class PcscTransport implements Transport {
  private queue: Promise<unknown> = Promise.resolve();
  private removed?: PcscErrorCode;
  private closedFlag = false;
  /** APDUs actually exchanged with the card, GET RESPONSE and re-sends included. */
  apduCount = 0;

  constructor(
    private readonly reader: NativeReader,
    readonly protocol: number,
    private readonly hooks: { onClose: () => void; confirmRemoval: (ms: number) => Promise<boolean> },
  ) {}

  get protocolName(): 'T0' | 'T1' | 'other' {
    return this.protocol === this.reader.SCARD_PROTOCOL_T1 ? 'T1' : this.protocol === this.reader.SCARD_PROTOCOL_T0 ? 'T0' : 'other';
  }

  get readerName(): string {
    return this.reader.name;
  }

  get isClosed(): boolean {
    return this.closedFlag;
  }

  /** Called by the monitor when the card or reader disappears; pending and later commands fail typed. */
  markRemoved(code: 'card-removed' | 'reader-removed' = 'card-removed'): void {
    this.removed ??= code;
  }

  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    // Serialised: a GET RESPONSE chain must not interleave with another command.
    const run = this.queue.then(() => this.exchange(apdu));
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * One exchange with the card. A driver failure or an answer without a status word usually
   * means the card was pulled mid-command (vpcd then reports an empty answer): confirm with the
   * reader status so the caller gets 'card-removed' rather than a vague transport error.
   */
  private async raw(apdu: Uint8Array): Promise<Uint8Array> {
    let res: Uint8Array;
    try {
      res = await this.rawOnce(apdu);
    } catch (err) {
      if (err instanceof PcscError && (err.code === 'transmit-failed' || err.code === 'unknown') && !this.removed) {
        if (await this.hooks.confirmRemoval(REMOVAL_CONFIRM_MS)) this.markRemoved();
        if (this.removed) throw new PcscError(this.removed, err.message, err.scardCode);
      }
      throw err;
    }
    if (res.length < 2) {
      if (!this.removed && (await this.hooks.confirmRemoval(REMOVAL_CONFIRM_MS))) this.markRemoved();
      if (this.removed) throw new PcscError(this.removed, `the card was removed during a command`);
      throw new PcscError('bad-response', `card answered ${res.length} bytes, no status word`);
    }
    return res;
  }

  private rawOnce(apdu: Uint8Array): Promise<Uint8Array> {
    if (this.closedFlag) return Promise.reject(new PcscError('closed', 'card connection is closed'));
    if (this.removed) return Promise.reject(new PcscError(this.removed, `the ${this.removed === 'reader-removed' ? 'reader' : 'card'} was removed`));
    this.apduCount++;
    return new Promise((resolve, reject) => {
      this.reader.transmit(Buffer.from(apdu), MAX_RESPONSE, this.protocol, (err, res) => {
        if (err) {
          const e = toPcscError(err, 'transmit');
          // A removal noticed by the monitor explains a generic driver failure better.
          reject(this.removed && (e.code === 'transmit-failed' || e.code === 'unknown' || e.code === 'closed') ? new PcscError(this.removed, e.message, e.scardCode) : e);
        } else resolve(Uint8Array.from(res));
      });
    });
  }

  private async exchange(apdu: Uint8Array): Promise<Uint8Array> {
    let res = await this.raw(apdu);
    let sw1 = res[res.length - 2]!;
    let sw2 = res[res.length - 1]!;
    if (sw1 === 0x6c && res.length === 2 && hasShortLe(apdu)) {
      // Wrong Le: the card names the right one; send the same command again with it (once).
      const again = Uint8Array.from(apdu);
      again[again.length - 1] = sw2;
      res = await this.raw(again);
      sw1 = res[res.length - 2]!;
      sw2 = res[res.length - 1]!;
    }
    if (sw1 !== 0x61) return res;
    // 61xx: more data waits; fetch it with GET RESPONSE until the card says 9000 (or an error).
    const parts: Uint8Array[] = [res.subarray(0, res.length - 2)];
    let total = parts[0]!.length;
    for (let i = 0; i < GET_RESPONSE_LIMIT; i++) {
      const next = await this.raw(Uint8Array.of(apdu[0]! & 0x03, 0xc0, 0x00, 0x00, sw2));
      const data = next.subarray(0, next.length - 2);
      total += data.length;
      if (total > MAX_RESPONSE - 2) throw new PcscError('bad-response', `GET RESPONSE chain exceeds ${MAX_RESPONSE - 2} bytes`);
      parts.push(data);
      sw1 = next[next.length - 2]!;
      sw2 = next[next.length - 1]!;
      if (sw1 !== 0x61) {
        const out = new Uint8Array(total + 2);
        let at = 0;
        for (const p of parts) {
          out.set(p, at);
          at += p.length;
        }
        out[total] = sw1;
        out[total + 1] = sw2;
        return out;
      }
    }
    throw new PcscError('bad-response', `card kept answering 61xx after ${GET_RESPONSE_LIMIT} GET RESPONSE commands`);
  }

  /** Ends the connection; `reset` (default) drops the chip's session so the next reader starts clean. */
  async close(disposition: 'leave' | 'reset' | 'unpower' = 'reset'): Promise<void> {
    if (this.closedFlag) return;
    await this.queue;
    this.closedFlag = true;
    this.hooks.onClose();
    const r = this.reader;
    const d = disposition === 'leave' ? r.SCARD_LEAVE_CARD : disposition === 'unpower' ? r.SCARD_UNPOWER_CARD : r.SCARD_RESET_CARD;
    await new Promise<void>((resolve) => {
      try {
        r.disconnect(d, () => resolve()); // a failure here means the card is gone already
      } catch {
        resolve();
      }
    });
    r.connected = false;
  }
}

/** True for a short case-2 or case-4 command (its last byte is Le), the only ones 6Cxx can fix. */
function hasShortLe(apdu: Uint8Array): boolean {
  if (apdu.length === 5) return true;
  if (apdu.length < 6 || apdu[4] === 0) return false;
  return apdu.length === 6 + apdu[4]!;
}
