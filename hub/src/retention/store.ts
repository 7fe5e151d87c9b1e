// All SQL of retention: erasing one citizen's personal data, and purging what has outlived its period.
import type { Sql, Tx } from '../db/client.ts';
import type { RetentionPolicy } from './policy.ts';

export type Counts = Record<string, number>;

const n = (rows: readonly unknown[]) => rows.length;
const ago = (tx: Sql | Tx, d: number) => tx`now() - make_interval(days => ${d})`;

/** Deletes Observations (and what points at them) matching a condition on fhir_observations `o`. */
async function deleteObservationsWhere(tx: Tx, where: ReturnType<Tx>): Promise<number> {
  await tx`DELETE FROM fhir_subscription_events WHERE observation_id IN (SELECT o.id FROM fhir_observations o WHERE ${where})`;
  await tx`DELETE FROM fhir_outbox WHERE observation_id IN (SELECT o.id FROM fhir_observations o WHERE ${where})`;
  return n(await tx`DELETE FROM fhir_observations o WHERE ${where} RETURNING o.id`);
}

export async function citizenExists(sql: Sql | Tx, id: string): Promise<{ erased: boolean } | null> {
  const [r] = await sql<{ erased_at: Date | null }[]>`SELECT erased_at FROM citizens WHERE id = ${id}`;
  return r ? { erased: !!r.erased_at } : null;
}

/**
 * Erases a citizen's personal data: health records, notes, handovers, the visit summaries and
 * reasons of their consults, and what identifies them on the citizen row. Ids stay (pseudonymous),
 * so calls, consults and the audit trail keep pointing at something.
 */
export async function eraseCitizenData(tx: Tx, id: string): Promise<Counts> {
  const c: Counts = {};
  c.observations = await deleteObservationsWhere(tx, tx`o.patient_id = ${id}`);
  c.resources = n(await tx`DELETE FROM fhir_resources WHERE patient_id = ${id} RETURNING id`);
  c.subscriptions = n(await tx`UPDATE fhir_subscriptions SET status = 'off' WHERE filter_patient = ${id} AND status <> 'off' RETURNING id`);
  c.breakGlass = n(await tx`DELETE FROM fhir_break_glass WHERE patient_id = ${id} RETURNING id`);
  c.handovers = n(await tx`DELETE FROM call_medical_handovers WHERE citizen_id = ${id} RETURNING call_id`);
  c.consults = n(await tx`UPDATE consults SET reason = 'erased', note = NULL, summary = NULL WHERE citizen_id = ${id} RETURNING id`);
  await tx`UPDATE consult_events SET detail = '{}' WHERE consult_id IN (SELECT id FROM consults WHERE citizen_id = ${id})`;
  c.sessions = n(await tx`UPDATE citizen_sessions SET checks = '{}' WHERE citizen_id = ${id} RETURNING id`);
  await tx`UPDATE citizens SET id_number = NULL, full_name = NULL, date_of_birth = NULL, sex = NULL, erased_at = now(), updated_at = now() WHERE id = ${id}`;
  return c;
}

/** Citizens not erased whose last session ended (or who were created, without one) longer ago than the period. */
export async function inactiveCitizens(sql: Sql | Tx, citizenDays: number, limit = 500): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    SELECT c.id FROM citizens c
    WHERE c.erased_at IS NULL AND c.created_at < ${ago(sql, citizenDays)}
      AND NOT EXISTS (SELECT 1 FROM citizen_sessions s WHERE s.citizen_id = c.id AND (s.ended_at IS NULL OR s.ended_at >= ${ago(sql, citizenDays)}))
    LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/** Everything else past its period, in one transaction. */
export async function purgeExpired(tx: Tx, p: RetentionPolicy): Promise<Counts> {
  const c: Counts = {};
  c.observations = await deleteObservationsWhere(tx, tx`o.effective < ${ago(tx, p.observationDays)}`);
  c.notes = n(
    await tx`DELETE FROM fhir_resources WHERE resource_type IN ('Encounter', 'ClinicalImpression') AND last_updated < ${ago(tx, p.noteDays)} RETURNING id`,
  );
  c.consultNotes = n(
    await tx`UPDATE consults SET note = NULL, summary = NULL WHERE ended_at < ${ago(tx, p.noteDays)} AND (note IS NOT NULL OR summary IS NOT NULL) RETURNING id`,
  );
  c.handovers = n(await tx`DELETE FROM call_medical_handovers WHERE created_at < ${ago(tx, p.noteDays)} RETURNING call_id`);
  c.sessionChecks = n(
    await tx`UPDATE citizen_sessions SET checks = '{}' WHERE ended_at < ${ago(tx, p.sessionDays)} AND checks <> '{}' RETURNING id`,
  );
  c.challenges = n(
    await tx`DELETE FROM identity_challenges WHERE used_at IS NOT NULL OR expires_at < ${ago(tx, p.technicalDays)} RETURNING id`,
  );
  c.staffSessions = n(await tx`DELETE FROM staff_sessions WHERE expires_at < now() RETURNING staff_id`);
  c.wsTokens = n(await tx`DELETE FROM fhir_ws_tokens WHERE expires_at < now() RETURNING staff_id`);
  c.webhookIds = n(await tx`DELETE FROM webhook_deliveries WHERE received_at < ${ago(tx, p.technicalDays)} RETURNING id`);
  c.breakGlass = n(await tx`DELETE FROM fhir_break_glass WHERE expires_at < ${ago(tx, p.technicalDays)} RETURNING id`);
  c.selfTests = n(await tx`DELETE FROM station_self_tests WHERE finished_at < ${ago(tx, p.technicalDays)} RETURNING id`);
  c.audit = n(await tx`DELETE FROM audit_log WHERE at < ${ago(tx, p.auditDays)} RETURNING id`);
  return c;
}
