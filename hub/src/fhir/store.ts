// All SQL of the FHIR resources the hub holds (JSONB documents plus search columns), including searches.
// `meta.versionId` / `meta.lastUpdated` are rendered from columns, so they never drift from the row.
import type postgres from 'postgres';
import type { Sql, Tx } from '../db/client.ts';
import type { DateCond, ObservationFilter, Page, ResourceFilter, Tokens } from './search.ts';

export type StoredType = 'Device' | 'Encounter' | 'ClinicalImpression';
export interface Row {
  id: string;
  version_id: number;
  last_updated: Date;
  resource: Record<string, unknown>;
}
/** A row with the patient it is about (null for Devices), so reads and searches can be scoped and audited. */
export type PatientRow = Row & { patient_id: string | null };

export function render(r: Row): Record<string, unknown> {
  const meta = { ...(r.resource.meta as object | undefined), versionId: String(r.version_id), lastUpdated: r.last_updated.toISOString() };
  return { ...r.resource, meta };
}

// Devices and Encounters are re-sent with every batch; remembering what this process last wrote
// skips the upsert when nothing changed. A stale entry only costs one redundant (idempotent) upsert.
const lastWritten = new Map<string, string>();

export interface UpsertRow {
  type: StoredType;
  id: string;
  stationId: string;
  patientId: string | null;
  resource: Record<string, unknown>;
}

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
  id: string;
  readingId: string;
  patientId: string;
  encounterId: string;
  code: string;
  codes: string[];
  categories: string[];
  effective: string;
  resource: Record<string, unknown>;
}

