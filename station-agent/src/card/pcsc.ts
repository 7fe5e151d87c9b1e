// PC/SC through `pcsc-mini` (prebuilt N-API binaries, libpcsclite.so.1 linked at run time, so no
// native build at install and no rebuild per Node ABI): reader hot-plug, per-reader status (card
// in/out), and a Transport for a connected card. Every failure of pcscd, the reader or the card
// becomes a PcscError with a stable code; nothing the binding reports is allowed to throw out of an
// event. API: node_modules/pcsc-mini/build/*.d.ts; behaviour: github.com/kofi-q/pcsc-mini src/*.zig.
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type * as Mini from 'pcsc-mini';
import { CardError } from './errors.ts';
import type { Transport } from './transport.ts';

type MiniModule = typeof Mini;

export type PcscErrorCode =
  | 'unavailable' // the pcsc-mini binding (or libpcsclite.so.1) could not be loaded
  | 'no-service' // pcscd is not running (or stopped)
  | 'no-reader' // no reader, or not the named one
  | 'reader-removed' // the reader went away
  | 'no-card' // no card in the reader
  | 'card-removed' // the card left the reader (before or during a command)
  | 'card-reset' // someone else reset the card: the session is gone
  | 'card-mute' // the card does not answer (bad ATR, dead chip)
  | 'busy' // another process holds the card exclusively (or too many connections here)
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

/**
 * pcsc-mini rejects with `err.code` set to the name of the PC/SC result (pcsc-z src/err.zig) or of
 * its own failure (pcsc-mini src/*.zig). The SCARD_* numbers are kept for support logs.
 */
const BINDING_CODES: Record<string, [PcscErrorCode, number?]> = {
  NoService: ['no-service', 0x8010001d],
  ServiceStopped: ['no-service', 0x8010001e],
  Shutdown: ['no-service', 0x80100018],
  SystemCancelled: ['no-service', 0x80100012],
  UnknownReader: ['no-reader', 0x80100009],
  NoReadersAvailable: ['no-reader', 0x8010002e],
  ReaderUnavailable: ['reader-removed', 0x80100017],
  NoSmartCard: ['no-card', 0x8010000c],
  RemovedCard: ['card-removed', 0x80100069],
  ResetCard: ['card-reset', 0x80100068],
  UnresponsiveCard: ['card-mute', 0x80100066],
  UnpoweredCard: ['card-mute', 0x80100067],
  UnsupportedCard: ['card-mute', 0x80100065],
  SharingViolation: ['busy', 0x8010000b],
  ProtoMismatch: ['protocol', 0x8010000f],
  Timeout: ['timeout', 0x8010000a],
  InsufficientBuffer: ['response-too-large', 0x80100008],
  NotTransacted: ['transmit-failed', 0x80100016],
  CommError: ['transmit-failed', 0x80100013],
  CommDataLost: ['transmit-failed', 0x8010002f],
  InvalidHandle: ['closed', 0x80100003],
  NoCardConnection: ['closed'], // pcsc-mini: the session was disconnected
  CardIsBusy: ['busy'], // pcsc-mini: one operation per card at a time (our queue prevents it)
  TooManyCardConnections: ['busy'], // pcsc-mini keeps at most 4 card sessions per client
  TooManyConnectRequests: ['busy'],
};

