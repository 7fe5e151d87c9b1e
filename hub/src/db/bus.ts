// Cross-instance event bus on PostgreSQL LISTEN/NOTIFY. Events published inside a transaction
// are delivered only if it commits; every hub instance (this one included) receives them.
// Only typed events go on it: the realtime events of @tram/contracts (what sockets hear) and the
// hub's internal ones, each on topics made by `topic.*`.
import type { HubEvent, Topic } from '@tram/contracts';
import type { Sql, Tx } from './client.ts';

export const CHANNEL = 'tram_events';

/** Events between hub instances only; no socket is ever sent one. */
export type InternalEvent =
  | { type: 'fhir.subscription.events'; data: { subscriptionId: string; first: string; last: string } }
  /** An account's sessions ended (password reset, deactivation, role change: the staff_revoke_sessions trigger). */
  | { type: 'staff.revoked'; data: { staffId: string } }
  /** One session ended (logout); `session` is the hex digest of its token. */
  | { type: 'session.ended'; data: { session: string } }
  /** A station was retired: its credential no longer works, and its open sockets close. */
  | { type: 'station.retired'; data: { stationId: string } };

const INTERNAL = new Set<string>(['fhir.subscription.events', 'staff.revoked', 'session.ended', 'station.retired']);

/** `hello` is said by the socket itself, never published. */
export type PublishedEvent = Exclude<HubEvent, { type: 'hello' }> | InternalEvent;

export type BusEvent = PublishedEvent & { topics: Topic[] };

export const isInternal = (e: BusEvent): e is InternalEvent & { topics: Topic[] } => INTERNAL.has(e.type);

export type BusListener = (e: BusEvent) => void;

export interface Bus {
  publish(tx: Sql | Tx, e: BusEvent): Promise<void>;
  subscribe(l: BusListener): () => void;
  close(): Promise<void>;
}

export async function startBus(sql: Sql, onError: (err: unknown) => void): Promise<Bus> {
  const listeners = new Set<BusListener>();
  const sub = await sql.listen(CHANNEL, (payload) => {
    let e: BusEvent;
    try {
      e = JSON.parse(payload) as BusEvent;
    } catch (err) {
      onError(err);
      return;
    }
    for (const l of listeners) {
      try {
        l(e);
      } catch (err) {
        onError(err);
      }
    }
  });
  return {
    async publish(tx, e) {
      const payload = JSON.stringify(e);
      // NOTIFY payloads are limited to 8000 bytes: events carry ids and summaries, not documents.
      if (Buffer.byteLength(payload) > 7900) throw new Error(`event ${e.type} too large for NOTIFY`);
      await tx`SELECT pg_notify(${CHANNEL}, ${payload})`;
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async close() {
      await sub.unlisten();
    },
  };
}