/** Batch insert; returns the ids that were new (the others already existed: duplicates). */
export async function insertObservations(tx: Sql | Tx, stationId: string, rows: ObservationRow[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  // One JSON document for the whole batch: as text[] parameters every resource was escaped a
  // second time into PostgreSQL's array syntax, a twentieth of the ingest's CPU.
  const batch = rows.map((r) => ({
    id: r.id,
    reading_id: r.readingId,
    patient_id: r.patientId,
    encounter_id: r.encounterId,
    code: r.code,
    codes: r.codes,
    categories: r.categories,
    effective: r.effective,
    resource: r.resource,
  }));
  const inserted = await tx<{ id: string }[]>`
    INSERT INTO fhir_observations (id, station_id, reading_id, patient_id, encounter_id, code, codes, categories, effective, resource)
    SELECT u.id, ${stationId}, u.reading_id, u.patient_id, u.encounter_id, u.code, u.codes, u.categories, u.effective, u.resource
    FROM jsonb_to_recordset(${JSON.stringify(batch)}::text::jsonb)
         AS u(id uuid, reading_id text, patient_id uuid, encounter_id uuid, code text, codes text[], categories text[], effective timestamptz, resource jsonb)
    ON CONFLICT DO NOTHING
    RETURNING id`;
  return new Set(inserted.map((r) => r.id));
}

export async function readObservation(sql: Sql, id: string): Promise<(Row & { patient_id: string }) | undefined> {
  const [r] = await sql<
    (Row & { patient_id: string })[]
  >`SELECT id, version_id, last_updated, resource, patient_id FROM fhir_observations WHERE id = ${id}`;
  return r;
}

export async function readStored(sql: Sql, type: StoredType, id: string): Promise<(Row & { patient_id: string | null }) | undefined> {
  const [r] = await sql<(Row & { patient_id: string | null })[]>`
    SELECT id, version_id, last_updated, resource, patient_id FROM fhir_resources WHERE resource_type = ${type} AND id = ${id}`;
  return r;
}

// --- search ---

type Frag = postgres.PendingQuery<postgres.Row[]>;

const and = (sql: Sql, conds: (Frag | undefined)[]): Frag => {
  const cs = conds.filter((c): c is Frag => !!c);
  return cs.length ? cs.slice(1).reduce((acc, c) => sql`${acc} AND ${c}`, cs[0]!) : sql`TRUE`;
};

function tokenCond(sql: Sql, t: Tokens | undefined, column: Frag): Frag | undefined {
  if (!t) return undefined;
  const parts: Frag[] = [];
  if (t.exact.length) parts.push(sql`${column} && ${t.exact}::text[]`);
  // code without a system: any system; codes never contain '|', so the suffix test is exact
  if (t.codeOnly.length)
    parts.push(sql`EXISTS (SELECT 1 FROM unnest(${column}) x WHERE split_part(x, '|', 2) = ANY(${t.codeOnly}::text[]))`);
  return parts.length === 1 ? parts[0] : sql`(${parts[0]!} OR ${parts[1]!})`;
}

function dateCond(sql: Sql, d: DateCond, column: Frag): Frag {
  switch (d.op) {
    case 'eq':
      return sql`(${column} >= ${d.lo} AND ${column} < ${d.hi})`;
    case 'gt':
      return sql`${column} >= ${d.hi}`;
    case 'ge':
      return sql`${column} >= ${d.lo}`;
    case 'lt':
      return sql`${column} < ${d.lo}`;
    case 'le':
      return sql`${column} < ${d.hi}`;
  }
}

function observationWhere(sql: Sql, f: ObservationFilter): Frag {
  return and(sql, [
    f.patient ? sql`patient_id = ANY(${f.patient}::uuid[])` : undefined,
    f.subject ? sql`patient_id = ANY(${f.subject}::uuid[])` : undefined,
    f.encounter ? sql`encounter_id = ANY(${f.encounter}::uuid[])` : undefined,
    f.ids ? sql`id = ANY(${f.ids}::uuid[])` : undefined,
    f.allowed ? sql`patient_id = ANY(${f.allowed}::uuid[])` : undefined,
    tokenCond(sql, f.code, sql`codes`),
    tokenCond(sql, f.category, sql`categories`),
    ...f.dates.map((d) => dateCond(sql, d, sql`effective`)),
  ]);
}

/** One page of matching Observations (one more than asked, to tell whether there is a next page) and the total. */
export async function searchObservations(
  sql: Sql,
  f: ObservationFilter,
  page: Page,
  newestFirst: boolean,
): Promise<{ rows: PatientRow[]; total: number }> {
  const where = observationWhere(sql, f);
  const [rows, [total]] = await Promise.all([
    sql<PatientRow[]>`SELECT id, version_id, last_updated, resource, patient_id FROM fhir_observations WHERE ${where}
               ORDER BY effective ${newestFirst ? sql`DESC` : sql`ASC`}, id LIMIT ${page.count + 1} OFFSET ${page.offset}`,
    sql<{ n: number }[]>`SELECT count(*)::int AS n FROM fhir_observations WHERE ${where}`,
  ]);
  return { rows, total: total!.n };
}

/** $lastn: the most recent `max` matching Observations of each patient and primary LOINC code. */
export async function lastObservations(sql: Sql, f: ObservationFilter, max: number): Promise<PatientRow[]> {
  return sql<PatientRow[]>`
    SELECT id, version_id, last_updated, resource, patient_id FROM (
      SELECT *, row_number() OVER (PARTITION BY patient_id, code ORDER BY effective DESC, id) AS rn FROM fhir_observations WHERE ${observationWhere(sql, f)}
    ) x WHERE rn <= ${max} ORDER BY code, effective DESC, id`;
}

/** One page of stored resources of a type, most recently updated first (plus one), and the total. */
export async function searchResources(
  sql: Sql,
  type: StoredType,
  f: ResourceFilter,
  page: Page,
): Promise<{ rows: PatientRow[]; total: number }> {
  const where = and(sql, [
    sql`resource_type = ${type}`,
    f.ids ? sql`id = ANY(${f.ids}::uuid[])` : undefined,
    f.patient ? sql`patient_id = ANY(${f.patient}::uuid[])` : undefined,
    f.subject ? sql`patient_id = ANY(${f.subject}::uuid[])` : undefined,
    f.allowed ? sql`patient_id = ANY(${f.allowed}::uuid[])` : undefined,
  ]);
  const [rows, [total]] = await Promise.all([
    sql<
      PatientRow[]
    >`SELECT id, version_id, last_updated, resource, patient_id FROM fhir_resources WHERE ${where} ORDER BY last_updated DESC, id LIMIT ${page.count + 1} OFFSET ${page.offset}`,
    sql<{ n: number }[]>`SELECT count(*)::int AS n FROM fhir_resources WHERE ${where}`,
  ]);
  return { rows, total: total!.n };
}

/**
 * Finishes a citizen session's Encounter once the session has ended (card removed, idle): status
 * finished and period.end, as the next ingest would write it. False when there is nothing to change.
 */
export async function finishSessionEncounter(sql: Sql, sessionId: string): Promise<boolean> {
  const r = await sql`
    UPDATE fhir_resources f
       SET resource = f.resource || jsonb_build_object('status', 'finished',
             'period', coalesce(f.resource->'period', '{}') || jsonb_build_object('end', to_char(s.ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
           version_id = f.version_id + 1, last_updated = now()
      FROM citizen_sessions s
     WHERE f.resource_type = 'Encounter' AND f.id = ${sessionId} AND s.id = f.id AND s.ended_at IS NOT NULL
       AND f.resource->>'status' IS DISTINCT FROM 'finished'
    RETURNING f.id`;
  return r.length > 0;
}
