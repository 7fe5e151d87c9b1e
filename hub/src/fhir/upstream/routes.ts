// When this hub is another hub's upstream: an integration client (bearer token,
// FHIR_INTEGRATION_TOKEN) PUTs Observations; each is validated like our own and kept with a
// version that grows only when the content changes.
import type { Context, Next } from 'hono';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { HubContext } from '../context.ts';
import type { HubEnv } from '../http/env.ts';
import { fhirError, fhirJson } from './outcome.ts';
import { validateObservation } from './validate.ts';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const sha = (s: string) => createHash('sha256').update(s).digest();

export function integrationOnly(ctx: HubContext) {
  const expected = ctx.config.fhirIntegrationToken ? sha(ctx.config.fhirIntegrationToken) : null;
  return async (c: Context<HubEnv>, next: Next) => {
    const m = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '');
    if (!expected || !m || !timingSafeEqual(sha(m[1]!), expected)) return fhirError(c, 401, 'login', 'An integration token is required to write');
    await next();
  };
}

export function receiveObservation(ctx: HubContext) {
  return async (c: Context<HubEnv>) => {
    const id = c.req.param('id')!;
    if (!FHIR_ID.test(id)) return fhirError(c, 400, 'invalid', `"${id}" is not a valid FHIR id`);
    let body: Record<string, unknown>;
    try { body = await c.req.json(); } catch { return fhirError(c, 400, 'invalid', 'Body must be a JSON Observation'); }
    if (body?.resourceType !== 'Observation' || body.id !== id) return fhirError(c, 400, 'invalid', 'Body must be an Observation whose id matches the URL');
    const { meta: _meta, ...resource } = body;
    const issues = validateObservation(resource);
    if (issues.length) return fhirJson(c, { resourceType: 'OperationOutcome', issue: issues }, 422);
    const [row] = await ctx.sql<{ version_id: number; inserted: boolean }[]>`
      INSERT INTO fhir_received (resource_type, id, resource) VALUES ('Observation', ${id}, ${ctx.sql.json(resource as never)})
      ON CONFLICT (resource_type, id) DO UPDATE SET resource = EXCLUDED.resource, version_id = fhir_received.version_id + 1, last_updated = now()
        WHERE fhir_received.resource IS DISTINCT FROM EXCLUDED.resource
      RETURNING version_id, (xmax = 0) AS inserted`;
    if (!row) {
      const [same] = await ctx.sql<{ version_id: number }[]>`SELECT version_id FROM fhir_received WHERE resource_type = 'Observation' AND id = ${id}`;
      return fhirJson(c, { ...resource, meta: { versionId: String(same!.version_id) } }, 200);
    }
    return fhirJson(c, { ...resource, meta: { versionId: String(row.version_id) } }, row.inserted ? 201 : 200);
  };
}
