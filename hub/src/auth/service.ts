// Staff accounts and cookie sessions: creating an account, logging in and out, and who a
// session cookie belongs to.
import type { Sql } from '../db/client.ts';
import type { HubDeps } from '../deps.ts';
import { participant, subject } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { digest, newSecret } from './tokens.ts';
import {
  activeStaffCredential,
  deleteStaffSession,
  insertStaffSession,
  replaceStaffWards,
  staffById,
  staffIdBySession,
  upsertStaff,
} from './store.ts';
import type { Role, Staff } from './staff.ts';

// Verified against a real hash even for unknown users, so timing does not reveal which usernames exist.
let dummyHash: Promise<string> | undefined;

/** Creates (or resets) an account with exactly these wards. */
export async function createStaff(
  sql: Sql,
  s: { username: string; displayName: string; role: Role; password: string; wardIds?: number[] },
): Promise<string> {
  const passwordHash = await hashPassword(s.password);
  return sql.begin(async (tx) => {
    const id = await upsertStaff(tx, { ...s, passwordHash });
    await replaceStaffWards(tx, id, s.wardIds ?? []);
    return id;
  });
}

export async function login(d: HubDeps, username: string, password: string): Promise<Outcome<{ token: string; staff: Staff }>> {
  const refused = fail(401, 'bad_credentials', 'Wrong username or password');
  const row = await activeStaffCredential(d.sql, username);
  if (!row) {
    dummyHash ??= hashPassword('not-a-password');
    await verifyPassword(password, await dummyHash);
    return refused;
  }
  if (!(await verifyPassword(password, row.password_hash))) return refused;
  const token = newSecret();
  await insertStaffSession(d.sql, digest(token), row.id, d.config.staffSessionHours);
  const staff = await staffById(d.sql, row.id);
  if (!staff) return refused;
  await insertAudit(d.sql, { actor: participant.staff(staff.username), action: 'login', subject: subject.staff(staff.username) });
  return ok({ token, staff });
}

export async function logout(d: HubDeps, token: string): Promise<void> {
  await deleteStaffSession(d.sql, digest(token));
}

export async function staffBySession(sql: Sql, token: string): Promise<Staff | null> {
  const id = await staffIdBySession(sql, digest(token));
  return id ? staffById(sql, id) : null;
}