/** Maps a binding error ("[ RemovedCard ] - Error in native function", code 'RemovedCard') to a PcscError. */
export function toPcscError(err: unknown, what: string): PcscError {
  if (err instanceof PcscError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const name = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined;
  const [code, scard] = (name !== undefined && BINDING_CODES[name]) || ['unknown' as const];
  return new PcscError(code, `${what}: ${name ?? message}`, scard);
}

let loaded: Promise<MiniModule> | undefined;

/** Loads the binding lazily so a machine without it (or without libpcsclite) gets a typed error, not an import crash. */
function loadBinding(): Promise<MiniModule> {
  loaded ??= import('pcsc-mini').then(
    (mod) => ((mod as { default?: MiniModule }).default ?? mod) as MiniModule,
    (err: unknown) => {
      loaded = undefined;
      throw new PcscError(
        'unavailable',
        `the PC/SC binding (pcsc-mini, libpcsclite.so.1) cannot be loaded: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      );
    },
  );
  return loaded;
}

export interface ReaderStatus {
  name: string;
  /** SCARD_STATE_* bits as last reported (the high 16 bits count events). */
  state: number;
  cardPresent: boolean;
  /** Known once the card was connected to (the binding's status events carry no usable ATR). */
  atr?: Uint8Array;
}

export interface ConnectOptions {
  /** Which protocol to accept; default either (the card's ATR decides). */
  protocol?: 'T0' | 'T1' | 'any';
  /** Exclusive by default: nobody else may interleave APDUs with our secure messaging. */
  shared?: boolean;
}

interface ReaderEntry {
  native: Mini.Reader;
  status?: ReaderStatus;
  transport?: PcscTransport;
}

/** After the first reader status, how long without another one means the initial list is complete. */
const SETTLE_QUIET_MS = 50;
/**
 * pcsc-lite ignores an SCardCancel that arrives while the monitor thread is between a wake-up and
 * its next SCardGetStatusChange, and pcsc-mini's stop() then waits on that thread forever with the
 * event loop blocked (reproduced: stop() inside a status handler hung within the first few tries). Every
 * wake-up posts an event and the thread waits again a moment after posting, so close() stops the
 * monitor only once no event has come for this long (150 of 150 tries under full CPU load).
 */
const STOP_QUIET_MS = 100;
const STOP_QUIET_CAP_MS = 2000;

/**
 * One PC/SC context. Events:
 *  'reader-added' (name), 'reader-removed' (name),
 *  'status' (ReaderStatus, previous: ReaderStatus | undefined),
 *  'error' (PcscError, a monitor hiccup it survives; only if listened to),
 *  'ended' (PcscError): the monitor stopped for good (pcscd went away); open a new context to go on.
 */
export class Pcsc extends EventEmitter {
  private readonly entries = new Map<string, ReaderEntry>();
  private closed = false;
  private endedWith?: PcscError;
  /** When the monitor thread last posted an event (or we changed a reader's state): see STOP_QUIET_MS. */
  private lastEventAt = performance.now();
  /** Pending waitForStatus() calls: close() rejects them, so no timer outlives the context. */
  private readonly waiters = new Set<(err: PcscError) => void>();

  private constructor(
    private readonly mini: MiniModule,
    private readonly client: Mini.Client,
  ) {
    super();
  }

  /**
   * Opens a context and waits until the reader list and each reader's first status are known,
   * so readers() is accurate on return. Throws PcscError('unavailable') without the binding and
   * PcscError('no-service') when pcscd is down.
   */
  static async open(opts: { settleMs?: number } = {}): Promise<Pcsc> {
    const mini = await loadBinding();
    let client: Mini.Client;
    try {
      client = new mini.Client();
    } catch (err) {
      throw toPcscError(err, 'cannot create a PC/SC client');
    }
    const pcsc = new Pcsc(mini, client);
    client.on('reader', (reader) => pcsc.addReader(reader));
    client.on('error', (err) => pcsc.onMonitorError(err));
    try {
      client.start(); // throws NoService at once when pcscd is not there
    } catch (err) {
      throw toPcscError(err, 'cannot reach pcscd');
    }
    try {
      await pcsc.settle(opts.settleMs ?? 2000);
    } catch (err) {
      await pcsc.close();
      throw err;
    }
    return pcsc;
  }

  /**
   * The binding reports each reader's first status in one batch and nothing at all when there is
   * no reader, so: done shortly after the first batch, or at `settleMs` (never hang a caller).
   */
  private settle(settleMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let quiet: NodeJS.Timeout | undefined;
      const finish = (err?: PcscError) => {
        clearTimeout(cap);
        clearTimeout(quiet);
        this.off('status', onStatus);
        this.off('ended', finish);
        if (err) reject(err);
        else resolve();
      };
      const cap = setTimeout(() => finish(), settleMs);
      const onStatus = () => {
        clearTimeout(quiet);
        quiet = setTimeout(() => finish(), SETTLE_QUIET_MS);
      };
      this.on('status', onStatus);
      this.on('ended', finish);
    });
  }

  /** True until the monitor stopped (pcscd gone) or close(). */
  get alive(): boolean {
    return !this.closed && !this.endedWith;
  }

  private onMonitorError(err: unknown): void {
    const e = toPcscError(err, 'PC/SC reader monitor');
    // Only a full event queue is survivable; any other error ends the binding's monitor thread.
    if ((err as { code?: unknown })?.code === 'StatusEventBufferOverflow') {
      this.report(e);
      return;
    }
    if (this.endedWith || this.closed) return;
    this.endedWith = e;
    for (const entry of this.entries.values()) entry.transport?.markRemoved('reader-removed');
    this.emit('ended', e);
  }

  private report(err: PcscError): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  private addReader(native: Mini.Reader): void {
    this.lastEventAt = performance.now();
    const name = native.name();
    const entry: ReaderEntry = { native };
    this.entries.set(name, entry);
    // The ATR this event carries is not usable in pcsc-mini 0.1.3: pcsc-z's `Reader.atr(self: Self)`
    // slices a by-value copy, so the bytes are stack garbage (right length, wrong content). The
    // ATR is read from the connected card instead (connect()), which pcscd answers correctly.
    native.on('change', (flags) => {
      this.lastEventAt = performance.now();
      if (this.closed) return;
      const previous = entry.status;
      const present = flags.has(this.mini.ReaderStatus.PRESENT);
      entry.status = { name, state: flags.raw, cardPresent: present };
      if (!present) entry.transport?.markRemoved();
      this.emit('status', entry.status, previous);
    });
    native.on('disconnect', () => {
      // Also fired for every reader by client.stop(): that is us closing, not a removal.
      if (this.closed) return;
      entry.transport?.markRemoved('reader-removed');
      if (this.entries.get(name) === entry) this.entries.delete(name);
      this.emit('reader-removed', name);
    });
    this.emit('reader-added', name);
  }

  readers(): ReaderStatus[] {
    return [...this.entries.entries()].map(([name, e]) => e.status ?? { name, state: 0, cardPresent: false });
  }

  reader(name: string): ReaderStatus | undefined {
    const e = this.entries.get(name);
    return e && (e.status ?? { name, state: 0, cardPresent: false });
  }

  /** Connects to the card in `readerName`. */
  async connect(readerName: string, opts: ConnectOptions = {}): Promise<PcscTransport> {
    if (this.closed) throw new PcscError('closed', 'PC/SC context is closed');
    if (this.endedWith) throw new PcscError(this.endedWith.code, `PC/SC monitor stopped: ${this.endedWith.message}`);
    const entry = this.entries.get(readerName);
    if (!entry)
      throw new PcscError(
        'no-reader',
        `no reader named ${JSON.stringify(readerName)}; readers: ${[...this.entries.keys()].join(', ') || 'none'}`,
      );
    if (entry.transport && !entry.transport.isClosed) throw new PcscError('busy', `reader ${readerName} is already connected here`);
    const { CardMode, Protocol } = this.mini;
    const wanted = opts.protocol === 'T0' ? Protocol.T0 : opts.protocol === 'T1' ? Protocol.T1 : Protocol.ANY;
    let card: Mini.Card;
    try {
      card = await entry.native.connect(opts.shared ? CardMode.SHARED : CardMode.EXCLUSIVE, wanted);
    } catch (err) {
      throw toPcscError(err, `connecting to the card in ${readerName}`);
    }
    let atr: Uint8Array | undefined;
    try {
      atr = (await card.state()).atr.slice();
    } catch (err) {
      await card.disconnect(this.mini.CardDisposition.LEAVE).catch(() => {});
      throw toPcscError(err, `reading the card status in ${readerName}`);
    }
    if (entry.status?.cardPresent) entry.status.atr = atr;
    const transport = new PcscTransport(this.mini, card, readerName, atr, {
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
    if (this.closed) return Promise.reject(new PcscError('closed', 'PC/SC context is closed'));
    return new Promise((resolve, reject) => {
      const done = (err?: PcscError, s?: ReaderStatus) => {
        clearTimeout(timer);
        this.off('status', onStatus);
        this.waiters.delete(done);
        if (err) reject(err);
        else resolve(s!);
      };
      const timer = setTimeout(
        () => done(new PcscError('timeout', `reader ${readerName} did not reach the expected state in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onStatus = (s: ReaderStatus) => {
        if (s.name === readerName && predicate(s)) done(undefined, s);
      };
      this.on('status', onStatus);
      this.waiters.add(done);
    });
  }

  /** Resolves once the monitor thread has posted nothing for STOP_QUIET_MS (at most STOP_QUIET_CAP_MS). */
  private async monitorQuiet(): Promise<void> {
    const cap = performance.now() + STOP_QUIET_CAP_MS;
    for (let wait = STOP_QUIET_MS; wait > 0 && performance.now() < cap; wait = this.lastEventAt + STOP_QUIET_MS - performance.now())
      await sleep(wait);
  }

  /**
   * Disconnects cards and stops the monitor thread. The binding keeps the process alive while
   * its monitor runs, so every opener must call this (or the command never exits).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.entries.values()].map((e) => e.transport?.close().catch(() => {})));
    this.closed = true;
    // a disconnect changes the reader's state: its event is on the way
    this.lastEventAt = performance.now();
    await this.monitorQuiet();
    try {
      this.client.stop();
    } catch {
      // pcscd already gone: the monitor thread has ended by itself
    }
    this.entries.clear();
    for (const w of [...this.waiters]) w(new PcscError('closed', 'PC/SC context is closed'));
    this.removeAllListeners();
  }
}

const REMOVAL_CONFIRM_MS = 1200;
const GET_RESPONSE_LIMIT = 300; // 300 × 256 bytes covers any eMRTD response; more is a broken card
/** Receive buffer: the largest extended response (65536 data bytes + SW); the binding's default is 264. */
const MAX_RESPONSE = 65538;

/** A connected card. transmit() handles T=0's 61xx (GET RESPONSE) and 6Cxx (wrong Le) itself. */
export class PcscTransport implements Transport {
  private queue: Promise<unknown> = Promise.resolve();
  private removed?: PcscErrorCode;
  private closedFlag = false;
  private readonly rx = new ArrayBuffer(MAX_RESPONSE);
  /** APDUs actually exchanged with the card, GET RESPONSE and re-sends included. */
  apduCount = 0;
  readonly protocol: number;

  constructor(
    private readonly mini: MiniModule,
    private readonly card: Mini.Card,
    readonly readerName: string,
    /** The card's Answer To Reset, as pcscd reports it for this connection. */
    readonly atr: Uint8Array,
    private readonly hooks: { onClose: () => void; confirmRemoval: (ms: number) => Promise<boolean> },
  ) {
    this.protocol = card.protocol();
  }

  get protocolName(): 'T0' | 'T1' | 'other' {
    const { Protocol } = this.mini;
    return this.protocol === Protocol.T1 ? 'T1' : this.protocol === Protocol.T0 ? 'T0' : 'other';
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

  private async rawOnce(apdu: Uint8Array): Promise<Uint8Array> {
    if (this.closedFlag) throw new PcscError('closed', 'card connection is closed');
    if (this.removed) throw new PcscError(this.removed, `the ${this.removed === 'reader-removed' ? 'reader' : 'card'} was removed`);
    this.apduCount++;
    try {
      // The answer is a view of the shared receive buffer: copy it out before the next command.
      return (await this.card.transmit(apdu, this.rx)).slice();
    } catch (err) {
      const e = toPcscError(err, 'transmit');
      // A removal noticed by the monitor explains a generic driver failure better.
      throw this.removed && (e.code === 'transmit-failed' || e.code === 'unknown' || e.code === 'closed')
        ? new PcscError(this.removed, e.message, e.scardCode)
        : e;
    }
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
    const { CardDisposition } = this.mini;
    const d = disposition === 'leave' ? CardDisposition.LEAVE : disposition === 'unpower' ? CardDisposition.UNPOWER : CardDisposition.RESET;
    try {
      await this.card.disconnect(d);
    } catch {
      // pcscd or the handle is gone already: nothing left to release on our side
    }
  }
}

/** True for a short case-2 or case-4 command (its last byte is Le), the only ones 6Cxx can fix. */
function hasShortLe(apdu: Uint8Array): boolean {
  if (apdu.length === 5) return true;
  if (apdu.length < 6 || apdu[4] === 0) return false;
  return apdu.length === 6 + apdu[4]!;
}
