// FHIR reads and searches of health data, each leaving an audit row (who, what, which patients).
import type { HubDeps } from '../deps.ts';
import type { Staff } from '../auth/staff.ts';
import { participant } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { citizenById, citizenByIdNumber, type Citizen } from '../identity/store.ts';
import { renderPatient } from './patient.ts';
import type { ObservationFilter, Page, ResourceFilter, patientCriteria } from './search.ts';
import { lastObservations, readObservation, readStored, render, searchObservations, searchResources, type StoredType } from './store.ts';

type Resource = Record<string, unknown>;
/** Who asks, and the query string they asked with (kept in the audit trail). */
export interface Caller {
  staff: Staff;
  query: string;
}
export interface Found {
  resources: Resource[];
  total: number;
  hasMore: boolean;
}

const auditRead = (d: HubDeps, who: Caller, type: string, id: string, patientId: string | null) =>
  insertAudit(d.sql, {
    actor: participant.staff(who.staff.username),
    action: 'fhir.read',
    subject: `${type}/${id}`,
    detail: { patient: patientId },
  });

const auditSearch = (d: HubDeps, who: Caller, type: string, patients: string[] | undefined, results: string[]) =>
  insertAudit(d.sql, {
    actor: participant.staff(who.staff.username),
    action: 'fhir.search',
    subject: patients?.length ? patients.map((p) => `Patient/${p}`).join(',') : type,
    detail: { type, query: who.query, results: results.length },
  });

const notKnown = (type: string, raw: string) => fail(404, 'not-found', `${type}/${raw} is not known`);

/** A read by id: `id` is null when the raw id is a valid FHIR id but cannot exist here. */
export async function readPatient(d: HubDeps, who: Caller, id: string | null, raw: string): Promise<Outcome<Resource>> {
  const p = id ? await citizenById(d.sql, id) : null;
  if (!p) return notKnown('Patient', raw);
  await auditRead(d, who, 'Patient', p.id, p.id);
  return ok(renderPatient(p));
}

export async function searchPatients(d: HubDeps, who: Caller, crit: ReturnType<typeof patientCriteria>, page: Page): Promise<Found> {
  const found: Citizen[] = [];
  for (const id of crit.ids ?? []) {
    const c = await citizenById(d.sql, id);
    if (c) found.push(c);
  }
  for (const n of crit.idNumbers) {
    const c = await citizenByIdNumber(d.sql, n);
    if (c) found.push(c);
  }
  const matching = crit.onlyIds ? found.filter((p) => crit.onlyIds!.has(p.id)) : found;
  const unique = [...new Map(matching.map((p) => [p.id, p])).values()];
  const pageItems = unique.slice(page.offset, page.offset + page.count);
  await auditSearch(
    d,
    who,
    'Patient',
    unique.map((p) => p.id),
    pageItems.map((p) => p.id),
  );
  return { resources: pageItems.map(renderPatient), total: unique.length, hasMore: unique.length > page.offset + page.count };
}

export async function readOneObservation(d: HubDeps, who: Caller, id: string | null, raw: string): Promise<Outcome<Resource>> {
  const row = id ? await readObservation(d.sql, id) : undefined;
  if (!row) return notKnown('Observation', raw);
  await auditRead(d, who, 'Observation', row.id, row.patient_id);
  return ok(render(row));
}

export async function findObservations(
  d: HubDeps,
  who: Caller,
  f: ObservationFilter,
  patients: string[] | undefined,
  page: Page,
  newestFirst: boolean,
): Promise<Found> {
  const { rows, total } = await searchObservations(d.sql, f, page, newestFirst);
  const items = rows.slice(0, page.count);
  await auditSearch(
    d,
    who,
    'Observation',
    patients,
    items.map((x) => x.id),
  );
  return { resources: items.map(render), total, hasMore: page.count > 0 && rows.length > page.count };
}

export async function lastN(
  d: HubDeps,
  who: Caller,
  f: ObservationFilter,
  patients: string[] | undefined,
  max: number,
): Promise<Resource[]> {
  const rows = await lastObservations(d.sql, f, max);
  await auditSearch(
    d,
    who,
    'Observation/$lastn',
    patients,
    rows.map((x) => x.id),
  );
  return rows.map(render);
}

export async function readResource(d: HubDeps, who: Caller, type: StoredType, id: string | null, raw: string): Promise<Outcome<Resource>> {
  const row = id ? await readStored(d.sql, type, id) : undefined;
  if (!row) return notKnown(type, raw);
  await auditRead(d, who, type, row.id, row.patient_id);
  return ok(render(row));
}

export async function findResources(
  d: HubDeps,
  who: Caller,
  type: StoredType,
  f: ResourceFilter,
  patients: string[] | undefined,
  page: Page,
): Promise<Found> {
  const { rows, total } = await searchResources(d.sql, type, f, page);
  const items = rows.slice(0, page.count);
  await auditSearch(
    d,
    who,
    type,
    patients,
    items.map((x) => x.id),
  );
  return { resources: items.map(render), total, hasMore: page.count > 0 && rows.length > page.count };
}
