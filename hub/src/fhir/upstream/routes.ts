// When this hub is another hub's upstream: an integration client (bearer token,
// FHIR_INTEGRATION_TOKEN) PUTs Observations at /fhir/Observation/:id.
import { Hono, type Context, type Next } from 'hono';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { HubDeps } from '../../deps.ts';
import type { HubEnv } from '../../http/env.ts';
import { fhirError, fhirJson, fhirRefuse } from '../outcome.ts';
import { receiveObservation } from './service.ts';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const sha = (s: string) => createHash('sha256').update(s).digest();

function integrationOnly(d: HubDeps) {
  const expected = d.config.fhirIntegrationToken ? sha(d.config.fhirIntegrationToken) : null;
  return async (c: Context<HubEnv>, next: Next) => {
    const m = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '');
    if (!expected || !m || !timingSafeEqual(sha(m[1]!), expected))
      return fhirError(c, 401, 'login', 'An integration token is required to write');
    await next();
  };
}

export function upstreamRoutes(d: HubDeps) {
  return new Hono<HubEnv>().put('/Observation/:id', integrationOnly(d), async (c) => {
    const id = c.req.param('id')!;
    if (!FHIR_ID.test(id)) return fhirError(c, 400, 'invalid', `"${id}" is not a valid FHIR id`);
    let body: Record<string, unknown>;
    try {
      body = await c.req.json();
    } catch {
      return fhirError(c, 400, 'invalid', 'Body must be a JSON Observation');
    }
    const r = await receiveObservation(d, id, body);
    return r.ok ? fhirJson(c, r.value.resource, r.value.created ? 201 : 200) : fhirRefuse(c, r);
  });
}
