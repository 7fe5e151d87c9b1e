// All SQL of staff administration and of the audit viewer.
import type { Sql, Tx } from '../db/client.ts';
import type { StaffAdminView } from '@tram/contracts';

interface StaffRow {
  id: string;
  username: string;
  display_name: string;
  role: string;
  active: boolean;
  must_change_password: boolean;
  ward_ids: number[];
}
const toView = (r: StaffRow): StaffAdminView => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  wardIds: r.ward_ids,
  active: r.active,
  mustChangePassword: r.must_change_password,
});

export async function staffList(sql: Sql | Tx, id?: string): Promise<StaffAdminView[]> {
  const rows = await sql<StaffRow[]>`
    SELECT st.id, st.username, st.display_name, st.role, st.active, st.must_change_password,
           coalesce(array_agg(sw.ward_id ORDER BY sw.ward_id) FILTER (WHERE sw.ward_id IS NOT NULL), '{}') AS ward_ids
    FROM staff st LEFT JOIN staff_wards sw ON sw.staff_id = st.id
    ${id ? sql`WHERE st.id = ${id}` : sql``}
    GROUP BY st.id ORDER BY st.username`;
  return rows.map(toView);
}

/** A new account that must change its one-time password at first login; null when the username is taken. */
export async function insertStaffAccount(
  tx: Tx,
  s: { username: string; displayName: string; role: string; passwordHash: string; wardIds: number[] },
): Promise<string | null> {
  const [row] = await tx<{ id: string }[]>`
    INSERT INTO staff (username, display_name, role, password_hash, must_change_password)
    VALUES (${s.username}, ${s.displayName}, ${s.role}, ${s.passwordHash}, true)
    ON CONFLICT (username) DO NOTHING RETURNING id`;
  if (!row) return null;
  for (const w of s.wardIds) await tx`INSERT INTO staff_wards (staff_id, ward_id) VALUES (${row.id}, ${w})`;
  return row.id;
}

export async function countWards(sql: Sql | Tx, ids: number[]): Promise<number> {
  if (!ids.length) return 0;
  const [r] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM wards WHERE id = ANY(${ids}::int[])`;
  return r!.n;
}

/** Sets a one-time password (the account's sessions end: trigger of migration 008). */
export async function resetStaffPassword(tx: Sql | Tx, id: string, passwordHash: string): Promise<string | null> {
  const [row] = await tx<{ username: string }[]>`
    UPDATE staff SET password_hash = ${passwordHash}, must_change_password = true WHERE id = ${id} AND active RETURNING username`;
  return row?.username ?? null;
}

/** Deactivates the account: its sessions end and every hub closes its sockets (trigger of migration 008). */
export async function deactivateStaff(tx: Sql | Tx, id: string): Promise<string | null> {
  const [row] = await tx<{ username: string }[]>`UPDATE staff SET active = false WHERE id = ${id} AND active RETURNING username`;
  return row?.username ?? null;
}

export interface AuditFilter {
  actor?: string | undefined;
  subject?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
}

export async function auditRows(sql: Sql | Tx, f: AuditFilter) {
  return sql<{ id: string; at: Date; actor: string; action: string; subject: string; detail: Record<string, unknown> }[]>`
    SELECT id::text, at, actor, action, subject, detail FROM audit_log
    WHERE true
      ${f.actor ? sql`AND actor = ${f.actor}` : sql``}
      ${f.subject ? sql`AND (subject = ${f.subject} OR subject LIKE ${`${f.subject.replace(/[%_\\]/g, '\\$&')}:%`})` : sql``}
      ${f.action ? sql`AND action = ${f.action}` : sql``}
      ${f.from ? sql`AND at >= ${f.from}` : sql``}
      ${f.to ? sql`AND at < ${f.to}` : sql``}
    ORDER BY id DESC LIMIT ${f.limit}`;
}
