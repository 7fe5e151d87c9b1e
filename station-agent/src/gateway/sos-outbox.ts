// The SOS outbox: a call is written to disk before the first attempt and re-sent with the same
// idempotency key until the hub acknowledges, across hub outages and agent restarts.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, openSync, writeSync, fsyncSync, closeSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CallView, MediaGrantView, SosState } from '@tram/contracts';

export interface PendingSos {
  key: string;
  note?: string;
  since: string;
}
export interface SosAck {
  key: string;
  call: CallView;
  media: MediaGrantView | null;
  joined: boolean;
}

type Send = (p: PendingSos) => Promise<{ status: number; body: unknown }>;

export class SosOutbox extends EventEmitter {
  private file: string;
  private pending: PendingSos | null = null;
  private ack: SosAck | null = null;
  private attempts = 0;
  private lastError: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private stopped = false;

  constructor(
    dir: string,
    private send: Send,
    private backoffMs = (n: number) => Math.min(250 * 2 ** n, 3000),
  ) {
    super();
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'sos-pending.json');
    try {
      this.pending = JSON.parse(readFileSync(this.file, 'utf8')) as PendingSos;
    } catch {
      this.pending = null;
    }
    if (this.pending) this.attempt();
  }

  state(): SosState {
    if (this.pending)
      return { state: 'sending', key: this.pending.key, attempts: this.attempts, lastError: this.lastError, since: this.pending.since };
    if (this.ack)
      return {
        state: 'acknowledged',
        key: this.ack.key,
        call: this.ack.call,
        media: this.ack.media,
        ...(this.ack.joined ? { joined: true } : {}),
      };
    return { state: 'idle' };
  }

  /** Raises an SOS, or returns the one already in flight (a second tap never makes a second call). */
  raise(note?: string): SosState {
    if (!this.pending) {
      this.pending = { key: randomUUID(), note, since: new Date().toISOString() };
      this.ack = null;
      this.attempts = 0;
      this.lastError = undefined;
      try {
        this.persist(this.pending);
      } catch (e) {
        // A full or failing disk must never hold an emergency back: it is sent from memory (it
        // then would not survive an agent restart), and the state says why.
        this.lastError = `not saved on disk: ${(e as Error).message}`;
        rmSync(this.file + '.tmp', { force: true, recursive: true });
      }
      this.attempt();
    }
    return this.state();
  }

  /**
   * The resident cancelled while the SOS was still undelivered (hub unreachable): the pending file
   * goes and no further attempt is made. An attempt already in flight may still reach the hub; its
   * answer then shows the call, which the resident can end like any other.
   */
  cancel(): SosState {
    if (this.pending) {
      this.pending = null;
      clearTimeout(this.timer);
      rmSync(this.file, { force: true });
      this.emit('change', this.state());
    }
    return this.state();
  }

  /** Forget the last acknowledged call (it ended); a new tap starts a new call. */
  clear(callId: string) {
    if (this.ack?.call.id === callId) this.ack = null;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private persist(p: PendingSos) {
    const tmp = this.file + '.tmp';
    const fd = openSync(tmp, 'w', 0o600);
    writeSync(fd, JSON.stringify(p));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.file);
  }

  private attempt() {
    if (this.stopped || this.inFlight || !this.pending) return;
    this.inFlight = true;
    const p = this.pending;
    this.attempts++;
    this.send(p)
      .then(
        ({ status, body }) => {
          if (status === 200 || status === 201) {
            const b = body as { call: CallView; media: MediaGrantView | null; joined?: boolean };
            // joined: the station's call was already open and this press joined it (the kiosk says so)
            this.ack = { key: p.key, call: b.call, media: b.media, joined: b.joined === true };
            this.pending = null;
            rmSync(this.file, { force: true });
            this.emit('change', this.state());
            return;
          }
          this.lastError = `hub answered ${status}`;
          this.retry();
        },
        (err: unknown) => {
          this.lastError = err instanceof Error ? err.message : String(err);
          this.retry();
        },
      )
      .finally(() => {
        this.inFlight = false;
      });
  }

  private retry() {
    if (!this.pending) return; // cancelled meanwhile
    this.emit('change', this.state());
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.inFlight = false;
      this.attempt();
    }, this.backoffMs(this.attempts));
  }
}
