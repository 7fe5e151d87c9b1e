// Health data only to whom needs it: a clinician reads the patients of the consults they accepted
// (while live and for CLINICIAN_ACCESS_HOURS after), others only through a break-glass grant whose
// typed reason is audited and flagged for review.
import type { HubDeps } from '../deps.ts';
import type { Staff } from '../auth/staff.ts';
import { participant } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { citizenById, citizenByIdNumber } from '../identity/store.ts';
import { insertBreakGlass, permittedPatients, type Basis } from './access-store.ts';

export type { Basis };
export type Access = Map<string, Basis>;

export const accessOf = (d: HubDeps, staff: Staff): Promise<Access> =>
  permittedPatients(d.sql, staff.id, d.config.healthAccess.consultHours);

/** The refusal for a patient outside the clinician's care (the same whether or not the patient exists). */
export const notInCare = () =>
  fail(403, 'forbidden', 'This patient is not in your care (no consult you accepted); use $break-glass with a reason if you must');

/** How the audit trail names a basis: why this read was allowed. */
export const basisLabel = (b: Basis | undefined) =>
  !b ? undefined : b.kind === 'consult' ? `consult:${b.consult}` : b.kind === 'call' ? `call:${b.call}` : `break-glass:${b.grant}`;

/** The bases of the patients a response carries, for its audit row. */
export function basesOf(access: Access, patients: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of patients) out[p] = basisLabel(access.get(p)) ?? 'none';
  return out;
}

export interface BreakGlassRequest {
  patient?: string;
  identifier?: string;
  reason: string;
}

/** Grants the clinician time-limited access to one patient; audited with the reason and flagged. */
export async function breakGlass(
  d: HubDeps,
  staff: Staff,
  req: BreakGlassRequest,
): Promise<Outcome<{ patient: string; grant: string; expiresAt: string }>> {
  const citizen = req.patient
    ? await citizenById(d.sql, req.patient)
    : req.identifier
      ? await citizenByIdNumber(d.sql, req.identifier)
      : null;
  if (!citizen) return fail(404, 'not-found', 'No such patient');
  const minutes = d.config.healthAccess.breakGlassMinutes;
  const g = await d.sql.begin(async (tx) => {
    const grant = await insertBreakGlass(tx, { staffId: staff.id, patientId: citizen.id, reason: req.reason, minutes });
    await insertAudit(tx, {
      actor: participant.staff(staff.username),
      action: 'fhir.break_glass',
      subject: `Patient/${citizen.id}`,
      detail: { reason: req.reason, grant: grant.id, expiresAt: grant.expires_at.toISOString(), flagged: true, patients: [citizen.id] },
    });
    return grant;
  });
  d.log.warn({ staff: staff.username, patient: citizen.id, grant: g.id }, 'break-glass access to health data');
  return ok({ patient: citizen.id, grant: g.id, expiresAt: g.expires_at.toISOString() });
}
