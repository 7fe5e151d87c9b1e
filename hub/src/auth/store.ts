// All SQL of staff accounts and their cookie sessions (stored as token digests only).
import type { Sql, Tx } from '../db/client.ts';
import type { Role, Staff } from './staff.ts';

export async function upsertStaff(
  tx: Sql | Tx,
  s: { username: string; displayName: string; role: Role; passwordHash: string },
): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    INSERT INTO staff (username, display_name, role, password_hash)
    VALUES (${s.username}, ${s.displayName}, ${s.role}, ${s.passwordHash})
    ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role, password_hash = EXCLUDED.password_hash
    RETURNING id`;
  return row!.id;
}

export async function replaceStaffWards(tx: Sql | Tx, staffId: string, wardIds: number[]): Promise<void> {
  await tx`DELETE FROM staff_wards WHERE staff_id = ${staffId}`;
  for (const w of wardIds) await tx`INSERT INTO staff_wards (staff_id, ward_id) VALUES (${staffId}, ${w})`;
}

export async function activeStaffCredential(
  sql: Sql,
  username: string,
): Promise<{ id: string; password_hash: string; must_change_password: boolean } | undefined> {
  const [row] = await sql<{ id: string; password_hash: string; must_change_password: boolean }[]>`
    SELECT id, password_hash, must_change_password FROM staff WHERE username = ${username} AND active`;
  return row;
}

export async function insertStaffSession(sql: Sql, tokenHash: Buffer, staffId: string, hours: number, idleS: number): Promise<void> {
  await sql`INSERT INTO staff_sessions (token_hash, staff_id, expires_at, idle_s)
            VALUES (${tokenHash}, ${staffId}, now() + make_interval(secs => ${hours * 3600}), ${Math.round(idleS)})`;
}

/** Replaces a verified hash with a stronger one of the same password; the sessions stay (tram.rehash). */
export async function rehashStaffPassword(sql: Sql, staffId: string, oldHash: string, newHash: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT set_config('tram.rehash', 'on', true)`;
    await tx`UPDATE staff SET password_hash = ${newHash} WHERE id = ${staffId} AND password_hash = ${oldHash}`;
  });
}

export async function deleteStaffSession(sql: Sql | Tx, tokenHash: Buffer): Promise<void> {
  await sql`DELETE FROM staff_sessions WHERE token_hash = ${tokenHash}`;
}

/**
 * The staff id of a current session of an active account: not expired and not idle longer than
 * its idle timeout. Using it marks it seen (at most once a minute, to spare writes).
 */
export async function staffIdBySession(sql: Sql, tokenHash: Buffer): Promise<string | null> {
  const [row] = await sql<{ staff_id: string; stale: boolean }[]>`
    SELECT s.staff_id, s.last_seen_at < now() - interval '60 seconds' AS stale
    FROM staff_sessions s JOIN staff st ON st.id = s.staff_id
    WHERE s.token_hash = ${tokenHash} AND s.expires_at > now() AND st.active
      AND s.last_seen_at > now() - make_interval(secs => s.idle_s)`;
  if (!row) return null;
  if (row.stale) await sql`UPDATE staff_sessions SET last_seen_at = now() WHERE token_hash = ${tokenHash}`;
  return row.staff_id;
}

export async function staffById(sql: Sql | Tx, id: string): Promise<Staff | null> {
  const [row] = await sql<{ id: string; username: string; display_name: string; role: Role; ward_ids: number[]; neighbour_of: number[] }[]>`
    SELECT st.id, st.username, st.display_name, st.role,
           coalesce(array_agg(w.id ORDER BY w.id) FILTER (WHERE w.id IS NOT NULL), '{}') AS ward_ids,
           ARRAY(SELECT DISTINCT n.ward_id FROM ward_neighbours n JOIN staff_wards m ON m.ward_id = n.neighbour_id
                 WHERE m.staff_id = st.id ORDER BY n.ward_id) AS neighbour_of
    FROM staff st LEFT JOIN staff_wards sw ON sw.staff_id = st.id LEFT JOIN wards w ON w.id = sw.ward_id
    WHERE st.id = ${id} GROUP BY st.id`;
  if (!row) return null;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    wardIds: row.ward_ids,
    neighbourOf: row.neighbour_of,
  };
}

export async function staffUsernameTaken(sql: Sql | Tx, username: string): Promise<boolean> {
  const [r] = await sql`SELECT 1 FROM staff WHERE username = ${username}`;
  return Boolean(r);
}

/** The account's own new password; the one-time one stops working (sessions end: migration 008's trigger). */
export async function changeStaffPassword(sql: Sql, staffId: string, oldHash: string, newHash: string): Promise<boolean> {
  const r =
    await sql`UPDATE staff SET password_hash = ${newHash}, must_change_password = false WHERE id = ${staffId} AND password_hash = ${oldHash}`;
  return r.count === 1;
}
