// Subscription REST surface (Backport IG for R4): create/read/search/delete, $get-ws-binding-token,
// $status, and $events to catch up after a lost socket.
// Mounted at /fhir/Subscription, behind the FHIR router's clinician gate and error mapping.
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import type { HubDeps } from '../../deps.ts';
import type { HubEnv } from '../../http/env.ts';
import { SESSION_COOKIE } from '../../auth/staff.ts';
import { fhirError, fhirJson, fhirRefuse } from '../outcome.ts';
import { SearchError } from '../search.ts';
import { BACKPORT, TOPIC, notificationBundle } from './notify.ts';
import { createSubscription, eventsOf, issueBindingToken, ownSubscription, switchOff } from './service.ts';
import type { SubscriptionRow } from './store.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILTER = `${BACKPORT}/backport-filter-criteria`;
const CONTENT = `${BACKPORT}/backport-payload-content`;
const HEARTBEAT = `${BACKPORT}/backport-heartbeat-period`;

const ext = z
  .object({
    url: z.string(),
    valueString: z.string().optional(),
    valueCode: z.string().optional(),
    valueUnsignedInt: z.number().int().optional(),
  })
  .passthrough();
const subscriptionBody = z
  .object({
    resourceType: z.literal('Subscription'),
    status: z.enum(['requested', 'active']),
    reason: z.string().min(1).max(1000),
    end: z.string().optional(),
    criteria: z.string().refine((c) => c === TOPIC, `criteria must be the topic ${TOPIC}`),
    _criteria: z
      .object({ extension: z.array(ext).max(10) })
      .passthrough()
      .optional(),
    channel: z
      .object({
        type: z.literal('websocket', 'channel.type must be websocket'),
        payload: z.literal('application/fhir+json').optional(),
        _payload: z
          .object({ extension: z.array(ext).max(10) })
          .passthrough()
          .optional(),
        extension: z.array(ext).max(10).optional(),
      })
      .passthrough(),
  })
  .passthrough();

type C = Context<HubEnv>;
const baseOf = (c: C) => `${new URL(c.req.url).origin}/fhir`;

