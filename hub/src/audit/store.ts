// Append-only audit trail of sensitive actions and reads. Actors are `participant.*` names and
// subjects `subject.*` names (or FHIR references), both from @tram/contracts.
import type { Sql, Tx } from '../db/client.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  detail?: Record<string, unknown>;
}

export async function insertAudit(sql: Sql | Tx, e: AuditEntry): Promise<void> {
  await sql`INSERT INTO audit_log (actor, action, subject, detail) VALUES (${e.actor}, ${e.action}, ${e.subject}, ${sql.json((e.detail ?? {}) as never)})`;
}
