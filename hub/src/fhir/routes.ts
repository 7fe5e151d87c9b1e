// FHIR R4 REST facade at /fhir: metadata, read + search of Patient, Observation, Encounter and
// Device, Observation/$lastn and $validate, and batches of reads. Clinicians only; every read and
// search of health data leaves an audit row.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { HubContext } from '../context.ts';
import type { HubEnv } from '../http/env.ts';
import { audit } from '../auth/audit.ts';
import { citizenById, citizenByIdNumber, type Citizen } from '../identity/sessions.ts';
import { clinicianOnly } from './auth.ts';
import { capabilityStatement } from './capability.ts';
import { searchset } from './bundle.ts';
import { fhirError, fhirJson, issue, outcomeOf } from './outcome.ts';
import { renderPatient } from './patient.ts';
import { CCCD } from './profiles.ts';
import { and, checkParams, dateConds, paging, refIds, SearchError, sortDesc, tokenCond, tokens } from './search.ts';
import { readObservation, readStored, render, type Row, type StoredType } from './store.ts';
import { validateFully } from './validate.ts';
import { mountSubscriptionRoutes } from './subscription-routes.ts';
import { integrationOnly, receiveObservation } from './upstream-receive.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const STARTED = new Date().toISOString();

type C = Context<HubEnv>;
const baseOf = (c: C) => `${new URL(c.req.url).origin}/fhir`;
const actorOf = (c: C) => `staff:${c.get('staff').username}`;
const queryOf = (c: C) => c.req.queries() as Record<string, string[]>;