function parseFilters(values: string[]): { patient: string | null; encounter: string | null } {
  let patient: string | null = null,
    encounter: string | null = null;
  for (const v of values) {
    const m = /^Observation\?(.+)$/.exec(v);
    if (!m) throw new SearchError(`filter "${v}": expected Observation?patient=<id> or Observation?encounter=<id>`);
    for (const [k, raw] of new URLSearchParams(m[1])) {
      const id = raw.replace(/^(Patient|Encounter)\//, '');
      if (!UUID.test(id)) throw new SearchError(`filter "${v}": ${k} is not an id`);
      if (k === 'patient' || k === 'subject') patient = id.toLowerCase();
      else if (k === 'encounter') encounter = id.toLowerCase();
      else throw new SearchError(`filter "${v}": only patient, subject and encounter are supported`);
    }
  }
  // a subscription without a filter would see every resident's vitals (and serialise all ingest on it)
  if (!patient && !encounter) throw new SearchError('A filter (Observation?patient=<id> or Observation?encounter=<id>) is required');
  return { patient, encounter };
}

export function renderSubscription(s: SubscriptionRow) {
  return {
    ...s.resource,
    id: s.id,
    status: s.status,
    meta: { versionId: String(s.version_id), lastUpdated: s.last_updated.toISOString() },
  };
}

export function subscriptionRoutes(d: HubDeps) {
  /** The caller's own subscription, or a 404 response. */
  const own = async (c: C): Promise<SubscriptionRow | Response> => {
    const raw = c.req.param('id')!;
    const r = await ownSubscription(d, c.get('staff'), UUID.test(raw) ? raw.toLowerCase() : null, raw);
    return r.ok ? r.value : fhirRefuse(c, r);
  };

  return new Hono<HubEnv>()
    .post('/', async (c) => {
      const raw = await c.req.json().catch(() => {
        throw new SearchError('Body is not JSON');
      });
      const parsed = subscriptionBody.safeParse(raw);
      if (!parsed.success)
        throw new SearchError(parsed.error.issues.map((i) => `${i.path.join('.') || 'Subscription'}: ${i.message}`).join('; '));
      const b = parsed.data;
      const filters = parseFilters((b._criteria?.extension ?? []).filter((e) => e.url === FILTER).map((e) => e.valueString ?? ''));
      const content = (b.channel._payload?.extension ?? []).find((e) => e.url === CONTENT)?.valueCode ?? 'full-resource';
      if (!['empty', 'id-only', 'full-resource'].includes(content))
        throw new SearchError('payload content must be empty, id-only or full-resource');
      const heartbeatS = (b.channel.extension ?? []).find((e) => e.url === HEARTBEAT)?.valueUnsignedInt ?? 60;
      if (heartbeatS < 1 || heartbeatS > 3600) throw new SearchError('heartbeat period must be 1..3600 s');
      const resource = {
        resourceType: 'Subscription',
        reason: b.reason,
        ...(b.end ? { end: b.end } : {}),
        criteria: TOPIC,
        _criteria: {
          extension: [
            ...(filters.patient ? [{ url: FILTER, valueString: `Observation?patient=Patient/${filters.patient}` }] : []),
            ...(filters.encounter ? [{ url: FILTER, valueString: `Observation?encounter=Encounter/${filters.encounter}` }] : []),
          ],
        },
        channel: {
          type: 'websocket',
          payload: 'application/fhir+json',
          _payload: { extension: [{ url: CONTENT, valueCode: content }] },
          extension: [{ url: HEARTBEAT, valueUnsignedInt: heartbeatS }],
        },
      };
      const created = await createSubscription(d, c.get('staff'), {
        ...filters,
        content: content as SubscriptionRow['content'],
        heartbeatS,
        base: baseOf(c),
        resource,
      });
      if (!created.ok) return fhirRefuse(c, created);
      const sub = created.value;
      c.header('location', `${baseOf(c)}/Subscription/${sub.id}/_history/1`);
      return fhirJson(c, renderSubscription(sub), 201);
    })
    .get('/:id', async (c) => {
      const sub = await own(c);
      return sub instanceof Response ? sub : fhirJson(c, renderSubscription(sub));
    })
    .delete('/:id', async (c) => {
      const sub = await own(c);
      if (sub instanceof Response) return sub;
      await switchOff(d, sub);
      return c.body(null, 204);
    })
    .on(['GET', 'POST'], '/:id/:op', async (c) => {
      const op = c.req.param('op');
      const sub = await own(c);
      if (sub instanceof Response) return sub;
      if (op === '$get-ws-binding-token') {
        const r = await issueBindingToken(d, sub, c.get('staff'), getCookie(c, SESSION_COOKIE)!);
        if (!r.ok) return fhirRefuse(c, r);
        return fhirJson(c, {
          resourceType: 'Parameters',
          parameter: [
            { name: 'token', valueString: r.value.token },
            { name: 'expiration', valueDateTime: r.value.expiresAt.toISOString() },
            { name: 'subscription', valueString: `${baseOf(c)}/Subscription/${sub.id}` },
            { name: 'websocket-url', valueUrl: `${baseOf(c).replace(/^http/, 'ws')}/ws` },
          ],
        });
      }
      if (op === '$status') return fhirJson(c, notificationBundle(sub, 'query-status', [], sub.events_since_start));
      if (op === '$events') {
        const q = c.req.query();
        const num = (k: string, def: bigint) => {
          const v = q[k];
          if (v === undefined) return def;
          if (!/^\d{1,18}$/.test(v)) throw new SearchError(`${k} must be a non-negative integer`);
          return BigInt(v);
        };
        const last = BigInt(sub.events_since_start);
        const since = num('eventsSinceNumber', 1n),
          until = num('eventsUntilNumber', last);
        const events = await eventsOf(d, c.get('staff'), sub, since, until);
        const content = q.content ?? sub.content;
        if (!['empty', 'id-only', 'full-resource'].includes(content))
          throw new SearchError('content must be empty, id-only or full-resource');
        return fhirJson(
          c,
          notificationBundle({ ...sub, content: content as SubscriptionRow['content'] }, 'query-event', events, sub.events_since_start),
        );
      }
      return fhirError(c, 404, 'not-supported', `Subscription operation ${op} is not supported`);
    });
}
