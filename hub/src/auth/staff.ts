// Staff accounts and cookie sessions.
import type { Sql } from '../db/client.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { digest, newSecret } from './tokens.ts';

export type Role = 'police' | 'command' | 'clinician' | 'admin';

export interface Staff {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  wardIds: number[];
  districts: string[];
}

export const SESSION_COOKIE = 'tram_session';

// Verified against a real hash even for unknown users, so timing does not reveal which usernames exist.
let dummyHash: Promise<string> | undefined;

export async function createStaff(sql: Sql, s: { username: string; displayName: string; role: Role; password: string; wardIds?: number[] }): Promise<string> {
  const hash = await hashPassword(s.password);
  return sql.begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO staff (username, display_name, role, password_hash)
      VALUES (${s.username}, ${s.displayName}, ${s.role}, ${hash})
      ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role, password_hash = EXCLUDED.password_hash
      RETURNING id`;
    const id = row!.id;
    await tx`DELETE FROM staff_wards WHERE staff_id = ${id}`;
    for (const w of s.wardIds ?? []) await tx`INSERT INTO staff_wards (staff_id, ward_id) VALUES (${id}, ${w})`;
    return id;
  });
}

export async function login(sql: Sql, username: string, password: string, hours: number): Promise<{ token: string; staff: Staff } | null> {
  const [row] = await sql<{ id: string; password_hash: string }[]>`
    SELECT id, password_hash FROM staff WHERE username = ${username} AND active`;
  if (!row) {
    dummyHash ??= hashPassword('not-a-password');
    await verifyPassword(password, await dummyHash);
    return null;
  }
  if (!(await verifyPassword(password, row.password_hash))) return null;
  const token = newSecret();
  await sql`INSERT INTO staff_sessions (token_hash, staff_id, expires_at)
            VALUES (${digest(token)}, ${row.id}, now() + make_interval(secs => ${hours * 3600}))`;
  const staff = await staffById(sql, row.id);
  return staff ? { token, staff } : null;
}

export async function logout(sql: Sql, token: string): Promise<void> {
  await sql`DELETE FROM staff_sessions WHERE token_hash = ${digest(token)}`;
}

export async function staffBySession(sql: Sql, token: string): Promise<Staff | null> {
  const [row] = await sql<{ staff_id: string }[]>`
    SELECT s.staff_id FROM staff_sessions s JOIN staff st ON st.id = s.staff_id
    WHERE s.token_hash = ${digest(token)} AND s.expires_at > now() AND st.active`;
  return row ? staffById(sql, row.staff_id) : null;
}

export async function staffById(sql: Sql, id: string): Promise<Staff | null> {
  const [row] = await sql<{ id: string; username: string; display_name: string; role: Role; ward_ids: number[]; districts: string[] }[]>`
    SELECT st.id, st.username, st.display_name, st.role,
           coalesce(array_agg(w.id ORDER BY w.id) FILTER (WHERE w.id IS NOT NULL), '{}') AS ward_ids,
           coalesce(array_agg(DISTINCT w.district) FILTER (WHERE w.id IS NOT NULL), '{}') AS districts
    FROM staff st LEFT JOIN staff_wards sw ON sw.staff_id = st.id LEFT JOIN wards w ON w.id = sw.ward_id
    WHERE st.id = ${id} GROUP BY st.id`;
  if (!row) return null;
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role, wardIds: row.ward_ids, districts: row.districts };
}
