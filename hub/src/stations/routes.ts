// GET /api/station: the kiosk asks who it is (through the station agent).
import { Hono } from 'hono';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { requireStation } from '../auth/middleware.ts';
import { stationView } from './service.ts';

export function stationRoutes(d: HubDeps) {
  return new Hono<HubEnv>().get('/', requireStation(d), async (c) => c.json(await stationView(d.sql, c.get('station').id)));
}
