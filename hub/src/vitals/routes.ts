// HTTP surface of vitals: the station agent posts readings. (Re-measure requests belong to a
// consult, so only the clinician in that consult can make a booth measure: consults/routes.ts.)
import { Hono } from 'hono';
import type { HubContext } from '../context.ts';
import type { HubEnv } from '../http/env.ts';
import { errorJson } from '../http/errors.ts';
import { valid } from '../http/validate.ts';
import { requireStation } from '../auth/middleware.ts';
import { ingestBody } from './schema.ts';
import { ingestReadings } from './ingest.ts';
import { loadDefinitions } from '../fhir/validate.ts';

export function vitalsRoutes(ctx: HubContext) {
  const { sql } = ctx;
  // Load the StructureDefinitions now (~0.5 s) rather than on the first reading.
  loadDefinitions();
  return new Hono<HubEnv>()
    .post('/readings', requireStation(sql), valid('json', ingestBody), async (c) => {
      const { sessionId, readings } = c.req.valid('json');
      const result = await ingestReadings(ctx, c.get('station'), sessionId, readings);
      if (!result) return errorJson(c, 409, 'no_citizen_session', 'sessionId is not a citizen session of this station');
      return c.json(result, 200);
    });
}
