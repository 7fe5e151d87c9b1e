// Operator actions on stations and staff accounts, and the audit viewer: each audited.
import type { HubDeps } from '../deps.ts';
import type { Staff } from '../auth/staff.ts';
import { participant, subject, type AuditRowView, type OneTimePasswordView, type StaffAdminView, type StaffRole } from '@tram/contracts';
import { newSecret } from '../auth/tokens.ts';
import { hashPassword } from '../auth/passwords.ts';
import { auditRows, countWards, deactivateStaff, insertStaffAccount, resetStaffPassword, staffList, type AuditFilter } from './store.ts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { rotateStationCredential } from '../stations/service.ts';

export async function rotateCredentialAsAdmin(d: HubDeps, admin: Staff, stationId: string): Promise<Outcome<{ credential: string }>> {
  const r = await rotateStationCredential(d.sql, stationId);
  if (!r) return fail(404, 'not_found', 'No such station');
  await insertAudit(d.sql, {
    actor: participant.staff(admin.username),
    action: 'station.rotate_credential',
    subject: subject.station(r.code),
  });
  return ok({ credential: r.credential });
}

// ---- staff accounts ---------------------------------------------------------------------------

/** A one-time password: 16 characters, typed once, replaced at the first login. */
const oneTimePassword = () => newSecret(12);

export async function createStaffAsAdmin(
  d: HubDeps,
  admin: Staff,
  s: { username: string; displayName: string; role: StaffRole; wardIds: number[] },
): Promise<Outcome<OneTimePasswordView>> {
  const wardIds = [...new Set(s.wardIds)];
  if ((await countWards(d.sql, wardIds)) !== wardIds.length) return fail(400, 'invalid_request', 'Unknown wardIds');
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  return d.sql.begin(async (tx) => {
    const id = await insertStaffAccount(tx, { ...s, wardIds, passwordHash });
    if (!id) return fail(409, 'staff_exists', 'This username is taken');
    await insertAudit(tx, {
      actor: participant.staff(admin.username),
      action: 'staff.create',
      subject: subject.staff(s.username),
      detail: { role: s.role, wardIds },
    });
    const [staff] = await staffList(tx, id);
    return ok({ staff: staff!, oneTimePassword: password });
  });
}

export async function resetStaffPasswordAsAdmin(d: HubDeps, admin: Staff, id: string): Promise<Outcome<OneTimePasswordView>> {
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  return d.sql.begin(async (tx) => {
    const username = await resetStaffPassword(tx, id, passwordHash);
    if (!username) return fail(404, 'not_found', 'No such active account');
    await insertAudit(tx, { actor: participant.staff(admin.username), action: 'staff.reset_password', subject: subject.staff(username) });
    const [staff] = await staffList(tx, id);
    return ok({ staff: staff!, oneTimePassword: password });
  });
}

export async function deactivateStaffAsAdmin(d: HubDeps, admin: Staff, id: string): Promise<Outcome<StaffAdminView>> {
  if (id === admin.id) return fail(409, 'self', 'You cannot deactivate your own account');
  return d.sql.begin(async (tx) => {
    const username = await deactivateStaff(tx, id);
    if (!username) return fail(404, 'not_found', 'No such active account');
    await insertAudit(tx, { actor: participant.staff(admin.username), action: 'staff.deactivate', subject: subject.staff(username) });
    const [staff] = await staffList(tx, id);
    return ok(staff!);
  });
}

// ---- audit viewer -----------------------------------------------------------------------------

export async function auditSearch(d: HubDeps, admin: Staff, f: AuditFilter, format: 'json' | 'csv'): Promise<AuditRowView[]> {
  const rows = await auditRows(d.sql, f);
  // Reading the audit trail (and exporting it) is itself audited.
  await insertAudit(d.sql, {
    actor: participant.staff(admin.username),
    action: format === 'csv' ? 'audit.export' : 'audit.read',
    subject: 'audit_log',
    detail: { filter: { ...f }, rows: rows.length },
  });
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

const cell = (v: string) => {
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
export function auditCsv(rows: AuditRowView[]): string {
  const lines = ['id,at,actor,action,subject,detail'];
  for (const r of rows) lines.push([r.id, r.at, r.actor, r.action, r.subject, JSON.stringify(r.detail)].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