export function fhirRoutes(ctx: HubContext) {
  const { sql } = ctx;
  const r = new Hono<HubEnv>();

  const auditRead = (c: C, type: string, id: string, patientId: string | null) =>
    audit(sql, { actor: actorOf(c), action: 'fhir.read', subject: `${type}/${id}`, detail: { patient: patientId } });
  const auditSearch = (c: C, type: string, patients: string[] | undefined, results: string[]) =>
    audit(sql, { actor: actorOf(c), action: 'fhir.search', subject: patients?.length ? patients.map((p) => `Patient/${p}`).join(',') : type, detail: { type, query: new URL(c.req.url).search, results: results.length } });

  /** A read: 400 for a malformed id, 404 when absent (uuids only exist here). */
  const idOf = (c: C) => {
    const id = c.req.param('id')!;
    if (!FHIR_ID.test(id)) throw new SearchError(`"${id}" is not a valid FHIR id`);
    return UUID.test(id) ? id.toLowerCase() : null;
  };

  r.get('/metadata', (c) => fhirJson(c, capabilityStatement(baseOf(c), { version: '0.1.0', date: STARTED })));
  // writes come only from integration clients (another hub forwarding), never from browsers
  r.put('/Observation/:id', integrationOnly(ctx), receiveObservation(ctx));
  r.use('*', clinicianOnly(sql));
  r.use('*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => fhirError(c, 413, 'too-costly', 'Request body is larger than 1 MiB') }));

  // --- Patient ---
  r.get('/Patient/:id', async (c) => {
    const id = idOf(c);
    const p = id ? await citizenById(sql, id) : null;
    if (!p) return fhirError(c, 404, 'not-found', `Patient/${c.req.param('id')} is not known`);
    await auditRead(c, 'Patient', p.id, p.id);
    return fhirJson(c, renderPatient(p));
  });
  r.get('/Patient', async (c) => {
    const q = queryOf(c);
    checkParams(q, ['_id', 'identifier']);
    const page = paging(q);
    if (!q._id && !q.identifier) throw new SearchError('Patient search requires _id or identifier');
    const candidates: (Citizen | null)[] = [];
    for (const id of q._id?.[0]?.split(',') ?? []) candidates.push(UUID.test(id) ? await citizenById(sql, id.toLowerCase()) : null);
    for (const t of q.identifier?.[0]?.split(',') ?? []) {
      const [system, value] = t.includes('|') ? t.split('|', 2) as [string, string] : ['', t];
      if (system && system !== CCCD) { candidates.push(null); continue; }
      if (!/^\d{12}$/.test(value)) throw new SearchError(`identifier: "${value}" is not a 12-digit CCCD number`);
      candidates.push(await citizenByIdNumber(sql, value));
    }
    let found = candidates.filter((x): x is Citizen => !!x);
    if (q._id && q.identifier) { const ids = new Set(q._id[0]!.split(',').map((s) => s.toLowerCase())); found = found.filter((p) => ids.has(p.id)); }
    const unique = [...new Map(found.map((p) => [p.id, p])).values()];
    const pageItems = unique.slice(page.offset, page.offset + page.count);
    await auditSearch(c, 'Patient', unique.map((p) => p.id), pageItems.map((p) => p.id));
    return fhirJson(c, searchset(baseOf(c), 'Patient', q, page, pageItems.map(renderPatient), unique.length > page.offset + page.count, unique.length));
  });

  // --- Observation ---
  r.get('/Observation/:id', async (c) => {
    if (c.req.param('id') === '$lastn') return lastn(c);
    const id = idOf(c);
    const row = id ? await readObservation(sql, id) : undefined;
    if (!row) return fhirError(c, 404, 'not-found', `Observation/${c.req.param('id')} is not known`);
    await auditRead(c, 'Observation', row.id, row.patient_id);
    return fhirJson(c, render(row));
  });
  r.post('/Observation/:op', async (c) => {
    if (c.req.param('op') !== '$validate') return fhirError(c, 405, 'not-supported', 'Observations are created by station ingest; only $validate is accepted here');
    const body = await c.req.json().catch(() => { throw new SearchError('Body is not JSON'); });
    // $validate takes the resource itself or Parameters { resource }
    const resource = body?.resourceType === 'Parameters' ? body.parameter?.find((p: { name?: string }) => p.name === 'resource')?.resource : body;
    const issues = validateFully(resource);
    return fhirJson(c, outcomeOf(issues.length ? issues : [{ severity: 'information', code: 'informational', details: { text: 'Valid against the vital-signs profiles' } }]));
  });

  const observationWhere = (c: C, q: Record<string, string[]>) => {
    const patients = [...(refIds(q.patient, 'Patient', 'patient') ?? []), ...(refIds(q.subject, 'Patient', 'subject') ?? [])];
    const encounters = refIds(q.encounter, 'Encounter', 'encounter');
    const ids = q._id?.[0]?.split(',');
    if (ids?.some((i) => !UUID.test(i))) throw new SearchError('_id: not an Observation id');
    const where = and(sql, [
      q.patient ? sql`patient_id = ANY(${refIds(q.patient, 'Patient', 'patient')!}::uuid[])` : undefined,
      q.subject ? sql`patient_id = ANY(${refIds(q.subject, 'Patient', 'subject')!}::uuid[])` : undefined,
      encounters ? sql`encounter_id = ANY(${encounters}::uuid[])` : undefined,
      ids ? sql`id = ANY(${ids}::uuid[])` : undefined,
      tokenCond(sql, tokens(q.code, 'code'), sql`codes`),
      tokenCond(sql, tokens(q.category, 'category'), sql`categories`),
      ...dateConds(sql, q.date, sql`effective`),
    ]);
    return { where, patients: patients.length ? [...new Set(patients)] : undefined };
  };

  r.get('/Observation', async (c) => {
    const q = queryOf(c);
    checkParams(q, ['_id', 'patient', 'subject', 'code', 'date', 'encounter', 'category']);
    const page = paging(q), desc = sortDesc(q);
    const { where, patients } = observationWhere(c, q);
    const [rows, [total]] = await Promise.all([
      sql<Row[]>`SELECT id, version_id, last_updated, resource FROM fhir_observations WHERE ${where}
                 ORDER BY effective ${desc ? sql`DESC` : sql`ASC`}, id LIMIT ${page.count + 1} OFFSET ${page.offset}`,
      sql<{ n: number }[]>`SELECT count(*)::int AS n FROM fhir_observations WHERE ${where}`,
    ]);
    const items = rows.slice(0, page.count);
    await auditSearch(c, 'Observation', patients, items.map((x) => x.id));
    return fhirJson(c, searchset(baseOf(c), 'Observation', q, page, items.map(render), page.count > 0 && rows.length > page.count, total!.n));
  });

  async function lastn(c: C) {
    const q = queryOf(c);
    checkParams(q, ['max', 'patient', 'subject', 'category', 'code']);
    if (!q.patient && !q.subject) throw new SearchError('$lastn requires patient or subject');
    const max = q.max ? Number(q.max[0]) : 1;
    if (!Number.isInteger(max) || max < 1 || max > 100 || (q.max?.length ?? 0) > 1) throw new SearchError('max must be an integer 1..100');
    const { where, patients } = observationWhere(c, q);
    // "the most recent max Observations for each code" (grouped by the primary LOINC code)
    const rows = await sql<Row[]>`
      SELECT id, version_id, last_updated, resource FROM (
        SELECT *, row_number() OVER (PARTITION BY patient_id, code ORDER BY effective DESC, id) AS rn FROM fhir_observations WHERE ${where}
      ) x WHERE rn <= ${max} ORDER BY code, effective DESC, id`;
    await auditSearch(c, 'Observation/$lastn', patients, rows.map((x) => x.id));
    return fhirJson(c, searchset(baseOf(c), 'Observation/$lastn', q, { count: rows.length, offset: 0 }, rows.map(render), false, rows.length));
  }

  // --- Encounter, Device, ClinicalImpression (the consults' visit notes) ---
  for (const type of ['Encounter', 'Device', 'ClinicalImpression'] as const satisfies StoredType[]) {
    r.get(`/${type}/:id`, async (c) => {
      const id = idOf(c);
      const row = id ? await readStored(sql, type, id) : undefined;
      if (!row) return fhirError(c, 404, 'not-found', `${type}/${c.req.param('id')} is not known`);
      await auditRead(c, type, row.id, row.patient_id);
      return fhirJson(c, render(row));
    });
    r.get(`/${type}`, async (c) => {
      const q = queryOf(c);
      checkParams(q, type === 'Device' ? ['_id'] : ['_id', 'patient', 'subject']);
      const page = paging(q);
      const ids = q._id?.[0]?.split(',');
      if (ids?.some((i) => !UUID.test(i))) throw new SearchError(`_id: not a ${type} id`);
      const patients = [...(refIds(q.patient, 'Patient', 'patient') ?? []), ...(refIds(q.subject, 'Patient', 'subject') ?? [])];
      const where = and(sql, [
        sql`resource_type = ${type}`,
        ids ? sql`id = ANY(${ids}::uuid[])` : undefined,
        q.patient ? sql`patient_id = ANY(${refIds(q.patient, 'Patient', 'patient')!}::uuid[])` : undefined,
        q.subject ? sql`patient_id = ANY(${refIds(q.subject, 'Patient', 'subject')!}::uuid[])` : undefined,
      ]);
      const [rows, [total]] = await Promise.all([
        sql<Row[]>`SELECT id, version_id, last_updated, resource FROM fhir_resources WHERE ${where} ORDER BY last_updated DESC, id LIMIT ${page.count + 1} OFFSET ${page.offset}`,
        sql<{ n: number }[]>`SELECT count(*)::int AS n FROM fhir_resources WHERE ${where}`,
      ]);
      const items = rows.slice(0, page.count);
      await auditSearch(c, type, patients.length ? patients : undefined, items.map((x) => x.id));
      return fhirJson(c, searchset(baseOf(c), type, q, page, items.map(render), page.count > 0 && rows.length > page.count, total!.n));
    });
  }

  mountSubscriptionRoutes(r, ctx);

  // --- batch (fhir-kit-client posts it to the base with a trailing slash) ---
  const batch = async (c: C) => {
    const body = await c.req.json().catch(() => { throw new SearchError('Body is not JSON'); });
    if (body?.resourceType !== 'Bundle') throw new SearchError('Expected a Bundle');
    if (body.type === 'transaction') return fhirError(c, 422, 'not-supported', 'Transactions are not supported; use a batch of GET entries');
    if (body.type !== 'batch') throw new SearchError('Bundle.type must be batch');
    const entries: { request?: { method?: string; url?: string } }[] = Array.isArray(body.entry) ? body.entry : [];
    if (entries.length > 100) throw new SearchError('At most 100 batch entries');
    const origin = new URL(c.req.url).origin;
    const out = [];
    for (const e of entries) {
      const url = e.request?.url ?? '';
      if (e.request?.method !== 'GET' || /^[a-z]+:/i.test(url) || url.includes('..')) {
        out.push({ resource: outcomeOf([issue('not-supported', 'Only GET entries with relative URLs are supported in a batch')]), response: { status: '400 Bad Request' } });
        continue;
      }
      const res = await r.fetch(new Request(`${origin}/${url.replace(/^\//, '')}`, { headers: { cookie: c.req.header('cookie') ?? '' } }), c.env);
      out.push({ resource: await res.json(), response: { status: `${res.status} ${res.statusText || (res.ok ? 'OK' : 'Error')}` } });
    }
    return fhirJson(c, { resourceType: 'Bundle', type: 'batch-response', entry: out });
  };
  r.post('/', batch);

  // Mounted at /fhir, the base with a trailing slash ('/fhir/') only reaches the catch-all.
  r.all('*', (c) => (c.req.method === 'POST' && c.req.path.endsWith('/fhir/') ? batch(c) : fhirError(c, 404, 'not-supported', `${c.req.method} ${c.req.path} is not part of this FHIR server (see /fhir/metadata)`)));
  r.onError((err, c) => {
    if (err instanceof SearchError) return fhirError(c, 400, 'invalid', err.message);
    if (err instanceof HTTPException && err.status < 500) return fhirError(c, err.status as 400, 'invalid', err.message || 'Bad request');
    c.get('log')?.error({ err }, 'fhir request failed');
    return fhirError(c, 500, 'exception', `Internal error (request ${c.get('requestId') ?? 'unknown'})`);
  });
  return r;
}
