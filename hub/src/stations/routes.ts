// The station's own routes: who it is (the kiosk asks through the agent), enrolment (a one-time
// code for the station's credential; no credential yet) and the agent's heartbeat.
import { Hono } from 'hono';
import { enrolBody, heartbeatBody } from '@tram/contracts';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { clientAddress } from '../http/rate-limit.ts';
import { requireStation } from '../auth/middleware.ts';
import { stationView } from './service.ts';
import { enrol, fleetOf } from '../fleet/service.ts';

export function stationRoutes(d: HubDeps) {
  return new Hono<HubEnv>()
    .get('/', requireStation(d), async (c) => c.json(await stationView(d.sql, c.get('station').id)))
    .post('/enrol', valid('json', enrolBody), async (c) => {
      const r = await enrol(d, c.req.valid('json').code, clientAddress(c));
      return r.ok ? c.json(r.value, 201) : refuse(c, r);
    })
    .post('/heartbeat', requireStation(d), valid('json', heartbeatBody), async (c) => {
      await fleetOf(d).heartbeat(c.get('station'), c.req.valid('json'));
      return c.body(null, 204);
    });
}
