// Cross-instance event bus on PostgreSQL LISTEN/NOTIFY. Events published inside a transaction
// are delivered only if it commits; every hub instance (this one included) receives them.
import type { Sql, Tx } from './client.ts';

export const CHANNEL = 'tram_events';

export interface BusEvent {
  topics: string[];
  type: string;
  data: Record<string, unknown>;
}

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
    try { e = JSON.parse(payload) as BusEvent; } catch (err) { onError(err); return; }
    for (const l of listeners) {
      try { l(e); } catch (err) { onError(err); }
    }
  });
  return {
    async publish(tx, e) {
      const payload = JSON.stringify(e);
      // NOTIFY payloads are limited to 8000 bytes: events carry ids and summaries, not documents.
      if (Buffer.byteLength(payload) > 7900) throw new Error(`event ${e.type} too large for NOTIFY`);
      await tx`SELECT pg_notify(${CHANNEL}, ${payload})`;
    },
    subscribe(l) { listeners.add(l); return () => listeners.delete(l); },
    async close() { await sub.unlisten(); },
  };
}
