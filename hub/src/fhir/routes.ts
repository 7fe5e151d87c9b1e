// FHIR R4 REST facade at /fhir: metadata, read + search of Patient, Observation, Encounter,
// Device and ClinicalImpression, Observation/$lastn and $validate, Subscriptions, and batches of
// reads. Clinicians only (integration clients may PUT Observations); every read and search of
// health data leaves an audit row (service.ts).
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { clinicianOnly } from './auth.ts';
import { capabilityStatement } from './capability.ts';
import { searchset } from './bundle.ts';
import { fhirError, fhirJson, fhirRead, fhirRefuse, issue, outcomeOf } from './outcome.ts';
import { jsonOnly, methodNotAllowed } from './negotiate.ts';
import { checkParams, observationFilter, paging, patientCriteria, resourceFilter, SearchError, sortDesc, type Params } from './search.ts';
import type { StoredType } from './store.ts';
import {
  findObservations,
  findResources,
  lastN,
  readOneObservation,
  readPatient,
  readResource,
  searchPatients,
  type Caller,
} from './service.ts';
import { validateFully } from './validate.ts';
import { breakGlass } from './access.ts';
import { breakGlassRequest } from './break-glass-body.ts';
import { subscriptionRoutes } from './subscriptions/routes.ts';
import { upstreamRoutes } from './upstream/routes.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const STARTED = new Date().toISOString();

type C = Context<HubEnv>;
const baseOf = (c: C) => `${new URL(c.req.url).origin}/fhir`;
const queryOf = (c: C) => c.req.queries() as Params;
const callerOf = (c: C): Caller => ({ staff: c.get('staff'), query: new URL(c.req.url).search });

/** A read's id: 400 when malformed; null when it cannot exist here (only uuids do). */
const idOf = (c: C) => {
  const id = c.req.param('id')!;
  if (!FHIR_ID.test(id)) throw new SearchError(`"${id}" is not a valid FHIR id`);
  return UUID.test(id) ? id.toLowerCase() : null;
};

