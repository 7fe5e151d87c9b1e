// GET /api/station: the kiosk asks who it is (through the station agent).
// POST /api/station/sos-cancelled: the kiosk reports a cancelled SOS countdown (counted per station).
import { Hono } from 'hono';
import { z } from 'zod';
import { idempotencyKey, sosCancelledBody } from '@tram/contracts';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { valid } from '../http/validate.ts';
import { requireStation } from '../auth/middleware.ts';
import { recordSosCancelled, stationView } from './service.ts';

const idemHeader = z.object({ 'idempotency-key': idempotencyKey });

export function stationRoutes(d: HubDeps) {
  const station = requireStation(d);
  return new Hono<HubEnv>()
    .get('/', station, async (c) => c.json(await stationView(d.sql, c.get('station').id)))
    .post('/sos-cancelled', station, valid('header', idemHeader), valid('json', sosCancelledBody), async (c) =>
      c.json(
        await recordSosCancelled(d.sql, c.get('station').id, c.req.valid('header')['idempotency-key'], c.req.valid('json').remainingMs),
        201,
      ),
    );
}
