// The station's own routes: who it is (the kiosk asks through the agent), enrolment (a one-time
// code for the station's credential; no credential yet), the agent's heartbeat, and the kiosk's
// report of a cancelled SOS countdown (counted per station: many are worth a look).
import { Hono } from 'hono';
import { z } from 'zod';
import { enrolBody, heartbeatBody, idempotencyKey, selfTestKioskReport, sosCancelledBody } from '@tram/contracts';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { clientAddress } from '../http/rate-limit.ts';
import { requireStation } from '../auth/middleware.ts';
import { recordSosCancelled, stationView } from './service.ts';
import { enrol, fleetOf } from '../fleet/service.ts';
import { placeTestSos, reportFromKiosk } from '../fleet/selftest.ts';

const idemHeader = z.object({ 'idempotency-key': idempotencyKey });
const runParam = z.object({ id: z.uuid() });

export function stationRoutes(d: HubDeps) {
  const station = requireStation(d);
  return (
    new Hono<HubEnv>()
      .get('/', station, async (c) => c.json(await stationView(d.sql, c.get('station').id)))
      .post('/enrol', valid('json', enrolBody), async (c) => {
        const r = await enrol(d, c.req.valid('json').code, clientAddress(c));
        return r.ok ? c.json(r.value, 201) : refuse(c, r);
      })
      .post('/heartbeat', station, valid('json', heartbeatBody), async (c) => {
        await fleetOf(d).heartbeat(c.get('station'), c.req.valid('json'));
        return c.body(null, 204);
      })
      // the self-test's test SOS (a run, never a call) and the kiosk page's report of its media check
      .post('/self-tests/:id/sos', station, valid('param', runParam), async (c) => {
        const r = await placeTestSos(d, c.get('station'), c.req.valid('param').id);
        return r.ok ? c.json(r.value) : refuse(c, r);
      })
      .post('/self-tests/:id/kiosk', station, valid('param', runParam), valid('json', selfTestKioskReport), async (c) => {
        const r = await reportFromKiosk(d, c.get('station'), c.req.valid('param').id, c.req.valid('json'));
        return r.ok ? c.json(r.value) : refuse(c, r);
      })
      .post('/sos-cancelled', station, valid('header', idemHeader), valid('json', sosCancelledBody), async (c) =>
        c.json(
          await recordSosCancelled(d.sql, c.get('station').id, c.req.valid('header')['idempotency-key'], c.req.valid('json').remainingMs),
          201,
        ),
      )
  );
}
