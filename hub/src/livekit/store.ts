// All SQL of LiveKit webhook deliveries.
import type { Sql } from '../db/client.ts';

/** Records a delivery id; false when it was recorded before (LiveKit retries deliveries). */
export async function insertDeliveryOnce(sql: Sql, eventId: string): Promise<boolean> {
  const fresh = await sql`INSERT INTO webhook_deliveries (id) VALUES (${eventId}) ON CONFLICT DO NOTHING RETURNING id`;
  return fresh.length > 0;
}
