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

/**
 * Runs `f` holding a session advisory lock on the delivery id (on a connection of its own), so the
 * same delivery is never applied by two hub instances at once.
 */
export async function withDeliveryLock<T>(sql: Sql, eventId: string, f: () => Promise<T>): Promise<T> {
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
}
