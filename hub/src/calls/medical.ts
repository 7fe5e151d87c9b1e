// The medical handover of a doctor's escalation: health data goes only to the officer who owns the
// call and to the 115 medics added to it (the ringing broadcast says only "medical emergency"), and
// every read is audited with the call as its purpose.
import type { HubDeps } from '../deps.ts';
import type { Staff } from '../auth/staff.ts';
import { participant, subject, type MedicalHandoverView } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { citizenById } from '../identity/store.ts';
import { ageOf } from '../consults/triage.ts';
import { callById } from './store.ts';
import { handoverOf } from './medical-store.ts';
import { responderOf } from './responders-store.ts';

/**
 * The owning officer (also after the call, for the report), or a 115 medic who was added to the call
 * and has not left it, while the call lasts.
 */
async function mayReadHandover(d: HubDeps, call: { id: string; answered_by: string | null; status: string }, who: Staff): Promise<boolean> {
  if (call.answered_by === who.id) return true;
  if (who.role !== 'medic' || call.status === 'ended') return false;
  const r = await responderOf(d.sql, call.id, who.id);
  return !!r && r.status !== 'left';
}

export async function medicalHandover(d: HubDeps, callId: string, officer: Staff): Promise<Outcome<MedicalHandoverView>> {
  const call = await callById(d.sql, callId);
  // the same answer whether the call does not exist or is someone else's: nothing to learn here
  if (!call || !(await mayReadHandover(d, call, officer))) return fail(404, 'not_found', 'No medical handover for you on this call');
  const h = await handoverOf(d.sql, callId);
  if (!h) return fail(404, 'not_found', 'This call has no medical handover');
  const citizen = (await citizenById(d.sql, h.citizen_id))!;
  await insertAudit(d.sql, {
    actor: participant.staff(officer.username),
    action: 'call.medical.read',
    subject: subject.citizen(h.citizen_id),
    detail: { call: callId, consult: h.consult_id, patients: [h.citizen_id], purpose: `call:${callId}`, as: officer.role },
  });
  return ok({
    callId,
    patient: { id: citizen.id, name: citizen.fullName, age: ageOf(citizen.dateOfBirth), sex: citizen.sex },
    clinician: h.clinician_name ? { displayName: h.clinician_name } : null,
    reason: h.reason,
    vitals: h.vitals.list ?? [],
    text: h.vitals.text ?? null,
    createdAt: h.created_at.toISOString(),
  });
}
