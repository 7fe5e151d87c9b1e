// FHIR reads and searches of health data, scoped to the caller's care (access.ts), each leaving an
// audit row naming the patients actually returned and why the caller could read them.
import type { HubDeps } from '../deps.ts';
import type { Staff } from '../auth/staff.ts';
import { participant } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { citizenById, citizenByIdNumber, type Citizen } from '../identity/store.ts';
import { accessOf, basesOf, basisLabel, notInCare, type Access } from './access.ts';
import { renderPatient } from './patient.ts';
import type { ObservationFilter, Page, ResourceFilter, patientCriteria } from './search.ts';
import {
  lastObservations,
  readObservation,
  readStored,
  render,
  searchObservations,
  searchResources,
  type PatientRow,
  type StoredType,
} from './store.ts';

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

const actor = (who: Caller) => participant.staff(who.staff.username);

const auditRead = (d: HubDeps, who: Caller, access: Access, type: string, id: string, patientId: string | null) =>
  insertAudit(d.sql, {
    actor: actor(who),
    action: 'fhir.read',
    subject: `${type}/${id}`,
    detail: {
      patient: patientId,
      patients: patientId ? [patientId] : [],
      basis: patientId ? basisLabel(access.get(patientId)) : undefined,
    },
  });

/** A search's audit row names every patient whose data was returned (not only those asked for). */
const auditSearch = (d: HubDeps, who: Caller, access: Access, type: string, resultIds: string[], patients: (string | null)[]) => {
  const returned = [...new Set(patients.filter((p): p is string => !!p))];
  return insertAudit(d.sql, {
    actor: actor(who),
    action: 'fhir.search',
    subject: returned.length ? returned.map((p) => `Patient/${p}`).join(',') : type,
    detail: { type, query: who.query, results: resultIds.length, patients: returned, basis: basesOf(access, returned) },
  });
};

/** A refused attempt is audited too: probing for patients outside one's care is worth seeing. */
const auditDenied = (d: HubDeps, who: Caller, what: string, patients: string[]) =>
  insertAudit(d.sql, { actor: actor(who), action: 'fhir.denied', subject: what, detail: { query: who.query, patients } });

const notKnown = (type: string, raw: string) => fail(404, 'not-found', `${type}/${raw} is not known`);

/** Refuses a search that names patients outside the caller's care; null when all are in it. */
async function refuseOutside(d: HubDeps, who: Caller, access: Access, type: string, asked: string[] | undefined) {
  const outside = (asked ?? []).filter((p) => !access.has(p));
  if (!outside.length) return null;
  await auditDenied(d, who, type, outside);
  return notInCare();
}

/** A read by id: `id` is null when the raw id is a valid FHIR id but cannot exist here. */
export async function readPatient(d: HubDeps, who: Caller, id: string | null, raw: string): Promise<Outcome<Resource>> {
  const p = id ? await citizenById(d.sql, id) : null;
  if (!p?.idNumber) return notKnown('Patient', raw); // erased citizens have no Patient
  const access = await accessOf(d, who.staff);
  if (!access.has(p.id)) {
    await auditDenied(d, who, `Patient/${p.id}`, [p.id]);
    return notInCare();
  }
  await auditRead(d, who, access, 'Patient', p.id, p.id);
  return ok(renderPatient(p));
}

/** Only patients in the caller's care are found: a CCCD number alone does not open a record. */
export async function searchPatients(d: HubDeps, who: Caller, crit: ReturnType<typeof patientCriteria>, page: Page): Promise<Found> {
  const access = await accessOf(d, who.staff);
  const found: Citizen[] = [];
  for (const id of crit.ids ?? []) {
    const c = await citizenById(d.sql, id);
    if (c?.idNumber) found.push(c);
  }
  for (const n of crit.idNumbers) {
    const c = await citizenByIdNumber(d.sql, n);
    if (c) found.push(c);
  }
  const matching = found.filter((p) => access.has(p.id) && (!crit.onlyIds || crit.onlyIds.has(p.id)));
  const unique = [...new Map(matching.map((p) => [p.id, p])).values()];
  const pageItems = unique.slice(page.offset, page.offset + page.count);
  const ids = pageItems.map((p) => p.id);
  await auditSearch(d, who, access, 'Patient', ids, ids);
  return { resources: pageItems.map(renderPatient), total: unique.length, hasMore: unique.length > page.offset + page.count };
}

