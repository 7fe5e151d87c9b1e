// All SQL of FHIR Subscriptions (Backport IG, R4): rows, event numbering, websocket binding tokens.
import type { Sql, Tx } from '../../db/client.ts';

export interface SubscriptionRow {
  id: string;
  owner_staff_id: string;
  status: 'active' | 'off' | 'error';
  filter_patient: string | null;
  filter_encounter: string | null;
  content: 'empty' | 'id-only' | 'full-resource';
  heartbeat_s: number;
  fhir_base: string;
  events_since_start: string;
  version_id: number;
  last_updated: Date;
  resource: Record<string, unknown>;
}
export interface EventRow {
  event_number: string;
  at: Date;
  observation_id: string;
  version_id: number;
  last_updated: Date;
  resource: Record<string, unknown>;
}

export async function insertSubscription(
  sql: Sql,
  s: {
    ownerStaffId: string;
    patient: string | null;
    encounter: string | null;
    content: SubscriptionRow['content'];
    heartbeatS: number;
    base: string;
    resource: Record<string, unknown>;
  },
): Promise<SubscriptionRow> {
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

export async function updateSubscriptionStatus(sql: Sql, id: string, status: SubscriptionRow['status']): Promise<void> {
  await sql`UPDATE fhir_subscriptions SET status = ${status}, version_id = version_id + 1, last_updated = now() WHERE id = ${id} AND status <> ${status}`;
}

/**
 * Adds n to the event count of every active subscription matching the patient and encounter;
 * returns each one's new last event number. The row lock it takes keeps numbers gap-free and in commit order.
 */
export async function advanceEventCounts(
  tx: Tx,
  o: { patientId: string; encounterId: string; n: number },
): Promise<{ id: string; last: string }[]> {
  return tx<{ id: string; last: string }[]>`
    UPDATE fhir_subscriptions SET events_since_start = events_since_start + ${o.n}
    WHERE status = 'active' AND (filter_patient IS NULL OR filter_patient = ${o.patientId}) AND (filter_encounter IS NULL OR filter_encounter = ${o.encounterId})
    RETURNING id, events_since_start::text AS last`;
}

/** One event per Observation, numbered from `first` in the given order. */
export async function insertSubscriptionEvents(tx: Tx, subscriptionId: string, first: bigint, observationIds: string[]): Promise<void> {
  await tx`
    INSERT INTO fhir_subscription_events (subscription_id, event_number, observation_id)
    SELECT ${subscriptionId}, ${first.toString()}::bigint + o.ord - 1, o.id FROM unnest(${observationIds}::uuid[]) WITH ORDINALITY AS o(id, ord)`;
}

export async function eventsBetween(sql: Sql, subscriptionId: string, first: bigint, last: bigint, limit = 1000): Promise<EventRow[]> {
  return sql<EventRow[]>`
    SELECT e.event_number::text, e.at, e.observation_id, o.version_id, o.last_updated, o.resource
    FROM fhir_subscription_events e JOIN fhir_observations o ON o.id = e.observation_id
    WHERE e.subscription_id = ${subscriptionId} AND e.event_number BETWEEN ${first.toString()} AND ${last.toString()}
    ORDER BY e.event_number LIMIT ${limit}`;
}

export async function insertWsToken(
  sql: Sql,
  t: { tokenHash: Buffer; subscriptionId: string; staffId: string; sessionHash: Buffer; ttlS: number },
): Promise<Date> {
  const [row] = await sql<{ expires_at: Date }[]>`
    INSERT INTO fhir_ws_tokens (token_hash, subscription_id, staff_id, session_hash, expires_at)
    VALUES (${t.tokenHash}, ${t.subscriptionId}, ${t.staffId}, ${t.sessionHash}, now() + make_interval(secs => ${t.ttlS})) RETURNING expires_at`;
  return row!.expires_at;
}

export interface TokenBinding {
  subscriptionId: string;
  username: string;
  staffId: string;
  /** hex digest of the staff session the token was issued to */
  session: string;
}

/**
 * The subscription a current token is for, if its holder is still an active clinician (or officer or
 * medic: access.ts limits them to the patient of their call) and the
 * session it was issued to is still current (not ended, expired or idle).
 */
export async function tokenBinding(sql: Sql, tokenHash: Buffer): Promise<TokenBinding | null> {
  const [row] = await sql<{ subscription_id: string; username: string; staff_id: string; session: string }[]>`
    SELECT t.subscription_id, st.username, st.id AS staff_id, encode(t.session_hash, 'hex') AS session
    FROM fhir_ws_tokens t JOIN staff st ON st.id = t.staff_id JOIN staff_sessions s ON s.token_hash = t.session_hash
    WHERE t.token_hash = ${tokenHash} AND t.expires_at > now() AND st.active AND st.role IN ('clinician', 'police', 'command', 'medic')
      AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => s.idle_s)`;
  return row ? { subscriptionId: row.subscription_id, username: row.username, staffId: row.staff_id, session: row.session } : null;
}

/** Whether the staff session with this hex digest is still current (an open socket counts as use). */
export async function sessionCurrent(sql: Sql, sessionHex: string): Promise<boolean> {
  const [row] = await sql<{ stale: boolean }[]>`
    SELECT s.last_seen_at < now() - interval '60 seconds' AS stale
    FROM staff_sessions s JOIN staff st ON st.id = s.staff_id
    WHERE s.token_hash = decode(${sessionHex}, 'hex') AND s.expires_at > now() AND st.active
      AND s.last_seen_at > now() - make_interval(secs => s.idle_s)`;
  if (!row) return false;
  if (row.stale) await sql`UPDATE staff_sessions SET last_seen_at = now() WHERE token_hash = decode(${sessionHex}, 'hex')`;
  return true;
}
