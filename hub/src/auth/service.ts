// Staff accounts and cookie sessions: creating an account, logging in and out, and who a
// session cookie belongs to.
import type { Sql } from '../db/client.ts';
import type { HubDeps } from '../deps.ts';
import { participant, subject } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { recordFailure, THROTTLE, throttleKeys } from './throttle.ts';
import { clearFailures, lockedFor } from './throttle-store.ts';
import { digest, newSecret } from './tokens.ts';
import {
  activeStaffCredential,
  changeStaffPassword,
  deleteStaffSession,
  insertStaffSession,
  rehashStaffPassword,
  replaceStaffWards,
  staffById,
  staffIdBySession,
  upsertStaff,
} from './store.ts';
import type { Role, Staff } from './staff.ts';

// Verified against a real hash even for unknown users, so timing does not reveal which usernames exist.
let dummyHash: Promise<string> | undefined;

/**
 * Creates (or resets) an account with exactly these wards. A reset that changes the password or
 * role ends the account's sessions (the staff_revoke_sessions trigger).
 */
export async function createStaff(
  sql: Sql,
  s: { username: string; displayName: string; role: Role; wardIds?: number[] } & ({ password: string } | { passwordHash: string }),
): Promise<string> {
  const passwordHash = 'passwordHash' in s ? s.passwordHash : await hashPassword(s.password);
  return sql.begin(async (tx) => {
    const id = await upsertStaff(tx, { ...s, passwordHash });
    await replaceStaffWards(tx, id, s.wardIds ?? []);
    return id;
  });
}

/**
 * Checks a password, throttled before any hashing (per username and per client address), audits
 * every failure, and upgrades an old hash on success.
 */
export async function login(
  d: HubDeps,
  username: string,
  password: string,
  address: string,
): Promise<Outcome<{ token: string; staff: Staff }> & { retryAfterS?: number }> {
  const keys = throttleKeys(username, address);
  const wait = await lockedFor(d.sql, [keys.user, keys.address]);
  if (wait > 0) return { ...fail(429, 'too_many_attempts', `Too many failed logins; try again in ${wait} s`), retryAfterS: wait };

  const refused = async (why: string) => {
    const lockedUser = await recordFailure(d.sql, keys.user, THROTTLE.user);
    const lockedAddress = await recordFailure(d.sql, keys.address, THROTTLE.address);
    await insertAudit(d.sql, {
      actor: `client:${address}`, // nobody logged in: the client address is all we know
      action: 'login_failed',
      subject: subject.staff(username),
      detail: {
        why,
        ...(lockedUser || lockedAddress ? { locked: [lockedUser && 'user', lockedAddress && 'address'].filter(Boolean) } : {}),
      },
    });
    return fail(401, 'bad_credentials', 'Wrong username or password');
  };
  const row = await activeStaffCredential(d.sql, username);
  if (!row) {
    dummyHash ??= hashPassword('not-a-password');
    await verifyPassword(password, await dummyHash);
    return refused('unknown_or_inactive');
  }
  if (!(await verifyPassword(password, row.password_hash))) return refused('wrong_password');
  await clearFailures(d.sql, keys.user);
  // A one-time password (new account, reset) opens no session: it must be changed first.
  if (row.must_change_password)
    return fail(
      403,
      'password_change_required',
      'Đổi mật khẩu trước khi đăng nhập / Change your one-time password first (POST /api/auth/password)',
    );
  if (needsRehash(row.password_hash)) await rehashStaffPassword(d.sql, row.id, row.password_hash, await hashPassword(password));
  const token = newSecret();
  await insertStaffSession(d.sql, digest(token), row.id, d.config.staffSessionHours, d.config.staffIdleMinutes * 60);
  const staff = await staffById(d.sql, row.id);
  if (!staff) return fail(401, 'bad_credentials', 'Wrong username or password');
  await insertAudit(d.sql, { actor: participant.staff(staff.username), action: 'login', subject: subject.staff(staff.username) });
  return ok({ token, staff });
}

/** Replaces the password (the forced change after a reset); checked and throttled like a login. */
export async function changePassword(
  d: HubDeps,
  username: string,
  password: string,
  newPassword: string,
  address: string,
): Promise<Outcome<{ changed: true }> & { retryAfterS?: number }> {
  if (newPassword === password) return fail(400, 'invalid_request', 'The new password must differ from the old one');
  const keys = throttleKeys(username, address);
  const wait = await lockedFor(d.sql, [keys.user, keys.address]);
  if (wait > 0) return { ...fail(429, 'too_many_attempts', `Too many failed logins; try again in ${wait} s`), retryAfterS: wait };
  const row = await activeStaffCredential(d.sql, username);
  if (!row || !(await verifyPassword(password, row.password_hash))) {
    await recordFailure(d.sql, keys.user, THROTTLE.user);
    await recordFailure(d.sql, keys.address, THROTTLE.address);
    await insertAudit(d.sql, { actor: `client:${address}`, action: 'password_change_failed', subject: subject.staff(username) });
    return fail(401, 'bad_credentials', 'Wrong username or password');
  }
  await clearFailures(d.sql, keys.user);
  if (!(await changeStaffPassword(d.sql, row.id, row.password_hash, await hashPassword(newPassword))))
    return fail(409, 'conflict', 'The password changed meanwhile; try again');
  await insertAudit(d.sql, { actor: participant.staff(username), action: 'staff.change_password', subject: subject.staff(username) });
  return ok({ changed: true as const });
}

/** Ends the session; its sockets on every hub instance close (session.ended). */
export async function logout(d: HubDeps, token: string): Promise<void> {
  const hash = digest(token);
  await d.sql.begin(async (tx) => {
    await deleteStaffSession(tx, hash);
    await d.bus.publish(tx, { type: 'session.ended', data: { session: hash.toString('hex') }, topics: [] });
  });
}

export async function staffBySession(sql: Sql, token: string): Promise<Staff | null> {
  const id = await staffIdBySession(sql, digest(token));
  return id ? staffById(sql, id) : null;
}
