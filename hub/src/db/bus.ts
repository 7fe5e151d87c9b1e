// Cross-instance event bus on PostgreSQL LISTEN/NOTIFY. Events published inside a transaction
// are delivered only if it commits; every hub instance (this one included) receives them.
// Only typed events go on it: the realtime events of @tram/contracts (what sockets hear) and the
// hub's internal ones, each on topics made by `topic.*`.
import type { HubEvent, Topic } from '@tram/contracts';
import { connectDb, type Sql, type Tx } from './client.ts';

export const CHANNEL = 'tram_events';

/** Events between hub instances only; no socket is ever sent one. */
export type InternalEvent =
  | { type: 'fhir.subscription.events'; data: { subscriptionId: string; first: string; last: string } }
  /** An account's sessions ended (password reset, deactivation, role change: the staff_revoke_sessions trigger). */
  | { type: 'staff.revoked'; data: { staffId: string } }
  /** One session ended (logout); `session` is the hex digest of its token. */
  | { type: 'session.ended'; data: { session: string } }
  /** A station was retired: its credential no longer works, and its open sockets close. */
  | { type: 'station.retired'; data: { stationId: string } }
  /**
   * Said to this instance's own listeners (never published) when the LISTEN connection came back
   * after a loss: whatever was notified meanwhile never reached this hub.
   */
  | { type: 'bus.resumed'; data: Record<string, never> };

const INTERNAL = new Set<string>(['fhir.subscription.events', 'staff.revoked', 'session.ended', 'station.retired', 'bus.resumed']);

/** `hello` is said by the socket itself, never published. */
export type PublishedEvent = Exclude<HubEvent, { type: 'hello' }> | InternalEvent;

export type BusEvent = PublishedEvent & { topics: Topic[] };

export const isInternal = (e: BusEvent): e is InternalEvent & { topics: Topic[] } => INTERNAL.has(e.type);

export type BusListener = (e: BusEvent) => void;

export interface Bus {
  publish(tx: Sql | Tx, e: BusEvent): Promise<void>;
  /**
   * Publishes events of a transaction that has already committed. PostgreSQL commits every
   * NOTIFYing transaction one after the other, each with its WAL flush, under one database-wide
   * lock: a hot path that notifies inside its own transaction (20 vitals ingests at once) waits in
   * that line instead of sharing group commit. Here the events of every caller waiting at the same
   * moment go out in one small transaction that writes no data (so it need not wait for its flush).
   * The price: a hub that dies between the commit and this call loses the live events (not the
   * data); use it where a listener can catch up from the database (vitals, numbered FHIR events).
   */
  publishCommitted(events: BusEvent[]): Promise<void>;
  subscribe(l: BusListener): () => void;
  /** Stops listening and closes the bus's own connections. */
  close(): Promise<void>;
}

function payloadOf(e: BusEvent): string {
  const payload = JSON.stringify(e);
  // NOTIFY payloads are limited to 8000 bytes: events carry ids and summaries, not documents.
  if (Buffer.byteLength(payload) > 7900) throw new Error(`event ${e.type} too large for NOTIFY`);
  return payload;
}

/**
 * Listens and publishes on a pool of its own, opened from `databaseUrl`: rings sent after a commit
 * must not queue behind every request's reads in the main pool (a burst of SOS queued each ring
 * behind hundreds of them), and its connections commit without waiting for their WAL flush
 * (asyncCommit, db/client.ts), which only NOTIFYs, writing no data, may do.
 */
export async function startBus(databaseUrl: string, onError: (err: unknown) => void): Promise<Bus> {
  const sql = connectDb(databaseUrl, 2, { asyncCommit: true });
  const listeners = new Set<BusListener>();
  const deliver = (e: BusEvent) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch (err) {
        onError(err);
      }
    }
  };
  let listening = false;
  const sub = await sql
    .listen(
      CHANNEL,
      (payload) => {
        let e: BusEvent;
        try {
          e = JSON.parse(payload) as BusEvent;
        } catch (err) {
          onError(err);
          return;
        }
        deliver(e);
      },
      // postgres re-LISTENs by itself after the connection drops (a database restart); the first
      // call is the start, any later one a comeback after which listeners must catch up.
      () => {
        if (listening) deliver({ type: 'bus.resumed', data: {}, topics: [] });
        listening = true;
      },
    )
    .catch(async (err) => {
      await sql.end({ timeout: 1 });
      throw err;
    });
  let queued: { payloads: string[]; done: () => void; failed: (err: unknown) => void }[] = [];
  let flushing = false;
  const flush = async () => {
    flushing = true;
    while (queued.length) {
      const batch = queued;
      queued = [];
      try {
        // One round trip, its own transaction, committed without waiting for its flush (the pool's
        // asyncCommit). A pooled connection, not one held apart: the pool replaces it when the
        // database restarts (a held one did not, and every later ingest waited on it for ever).
        const all = batch.flatMap((b) => b.payloads);
        // unnest yields the array in order: the notifications keep the callers' order
        await sql`SELECT pg_notify(${CHANNEL}, p) FROM unnest(${all}::text[]) AS p`;
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.failed(err);
      }
    }
    flushing = false;
  };
  return {
    async publish(tx, e) {
      await tx`SELECT pg_notify(${CHANNEL}, ${payloadOf(e)})`;
    },
    publishCommitted(events) {
      if (!events.length) return Promise.resolve();
      const payloads = events.map(payloadOf);
      return new Promise<void>((done, failed) => {
        queued.push({ payloads, done, failed });
        if (!flushing) void flush();
      });
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async close() {
      await sub.unlisten().catch(() => {});
      await sql.end({ timeout: 5 });
    },
  };
}
