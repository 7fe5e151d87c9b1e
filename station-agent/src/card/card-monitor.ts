// Card and reader events for the station agent, derived from PC/SC reader status changes:
// 'reader-added', 'reader-removed', 'card-inserted', 'card-removed'. The state at start is in
// readers(); events report changes after that (so a card already inserted is not "inserted" again).
import { EventEmitter } from 'node:events';
import { Pcsc, PcscError, type ReaderStatus } from './pcsc.ts';

export interface ReaderEvent {
  reader: string;
}
export interface CardInsertedEvent extends ReaderEvent {
  /** performance.now() when the event was emitted, for latency measurements. */
  at: number;
}
export interface CardRemovedEvent extends ReaderEvent {
  at: number;
}

export interface CardMonitorEvents {
  'reader-added': [ReaderEvent];
  'reader-removed': [ReaderEvent];
  'card-inserted': [CardInsertedEvent];
  'card-removed': [CardRemovedEvent];
  error: [PcscError];
  /** pcscd went away: this monitor is dead; close it and start a new one. */
  ended: [PcscError];
}

export class CardMonitor extends EventEmitter<CardMonitorEvents> {
  /** Pending next() calls: close() rejects them, so no timer keeps the process alive after it. */
  private readonly waiters = new Set<(err: PcscError) => void>();

  private constructor(readonly pcsc: Pcsc) {
    super();
    pcsc.on('reader-added', (reader: string) => this.emit('reader-added', { reader }));
    pcsc.on('reader-removed', (reader: string) => this.emit('reader-removed', { reader }));
    pcsc.on('status', (s: ReaderStatus, prev: ReaderStatus | undefined) => {
      const was = prev?.cardPresent ?? false;
      if (!was && s.cardPresent) this.emit('card-inserted', { reader: s.name, at: performance.now() });
      else if (was && !s.cardPresent) this.emit('card-removed', { reader: s.name, at: performance.now() });
    });
    pcsc.on('error', (err: PcscError) => {
      if (this.listenerCount('error') > 0) this.emit('error', err);
    });
    pcsc.on('ended', (err: PcscError) => this.emit('ended', err));
  }

  /** Opens PC/SC (PcscError 'no-service' if pcscd is down) and starts watching. */
  static async start(): Promise<CardMonitor> {
    return new CardMonitor(await Pcsc.open());
  }

  readers(): ReaderStatus[] {
    return this.pcsc.readers();
  }

  /**
   * Resolves with the next `event` (for `reader` if given); rejects with PcscError('timeout').
   * Meant for tests, the bench and the installer command.
   */
  next<E extends 'card-inserted' | 'card-removed' | 'reader-added' | 'reader-removed'>(
    event: E,
    opts: { reader?: string; timeoutMs?: number } = {},
  ): Promise<CardMonitorEvents[E][0]> {
    return new Promise((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? 5000;
      const done = (err?: PcscError, e?: ReaderEvent) => {
        clearTimeout(timer);
        this.off(event, on as never);
        this.waiters.delete(done);
        if (err) reject(err);
        else resolve(e as CardMonitorEvents[E][0]);
      };
      const timer = setTimeout(() => done(new PcscError('timeout', `no ${event} within ${timeoutMs} ms`)), timeoutMs);
      const on = (e: ReaderEvent) => {
        if (opts.reader === undefined || e.reader === opts.reader) done(undefined, e);
      };
      this.on(event, on as never);
      this.waiters.add(done);
    });
  }

  close(): Promise<void> {
    for (const w of [...this.waiters]) w(new PcscError('closed', 'the card monitor is closed'));
    this.removeAllListeners();
    return this.pcsc.close();
  }
}
