// All SQL of who may read whose health data: the care relationship (consults a clinician accepted)
// and break-glass grants.
import type { Sql, Tx } from '../db/client.ts';

/** Why a clinician may read a patient: a consult they accepted, or a break-glass grant (with its reason). */
export type Basis = { kind: 'consult'; consult: string } | { kind: 'break_glass'; grant: string; reason: string };

/**
 * Every patient the clinician may read now, with the basis: consults they accepted that are live
 * or ended less than `consultHours` ago, and unexpired break-glass grants.
 */
export async function permittedPatients(sql: Sql | Tx, staffId: string, consultHours: number): Promise<Map<string, Basis>> {
  const rows = await sql<{ patient_id: string; consult: string | null; grant_id: string | null; reason: string | null }[]>`
    SELECT citizen_id AS patient_id, id AS consult, NULL::uuid AS grant_id, NULL AS reason FROM consults
     WHERE clinician_id = ${staffId} AND (ended_at IS NULL OR ended_at > now() - make_interval(secs => ${consultHours * 3600}))
    UNION ALL
    SELECT patient_id, NULL, id, reason FROM fhir_break_glass WHERE staff_id = ${staffId} AND expires_at > now()`;
  const out = new Map<string, Basis>();
  // a consult is the better basis to record: it needs no review
  for (const r of rows)
    if (r.consult) out.set(r.patient_id, { kind: 'consult', consult: r.consult });
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
