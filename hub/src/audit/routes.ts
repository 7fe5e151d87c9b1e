// GET /api/audit/mine: the kiosk shows the identified resident who read their information.
import { Hono } from 'hono';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { requireStation } from '../auth/middleware.ts';
import { accessLogOfCurrentCitizen } from './service.ts';

export function auditRoutes(d: HubDeps) {
  return new Hono<HubEnv>().get('/mine', requireStation(d), async (c) => {
    const r = await accessLogOfCurrentCitizen(d, c.get('station'));
    return r.ok ? c.json(r.value) : refuse(c, r);
  });
}