/** A stored resource by id, refused when it is about a patient outside the caller's care. */
async function readScoped(d: HubDeps, who: Caller, type: string, row: PatientRow | undefined, raw: string): Promise<Outcome<Resource>> {
  if (!row) return notKnown(type, raw);
  const access = await accessOf(d, who.staff);
  if (row.patient_id && !access.has(row.patient_id)) {
    await auditDenied(d, who, `${type}/${row.id}`, [row.patient_id]);
    return notInCare();
  }
  await auditRead(d, who, access, type, row.id, row.patient_id);
  return ok(render(row));
}

export async function readOneObservation(d: HubDeps, who: Caller, id: string | null, raw: string): Promise<Outcome<Resource>> {
  return readScoped(d, who, 'Observation', id ? await readObservation(d.sql, id) : undefined, raw);
}

export async function readResource(d: HubDeps, who: Caller, type: StoredType, id: string | null, raw: string): Promise<Outcome<Resource>> {
  return readScoped(d, who, type, id ? await readStored(d.sql, type, id) : undefined, raw);
}

export async function findObservations(
  d: HubDeps,
  who: Caller,
  f: ObservationFilter,
  patients: string[] | undefined,
  page: Page,
  newestFirst: boolean,
): Promise<Outcome<Found>> {
  const access = await accessOf(d, who.staff);
  const refused = await refuseOutside(d, who, access, 'Observation', patients);
  if (refused) return refused;
  const { rows, total } = await searchObservations(d.sql, { ...f, allowed: [...access.keys()] }, page, newestFirst);
  const items = rows.slice(0, page.count);
  await auditSearch(
    d,
    who,
    access,
    'Observation',
    items.map((x) => x.id),
    items.map((x) => x.patient_id),
  );
  return ok({ resources: items.map(render), total, hasMore: page.count > 0 && rows.length > page.count });
}

export async function lastN(
  d: HubDeps,
  who: Caller,
  f: ObservationFilter,
  patients: string[] | undefined,
  max: number,
): Promise<Outcome<Resource[]>> {
  const access = await accessOf(d, who.staff);
  const refused = await refuseOutside(d, who, access, 'Observation/$lastn', patients);
  if (refused) return refused;
  const rows = await lastObservations(d.sql, { ...f, allowed: [...access.keys()] }, max);
  await auditSearch(
    d,
    who,
    access,
    'Observation/$lastn',
    rows.map((x) => x.id),
    rows.map((x) => x.patient_id),
  );
  return ok(rows.map(render));
}

export async function findResources(
  d: HubDeps,
  who: Caller,
  type: StoredType,
  f: ResourceFilter,
  patients: string[] | undefined,
  page: Page,
): Promise<Outcome<Found>> {
  const access = await accessOf(d, who.staff);
  const refused = await refuseOutside(d, who, access, type, patients);
  if (refused) return refused;
  // Devices are about no patient; every other stored type is
  const scoped = type === 'Device' ? f : { ...f, allowed: [...access.keys()] };
  const { rows, total } = await searchResources(d.sql, type, scoped, page);
  const items = rows.slice(0, page.count);
  await auditSearch(
    d,
    who,
    access,
    type,
    items.map((x) => x.id),
    items.map((x) => x.patient_id),
  );
  return ok({ resources: items.map(render), total, hasMore: page.count > 0 && rows.length > page.count });
}
