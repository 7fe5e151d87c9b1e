// The hub's runtime role: what it may do to the data, nothing more. Migrations run as the
// database owner (MIGRATION_DATABASE_URL); the hub then serves with DATABASE_URL's role, which may
// read and write the tables but not change the schema, and may only append to audit_log. The
// grants are re-applied at every start, so tables of new migrations are covered.
import type { Sql } from './client.ts';

const ROLE = /^[a-z_][a-z0-9_]{0,62}$/;

export async function grantRuntimeRole(owner: Sql, role: string): Promise<void> {
  if (!ROLE.test(role)) throw new Error(`runtime role name "${role}" is not a plain lower-case identifier`);
  const r = `"${role}"`;
  await owner.begin(async (tx) => {
    await tx.unsafe(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await tx.unsafe(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r}`);
    await tx.unsafe(`GRANT USAGE ON SCHEMA public TO ${r}`);
    await tx.unsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
    await tx.unsafe(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
    // The audit trail is append-only for the hub; the schema's history is the owner's.
    await tx.unsafe(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${r}`);
    await tx.unsafe(`REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ${r}`);
  });
}

/** The user name of a postgres:// URL. */
export const roleOf = (url: string) => decodeURIComponent(new URL(url).username);