export function fhirRoutes(d: HubDeps) {
  const r = new Hono<HubEnv>();

  r.use('*', jsonOnly);
  r.get('/metadata', (c) => fhirJson(c, capabilityStatement(baseOf(c), { version: '0.1.0', date: STARTED })));
  // writes come only from integration clients (another hub forwarding), never from browsers
  r.route('/', upstreamRoutes(d));
  r.use('*', clinicianOnly(d));
  r.use('*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => fhirError(c, 413, 'too-costly', 'Request body is larger than 1 MiB') }));

  // --- break-glass: time-limited access to one patient outside one's consults, with a reason ---
  r.post('/$break-glass', async (c) => {
    const body = await c.req.json().catch(() => {
      throw new SearchError('Body is not JSON');
    });
    const res = await breakGlass(d, c.get('staff'), breakGlassRequest(body));
    if (!res.ok) return fhirRefuse(c, res);
    return fhirJson(c, {
      resourceType: 'Parameters',
      parameter: [
        { name: 'patient', valueReference: { reference: `Patient/${res.value.patient}` } },
        { name: 'expires', valueInstant: res.value.expiresAt },
      ],
    });
  });

  // --- Patient ---
  r.get('/Patient/:id', async (c) => {
    const res = await readPatient(d, callerOf(c), idOf(c), c.req.param('id'));
    return res.ok ? fhirRead(c, res.value) : fhirRefuse(c, res);
  });
  r.get('/Patient', async (c) => {
    const q = queryOf(c);
    checkParams(q, ['_id', 'identifier']);
    const page = paging(q);
    const found = await searchPatients(d, callerOf(c), patientCriteria(q), page);
    return fhirJson(c, searchset(baseOf(c), 'Patient', q, page, found.resources, found.hasMore, found.total));
  });

  // --- Observation ---
  r.get('/Observation/:id', async (c) => {
    if (c.req.param('id') === '$lastn') return lastn(c);
    const res = await readOneObservation(d, callerOf(c), idOf(c), c.req.param('id'));
    return res.ok ? fhirRead(c, res.value) : fhirRefuse(c, res);
  });
  r.post('/Observation/:op', async (c) => {
    if (c.req.param('op') !== '$validate')
      return fhirError(c, 405, 'not-supported', 'Observations are created by station ingest; only $validate is accepted here');
    const body = await c.req.json().catch(() => {
      throw new SearchError('Body is not JSON');
    });
    // $validate takes the resource itself or Parameters { resource }
    const resource =
      body?.resourceType === 'Parameters' ? body.parameter?.find((p: { name?: string }) => p.name === 'resource')?.resource : body;
    const issues = validateFully(resource);
    return fhirJson(
      c,
      outcomeOf(
        issues.length
          ? issues
          : [{ severity: 'information', code: 'informational', details: { text: 'Valid against the vital-signs profiles' } }],
      ),
    );
  });

  r.get('/Observation', async (c) => {
    const q = queryOf(c);
    checkParams(q, ['_id', 'patient', 'subject', 'code', 'date', 'encounter', 'category']);
    const page = paging(q),
      desc = sortDesc(q);
    const { filter, patients } = observationFilter(q);
    const found = await findObservations(d, callerOf(c), filter, patients, page, desc);
    if (!found.ok) return fhirRefuse(c, found);
    return fhirJson(c, searchset(baseOf(c), 'Observation', q, page, found.value.resources, found.value.hasMore, found.value.total));
  });

  async function lastn(c: C) {
    const q = queryOf(c);
    checkParams(q, ['max', 'patient', 'subject', 'category', 'code']);
    const page = paging(q);
    if (!q.patient && !q.subject) throw new SearchError('$lastn requires patient or subject');
    const max = q.max ? Number(q.max[0]) : 1;
    if (!Number.isInteger(max) || max < 1 || max > 100 || (q.max?.length ?? 0) > 1) throw new SearchError('max must be an integer 1..100');
    const { filter, patients } = observationFilter(q);
    // "the most recent max Observations for each code" (grouped by the primary LOINC code)
    const found = await lastN(d, callerOf(c), filter, patients, max);
    if (!found.ok) return fhirRefuse(c, found);
    // _count pages the result like any search (it used to be ignored)
    const all = found.value;
    const resources = all.slice(page.offset, page.offset + page.count);
    return fhirJson(c, searchset(baseOf(c), 'Observation/$lastn', q, page, resources, all.length > page.offset + page.count, all.length));
  }

  // --- Encounter, Device, ClinicalImpression (the consults' visit notes) ---
  for (const type of ['Encounter', 'Device', 'ClinicalImpression'] as const satisfies StoredType[]) {
    r.get(`/${type}/:id`, async (c) => {
      const res = await readResource(d, callerOf(c), type, idOf(c), c.req.param('id'));
      return res.ok ? fhirRead(c, res.value) : fhirRefuse(c, res);
    });
    r.get(`/${type}`, async (c) => {
      const q = queryOf(c);
      checkParams(q, type === 'Device' ? ['_id'] : ['_id', 'patient', 'subject']);
      const page = paging(q);
      const { filter, patients } = resourceFilter(q, type);
      const found = await findResources(d, callerOf(c), type, filter, patients, page);
      if (!found.ok) return fhirRefuse(c, found);
      return fhirJson(c, searchset(baseOf(c), type, q, page, found.value.resources, found.value.hasMore, found.value.total));
    });
  }

  r.route('/Subscription', subscriptionRoutes(d));

  // --- batch (fhir-kit-client posts it to the base with a trailing slash) ---
  const batch = async (c: C) => {
    const body = await c.req.json().catch(() => {
      throw new SearchError('Body is not JSON');
    });
    if (body?.resourceType !== 'Bundle') throw new SearchError('Expected a Bundle');
    if (body.type === 'transaction')
      return fhirError(c, 422, 'not-supported', 'Transactions are not supported; use a batch of GET entries');
    if (body.type !== 'batch') throw new SearchError('Bundle.type must be batch');
    const entries: { request?: { method?: string; url?: string } }[] = Array.isArray(body.entry) ? body.entry : [];
    if (entries.length > 100) throw new SearchError('At most 100 batch entries');
    const origin = new URL(c.req.url).origin;
    const out = [];
    for (const e of entries) {
      const url = e.request?.url ?? '';
      if (e.request?.method !== 'GET' || /^[a-z]+:/i.test(url) || url.includes('..')) {
        out.push({
          resource: outcomeOf([issue('not-supported', 'Only GET entries with relative URLs are supported in a batch')]),
          response: { status: '400 Bad Request' },
        });
        continue;
      }
      const res = await r.fetch(
        new Request(`${origin}/${url.replace(/^\//, '')}`, { headers: { cookie: c.req.header('cookie') ?? '' } }),
        c.env,
      );
      out.push({ resource: await res.json(), response: { status: `${res.status} ${res.statusText || (res.ok ? 'OK' : 'Error')}` } });
    }
    return fhirJson(c, { resourceType: 'Bundle', type: 'batch-response', ...(out.length ? { entry: out } : {}) });
  };
  r.post('/', batch);

  // Mounted at /fhir, the base with a trailing slash ('/fhir/') only reaches the catch-all.
  r.all('*', (c) =>
    c.req.method === 'POST' && c.req.path.endsWith('/fhir/')
      ? batch(c)
      : (methodNotAllowed(c) ??
        fhirError(c, 404, 'not-supported', `${c.req.method} ${c.req.path} is not part of this FHIR server (see /fhir/metadata)`)),
  );
  r.onError((err, c) => {
    if (err instanceof SearchError) return fhirError(c, 400, 'invalid', err.message);
    if (err instanceof HTTPException && err.status < 500) return fhirError(c, err.status as 400, 'invalid', err.message || 'Bad request');
    c.get('log')?.error({ err }, 'fhir request failed');
    return fhirError(c, 500, 'exception', `Internal error (request ${c.get('requestId') ?? 'unknown'})`);
  });
  return r;
}
