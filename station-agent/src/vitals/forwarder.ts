/**
 * Sends the disk queue to the hub, one batch at a time, oldest first, and
 * applies the hub's answer:
 *   200   accepted + duplicates leave the queue; rejected leave it and are
 *         logged (the hub will never take them); ids the hub did not mention
 *         stay and are retried, and are dropped after `maxPartial` such rounds
 *   5xx, network error, timeout, 408, 429    retry the same batch with backoff
 *   409 no_citizen_session                   the session is over at the hub: drop
 *   other 4xx                                logged and dropped (resending cannot help)
 * Ids are assigned when a reading is decoded, so a retry after a lost answer
 * is a duplicate the hub recognises, never a second Observation.
 */
import type { DiskQueue, QueuedBatch } from './disk-queue.ts';
import { ingestAnswer, type ReadingsBatch } from '@tram/contracts';

export interface ForwarderOptions {
  hubUrl: string;
  credential: string;
  backoffMs?: (attempt: number) => number;
  timeoutMs?: number;
  maxPartial?: number;
  log?: (msg: string) => void;
}

type Outcome = 'done' | 'retry';

export class Forwarder {
  private running: Promise<void> | undefined;
  private stopped = false;
  private attempts = 0;
  private partialRounds = 0;
  private wake: (() => void) | undefined;
  private abort: AbortController | undefined;
  private readonly backoffMs: (n: number) => number;
  private readonly log: (msg: string) => void;
  /** Last transport problem, for the agent's state page. */
  lastError: string | undefined;

  constructor(
    private readonly queue: DiskQueue,
    private readonly opts: ForwarderOptions,
  ) {
    this.backoffMs = opts.backoffMs ?? ((n) => Math.min(250 * 2 ** (n - 1), 5000));
    this.log = opts.log ?? ((m) => console.warn(`vitals forwarder: ${m}`));
  }

  /** Something was queued: send it now unless a send or a backoff is already under way. */
  kick(): void {
    if (this.stopped || this.running) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
      // A reading queued while the loop was finishing must not wait for the next one.
      if (!this.stopped && this.queue.size > 0) this.kick();
    });
  }

  /** Finish (or give up on) the request in flight, then stop. The queue keeps what was not acknowledged. */
  async stop(graceMs = 2000): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const t = setTimeout(() => this.abort?.abort(), graceMs);
    await this.running;
    clearTimeout(t);
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const batch = this.queue.next();
      if (!batch) return;
      const outcome = await this.send(batch);
      if (outcome === 'done') {
        this.attempts = 0;
        continue;
      }
      this.attempts++;
      await this.sleep(this.backoffMs(this.attempts));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private async send(batch: QueuedBatch): Promise<Outcome> {
    const body: ReadingsBatch = { sessionId: batch.sessionId, readings: batch.readings };
    this.abort = new AbortController();
    let status: number;
    let json: unknown;
    try {
      const r = await fetch(`${this.opts.hubUrl}/api/vitals/readings`, {
        method: 'POST',
        headers: { authorization: `Station ${this.opts.credential}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.timeoutMs ?? 10_000)]),
      });
      status = r.status;
      json = await r.json().catch(() => undefined);
    } catch (e) {
      const err = e as Error & { cause?: { message?: string } };
      this.lastError = err.cause?.message ?? err.message;
      this.queue.settle(batch.name, new Set()); // still queued, no longer in flight
      return 'retry';
    } finally {
      this.abort = undefined;
    }
    const n = batch.readings.length;
    if (status >= 200 && status < 300) {
      const parsed = ingestAnswer.safeParse(json);
      const answer = parsed.success ? parsed.data : undefined;
      if (!answer) {
        this.lastError = `hub answered ${status} with an unexpected body`;
        this.queue.settle(batch.name, new Set());
        return 'retry';
      }
      this.lastError = undefined;
      for (const r of answer.rejected) this.log(`hub rejected reading ${r.id}: ${r.reason}`);
      const done = new Set([...answer.accepted, ...answer.duplicates, ...answer.rejected.map((r) => r.id)]);
      const missing = batch.readings.filter((r) => !done.has(r.id)).length;
      if (missing === 0) {
        this.partialRounds = 0;
        this.queue.settle(batch.name, done);
        return 'done';
      }
      if (++this.partialRounds >= (this.opts.maxPartial ?? 5)) {
        this.log(`hub never answered for ${missing} reading(s) of ${batch.name} after ${this.partialRounds} tries: dropped`);
        this.partialRounds = 0;
        this.queue.drop(batch.name);
        return 'done';
      }
      this.queue.settle(batch.name, done);
      return 'retry';
    }
    const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code;
    this.lastError = `hub answered ${status}${typeof code === 'string' ? ` ${code}` : ''}`;
    if (status >= 500 || status === 408 || status === 429 || (status === 409 && code !== 'no_citizen_session')) {
      this.queue.settle(batch.name, new Set());
      return 'retry';
    }
    if (status === 409) this.log(`session ${batch.sessionId} has ended at the hub: dropped ${n} reading(s)`);
    else if (status >= 400)
      this.log(`hub refused a batch of ${n} reading(s) with ${status}${typeof code === 'string' ? ` ${code}` : ''}: dropped`);
    else {
      // 1xx/3xx: not something the ingest endpoint sends; treat as transient.
      this.queue.settle(batch.name, new Set());
      return 'retry';
    }
    this.queue.drop(batch.name);
    return 'done';
  }
}
