// HTTP surface of vitals: the station agent posts readings. (Re-measure requests belong to a
// consult, so only the clinician in that consult can make a booth measure: consults/routes.ts.)
import { Hono } from 'hono';
import { ingestBody } from '@tram/contracts';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStation } from '../auth/middleware.ts';
import { ingestReadings } from './service.ts';
import { loadDefinitions } from '../fhir/validate.ts';

export function vitalsRoutes(d: HubDeps) {
  // Load the StructureDefinitions now (~0.5 s) rather than on the first reading.
  loadDefinitions();
  return new Hono<HubEnv>().post('/readings', requireStation(d), valid('json', ingestBody), async (c) => {
    const { sessionId, readings } = c.req.valid('json');
    const r = await ingestReadings(d, c.get('station'), sessionId, readings);
    if (r.ok) {
      d.metrics.vitalsIngested.inc(r.value.accepted.length);
      // the reason's code (before the colon): a small, fixed set of labels
      for (const x of r.value.rejected) {
        const code = x.reason.split(':')[0]!;
        d.metrics.vitalsRejected.inc({ reason: /^[a-z_]{1,40}$/.test(code) ? code : 'invalid' });
      }
    }
    return r.ok ? c.json(r.value, 200) : refuse(c, r);
  });
}
