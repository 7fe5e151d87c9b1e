// All SQL of LiveKit webhook deliveries.
import type { Sql } from '../db/client.ts';

/** Records a delivery id; false when it was recorded before (LiveKit retries deliveries). */
export async function insertDeliveryOnce(sql: Sql, eventId: string): Promise<boolean> {
  const fresh = await sql`INSERT INTO webhook_deliveries (id) VALUES (${eventId}) ON CONFLICT DO NOTHING RETURNING id`;
  return fresh.length > 0;
}

export async function deliverySeen(sql: Sql, eventId: string): Promise<boolean> {
  const [row] = await sql`SELECT 1 FROM webhook_deliveries WHERE id = ${eventId}`;
  return !!row;
}

// Each delivery in progress holds one pooled connection (its lock) while `f` needs others from the
// same pool: with as many concurrent deliveries as the pool has connections (a burst of SOS rooms
// makes LiveKit send one per room) every connection was held and `f` waited forever, and the whole
// hub with it. At most this many deliveries hold a lock at once; the rest wait in memory.
export const MAX_LOCKED_DELIVERIES = 4;
let locked = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (locked < MAX_LOCKED_DELIVERIES) locked++;
  else await new Promise<void>((r) => waiting.push(r)); // the releaser hands its slot over
  return () => {
    const next = waiting.shift();
    if (next) next();
    else locked--;
  };
}

/**
 * Runs `f` holding a session advisory lock on the delivery id (on a connection of its own), so the
 * same delivery is never applied by two hub instances at once.
 */
export async function withDeliveryLock<T>(sql: Sql, eventId: string, f: () => Promise<T>): Promise<T> {
  const release = await slot();
  try {
    const conn = await sql.reserve();
    try {
      await conn`SELECT pg_advisory_lock(hashtextextended(${`webhook:${eventId}`}, 0))`;
      try {
        return await f();
      } finally {
        await conn`SELECT pg_advisory_unlock(hashtextextended(${`webhook:${eventId}`}, 0))`;
      }
    } finally {
      conn.release();
    }
  } finally {
    release();
  }
}
