// The pace of the hub's background jobs (deadlines, outboxes): each tick drains what is due — the
// step handles one batch and answers how many rows (or whether one) it took — until nothing is
// left, the cap is reached or the hub stops, then sleeps. Which hub takes a row is decided by the
// step's own SQL (FOR UPDATE SKIP LOCKED); this only runs it. An error is logged and the next tick
// tries again, so a database restart does not end the job.
import type { Logger } from 'pino';

export interface Ticker {
  /** Stops after the batch in hand, if any. */
  stop(): Promise<void>;
}

export interface TickerOptions {
  everyMs: number;
  log: Pick<Logger, 'error'>;
  /** Said in the log when a tick fails, e.g. 'escalation tick failed'. */
  failure: string;
  step(): Promise<number | boolean>;
  /** Batches taken in one tick at most (an outbox to a slow adapter lets the others run). */
  maxPerTick?: number;
}

export function startTicker(o: TickerOptions): Ticker {
  const max = o.maxPerTick ?? Number.POSITIVE_INFINITY;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      for (let n = 0; !stopped && n < max; n++) {
        const took = await o.step();
        if (took === false || took === 0) break;
      }
    } catch (err) {
      o.log.error({ err }, o.failure);
    }
    if (!stopped)
      timer = setTimeout(() => {
        current = tick();
      }, o.everyMs);
  };
  current = tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
