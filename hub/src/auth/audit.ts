// Append-only audit trail of sensitive actions and reads.
import type { Sql, Tx } from '../db/client.ts';

export interface AuditEntry { actor: string; action: string; subject: string; detail?: Record<string, unknown> }

export async function audit(sql: Sql | Tx, e: AuditEntry): Promise<void> {
  await sql`INSERT INTO audit_log (actor, action, subject, detail) VALUES (${e.actor}, ${e.action}, ${e.subject}, ${sql.json((e.detail ?? {}) as never)})`;
}
