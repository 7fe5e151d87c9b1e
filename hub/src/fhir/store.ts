// PostgreSQL storage of the FHIR resources the hub holds: JSONB documents plus search columns.
// `meta.versionId` / `meta.lastUpdated` are rendered from columns, so they never drift from the row.
import type { Sql, Tx } from '../db/client.ts';

export type StoredType = 'Device' | 'Encounter' | 'ClinicalImpression';
export interface Row { id: string; version_id: number; last_updated: Date; resource: Record<string, unknown> }

export function render(r: Row): Record<string, unknown> {
  const meta = { ...(r.resource.meta as object | undefined), versionId: String(r.version_id), lastUpdated: r.last_updated.toISOString() };
  return { ...r.resource, meta };
}

// Devices and Encounters are re-sent with every batch; remembering what this process last wrote
// skips the upsert when nothing changed. A stale entry only costs one redundant (idempotent) upsert.
const lastWritten = new Map<string, string>();

export interface UpsertRow { type: StoredType; id: string; stationId: string; patientId: string | null; resource: Record<string, unknown> }

/** Inserts or updates Devices, Encounters, ClinicalImpressions; the version grows only when the content changes. */
export async function upsertResources(tx: Sql | Tx, rows: UpsertRow[]): Promise<void> {
  const todo = rows.filter((r) => lastWritten.get(`${r.type}/${r.id}`) !== JSON.stringify(r.resource));
  if (!todo.length) return;
  await tx`
    INSERT INTO fhir_resources (resource_type, id, station_id, patient_id, resource)
    SELECT * FROM unnest(${todo.map((r) => r.type)}::text[], ${todo.map((r) => r.id)}::uuid[], ${todo.map((r) => r.stationId)}::uuid[],
                         ${todo.map((r) => r.patientId)}::uuid[], ${todo.map((r) => JSON.stringify(r.resource))}::text[]::jsonb[])
    ON CONFLICT (resource_type, id) DO UPDATE
      -- a batch without the kinds that tell a sensor's specialisation must not erase it
      SET resource = CASE WHEN EXCLUDED.resource ? 'specialization' OR NOT fhir_resources.resource ? 'specialization' THEN EXCLUDED.resource
                          ELSE EXCLUDED.resource || jsonb_build_object('specialization', fhir_resources.resource->'specialization') END,
          patient_id = EXCLUDED.patient_id, version_id = fhir_resources.version_id + 1, last_updated = now()
      WHERE fhir_resources.resource IS DISTINCT FROM (CASE WHEN EXCLUDED.resource ? 'specialization' OR NOT fhir_resources.resource ? 'specialization' THEN EXCLUDED.resource
                          ELSE EXCLUDED.resource || jsonb_build_object('specialization', fhir_resources.resource->'specialization') END)`;
  // Inside a transaction the write may still roll back: only remember auto-committed writes.
  if (!('begin' in tx)) return;
  if (lastWritten.size > 50_000) lastWritten.clear();
  for (const r of todo) lastWritten.set(`${r.type}/${r.id}`, JSON.stringify(r.resource));
}

export interface ObservationRow {
  id: string; readingId: string; patientId: string; encounterId: string; code: string; codes: string[]; categories: string[]; effective: string;
  resource: Record<string, unknown>;
}

/** Batch insert; returns the ids that were new (the others already existed: duplicates). */
export async function insertObservations(tx: Sql | Tx, stationId: string, rows: ObservationRow[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const inserted = await tx<{ id: string }[]>`
    INSERT INTO fhir_observations (id, station_id, reading_id, patient_id, encounter_id, code, codes, categories, effective, resource)
    SELECT u.id, ${stationId}, u.reading_id, u.patient_id, u.encounter_id, u.code, string_to_array(u.codes, ' '), string_to_array(u.categories, ' '), u.effective, u.resource
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.readingId)}::text[], ${rows.map((r) => r.patientId)}::uuid[],
                ${rows.map((r) => r.encounterId)}::uuid[], ${rows.map((r) => r.code)}::text[], ${rows.map((r) => r.codes.join(' '))}::text[],
                ${rows.map((r) => r.categories.join(' '))}::text[], ${rows.map((r) => r.effective)}::timestamptz[], ${rows.map((r) => JSON.stringify(r.resource))}::text[]::jsonb[])
         AS u(id, reading_id, patient_id, encounter_id, code, codes, categories, effective, resource)
    ON CONFLICT DO NOTHING
    RETURNING id`;
  return new Set(inserted.map((r) => r.id));
}

export async function readObservation(sql: Sql, id: string): Promise<(Row & { patient_id: string }) | undefined> {
  const [r] = await sql<(Row & { patient_id: string })[]>`SELECT id, version_id, last_updated, resource, patient_id FROM fhir_observations WHERE id = ${id}`;
  return r;
}

export async function readStored(sql: Sql, type: StoredType, id: string): Promise<(Row & { patient_id: string | null }) | undefined> {
  const [r] = await sql<(Row & { patient_id: string | null })[]>`
    SELECT id, version_id, last_updated, resource, patient_id FROM fhir_resources WHERE resource_type = ${type} AND id = ${id}`;
  return r;
}
