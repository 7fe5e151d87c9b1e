// All SQL of who may read whose health data: the care relationship (consults a clinician accepted),
// break-glass grants, and an emergency call a doctor escalated (its owning officer and its medics).
import type { Sql, Tx } from '../db/client.ts';

/**
 * Why a staff member may read a patient: a consult they accepted, a break-glass grant (with its
 * reason), or a live emergency call carrying a doctor's handover of that patient.
 */
export type Basis =
  | { kind: 'consult'; consult: string }
  | { kind: 'break_glass'; grant: string; reason: string }
  | { kind: 'call'; call: string };

/**
 * Every patient the staff member may read now, with the basis: consults they accepted that are live
 * or ended less than `consultHours` ago, unexpired break-glass grants, and the patient of a doctor's
 * handover on a call that is answered and not ended, for the officer who owns it or a 115 medic in
 * it (access ends with the call or the hand-over of its ownership).
 */
export async function permittedPatients(sql: Sql | Tx, staffId: string, consultHours: number): Promise<Map<string, Basis>> {
  const rows = await sql<
    { patient_id: string; consult: string | null; grant_id: string | null; reason: string | null; call_id: string | null }[]
  >`
    SELECT citizen_id AS patient_id, id AS consult, NULL::uuid AS grant_id, NULL AS reason, NULL::uuid AS call_id FROM consults
     WHERE clinician_id = ${staffId} AND (ended_at IS NULL OR ended_at > now() - make_interval(secs => ${consultHours * 3600}))
    UNION ALL
    SELECT patient_id, NULL, id, reason, NULL FROM fhir_break_glass WHERE staff_id = ${staffId} AND expires_at > now()
    UNION ALL
    SELECT h.citizen_id, NULL, NULL, NULL, h.call_id FROM call_medical_handovers h JOIN calls c ON c.id = h.call_id
     WHERE c.status = 'answered' AND (c.answered_by = ${staffId} OR EXISTS (
       SELECT 1 FROM call_responders r JOIN staff s ON s.id = r.staff_id
        WHERE r.call_id = c.id AND r.staff_id = ${staffId} AND r.status <> 'left' AND s.role = 'medic'))`;
  const out = new Map<string, Basis>();
  // a consult is the better basis to record (it needs no review), then a call, then break-glass
  for (const r of rows)
    if (r.consult) out.set(r.patient_id, { kind: 'consult', consult: r.consult });
    else if (r.call_id && out.get(r.patient_id)?.kind !== 'consult') out.set(r.patient_id, { kind: 'call', call: r.call_id });
    else if (!out.has(r.patient_id)) out.set(r.patient_id, { kind: 'break_glass', grant: r.grant_id!, reason: r.reason! });
  return out;
}

export async function insertBreakGlass(
  sql: Sql | Tx,
  g: { staffId: string; patientId: string; reason: string; minutes: number },
): Promise<{ id: string; expires_at: Date }> {
  const [r] = await sql<{ id: string; expires_at: Date }[]>`
    INSERT INTO fhir_break_glass (staff_id, patient_id, reason, expires_at)
    VALUES (${g.staffId}, ${g.patientId}, ${g.reason}, now() + make_interval(mins => ${g.minutes})) RETURNING id, expires_at`;
  return r!;
}

/** The patient an Encounter is about (subscriptions filtered by encounter). */
export async function patientOfEncounter(sql: Sql | Tx, encounterId: string): Promise<string | null> {
  const [r] = await sql<{ patient_id: string | null }[]>`
    SELECT patient_id FROM fhir_resources WHERE resource_type = 'Encounter' AND id = ${encounterId}
    UNION ALL SELECT citizen_id FROM citizen_sessions WHERE id = ${encounterId} LIMIT 1`;
  return r?.patient_id ?? null;
}
