// Subscriptions (Backport IG, R4): rows, event numbering, and websocket binding tokens.
import type { Sql, Tx } from '../db/client.ts';
import type { Bus } from '../db/bus.ts';
import { digest, newSecret } from '../auth/tokens.ts';

export const TOPIC = 'https://tram.vn/fhir/SubscriptionTopic/vital-signs-observation';
export const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
export const EVENTS_TOPIC = (id: string) => `fhir-subscription:${id}`;
export const TOKEN_TTL_S = 3600;

export interface SubscriptionRow {
  id: string; owner_staff_id: string; status: 'active' | 'off' | 'error'; filter_patient: string | null; filter_encounter: string | null;
  content: 'empty' | 'id-only' | 'full-resource'; heartbeat_s: number; fhir_base: string; events_since_start: string;
  version_id: number; last_updated: Date; resource: Record<string, unknown>;
}

export async function createSubscription(sql: Sql, s: { ownerStaffId: string; patient: string | null; encounter: string | null; content: SubscriptionRow['content']; heartbeatS: number; base: string; resource: Record<string, unknown> }): Promise<SubscriptionRow> {
  const [row] = await sql<SubscriptionRow[]>`
    INSERT INTO fhir_subscriptions (owner_staff_id, status, filter_patient, filter_encounter, content, heartbeat_s, fhir_base, resource)
    VALUES (${s.ownerStaffId}, 'active', ${s.patient}, ${s.encounter}, ${s.content}, ${s.heartbeatS}, ${s.base}, ${sql.json(s.resource as never)})
    RETURNING *`;
  return row!;
}

export async function subscriptionById(sql: Sql | Tx, id: string): Promise<SubscriptionRow | undefined> {
  const [row] = await sql<SubscriptionRow[]>`SELECT * FROM fhir_subscriptions WHERE id = ${id}`;
  return row;
}

export async function setSubscriptionStatus(sql: Sql, id: string, status: SubscriptionRow['status']): Promise<void> {
  await sql`UPDATE fhir_subscriptions SET status = ${status}, version_id = version_id + 1, last_updated = now() WHERE id = ${id} AND status <> ${status}`;
}

/**
 * Called in the ingest transaction with the Observations just stored: numbers one event per
 * Observation for every matching active subscription and announces the range on the bus (commit
 * delivers it). The row lock on the subscription keeps numbers gap-free and in commit order.
 */
export async function recordEvents(tx: Tx, bus: Bus, o: { patientId: string; encounterId: string; observationIds: string[] }): Promise<void> {
  if (!o.observationIds.length) return;
  const n = o.observationIds.length;
  const subs = await tx<{ id: string; last: string }[]>`
    UPDATE fhir_subscriptions SET events_since_start = events_since_start + ${n}
    WHERE status = 'active' AND (filter_patient IS NULL OR filter_patient = ${o.patientId}) AND (filter_encounter IS NULL OR filter_encounter = ${o.encounterId})
    RETURNING id, events_since_start::text AS last`;
  for (const s of subs) {
    const first = BigInt(s.last) - BigInt(n) + 1n;
    await tx`
      INSERT INTO fhir_subscription_events (subscription_id, event_number, observation_id)
      SELECT ${s.id}, ${first.toString()}::bigint + o.ord - 1, o.id FROM unnest(${o.observationIds}::uuid[]) WITH ORDINALITY AS o(id, ord)`;
    await bus.publish(tx, { topics: [EVENTS_TOPIC(s.id)], type: 'fhir.subscription.events', data: { subscriptionId: s.id, first: first.toString(), last: s.last } });
  }
}

export interface EventRow { event_number: string; at: Date; observation_id: string; version_id: number; last_updated: Date; resource: Record<string, unknown> }

export async function eventsBetween(sql: Sql, subscriptionId: string, first: bigint, last: bigint, limit = 1000): Promise<EventRow[]> {
  return sql<EventRow[]>`
    SELECT e.event_number::text, e.at, e.observation_id, o.version_id, o.last_updated, o.resource
    FROM fhir_subscription_events e JOIN fhir_observations o ON o.id = e.observation_id
    WHERE e.subscription_id = ${subscriptionId} AND e.event_number BETWEEN ${first.toString()} AND ${last.toString()}
    ORDER BY e.event_number LIMIT ${limit}`;
}

export async function issueToken(sql: Sql, subscriptionId: string, staffId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret();
  const [row] = await sql<{ expires_at: Date }[]>`
    INSERT INTO fhir_ws_tokens (token_hash, subscription_id, staff_id, expires_at)
    VALUES (${digest(token)}, ${subscriptionId}, ${staffId}, now() + make_interval(secs => ${TOKEN_TTL_S})) RETURNING expires_at`;
  return { token, expiresAt: row!.expires_at };
}

/** The subscription a token binds to, if the token is current, the subscription active and its owner still a clinician. */
export async function subscriptionForToken(sql: Sql, token: string): Promise<{ sub: SubscriptionRow; username: string } | null> {
  const [row] = await sql<{ subscription_id: string; username: string }[]>`
    SELECT t.subscription_id, st.username FROM fhir_ws_tokens t JOIN staff st ON st.id = t.staff_id
    WHERE t.token_hash = ${digest(token)} AND t.expires_at > now() AND st.active AND st.role = 'clinician'`;
  if (!row) return null;
  const sub = await subscriptionById(sql, row.subscription_id);
  return sub && sub.status === 'active' ? { sub, username: row.username } : null;
}
