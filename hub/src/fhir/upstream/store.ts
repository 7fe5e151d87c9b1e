// All SQL of the upstream FHIR exchange: the outbox of Observations to forward (this hub as a
// client) and the Observations received from other hubs (this hub as an upstream).
import type { Sql, Tx } from '../../db/client.ts';
import type { Row } from '../store.ts';

export async function insertOutbox(tx: Sql | Tx, observationIds: string[]): Promise<void> {
  if (!observationIds.length) return;
  await tx`INSERT INTO fhir_outbox (observation_id) SELECT * FROM unnest(${observationIds}::uuid[]) ON CONFLICT DO NOTHING`;
}

/** Due outbox rows with their Observations, locked for this transaction; SKIP LOCKED gives each row to one hub instance. */
export async function lockDueOutbox(tx: Tx, batch: number): Promise<(Row & { attempts: number })[]> {
  return tx<(Row & { attempts: number })[]>`
    SELECT o.id, o.version_id, o.last_updated, o.resource, x.attempts
    FROM fhir_outbox x JOIN fhir_observations o ON o.id = x.observation_id
    WHERE x.next_attempt_at <= now() ORDER BY x.enqueued_at LIMIT ${batch} FOR UPDATE OF x SKIP LOCKED`;
}

export async function deleteOutbox(tx: Tx, observationId: string): Promise<void> {
  await tx`DELETE FROM fhir_outbox WHERE observation_id = ${observationId}`;
}

export async function postponeOutbox(tx: Tx, observationId: string, error: string, afterS: number): Promise<void> {
  await tx`UPDATE fhir_outbox SET attempts = attempts + 1, last_error = ${error},
             next_attempt_at = now() + make_interval(secs => ${afterS}) WHERE observation_id = ${observationId}`;
}

/**
 * Keeps a received Observation; the version grows only when the content changes. Returns the
 * version and whether it was new, or null when the content was the same as stored.
 */
export async function upsertReceived(
  sql: Sql,
  id: string,
  resource: Record<string, unknown>,
): Promise<{ version_id: number; inserted: boolean } | null> {
  const [row] = await sql<{ version_id: number; inserted: boolean }[]>`
    INSERT INTO fhir_received (resource_type, id, resource) VALUES ('Observation', ${id}, ${sql.json(resource as never)})
    ON CONFLICT (resource_type, id) DO UPDATE SET resource = EXCLUDED.resource, version_id = fhir_received.version_id + 1, last_updated = now()
      WHERE fhir_received.resource IS DISTINCT FROM EXCLUDED.resource
    RETURNING version_id, (xmax = 0) AS inserted`;
  return row ?? null;
}

export async function receivedVersion(sql: Sql, id: string): Promise<number | null> {
  const [row] = await sql<
    { version_id: number }[]
  >`SELECT version_id FROM fhir_received WHERE resource_type = 'Observation' AND id = ${id}`;
  return row?.version_id ?? null;
}
