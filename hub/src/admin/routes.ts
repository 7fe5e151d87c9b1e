// Operator API: register stations and rotate their credentials.
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStaff } from '../auth/middleware.ts';
import { registerStationAsAdmin, rotateCredentialAsAdmin } from './service.ts';

const stationBody = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().min(1).max(500),
  wardId: z.number().int().positive(),
});

export function adminRoutes(d: HubDeps) {
  return new Hono<HubEnv>()
    .use(requireStaff(d, ['admin']))
    .post('/stations', valid('json', stationBody), async (c) => {
      const r = await registerStationAsAdmin(d, c.get('staff'), c.req.valid('json'));
      return r.ok ? c.json(r.value, 201) : refuse(c, r);
    })
    .post('/stations/:id/credential', valid('param', z.object({ id: z.uuid() })), async (c) => {
      const r = await rotateCredentialAsAdmin(d, c.get('staff'), c.req.valid('param').id);
      return r.ok ? c.json(r.value) : refuse(c, r);
    });
}
