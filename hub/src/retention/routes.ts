// Admin routes of retention: POST /api/admin/citizens/:id/erase { reason } erases a citizen on
// request; POST /api/admin/retention/purge runs a purge pass now (it also runs on a timer).
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStaff } from '../auth/middleware.ts';
import { eraseCitizen, purgeOnce } from './service.ts';

const eraseBody = z.strictObject({ reason: z.string().trim().min(10).max(500) });

export function retentionRoutes(d: HubDeps) {
  const admin = requireStaff(d, ['admin']);
  return new Hono<HubEnv>()
    .post('/retention/purge', admin, async (c) => c.json({ removed: await purgeOnce(d) }))
    .post('/citizens/:id/erase', admin, valid('param', z.object({ id: z.uuid() })), valid('json', eraseBody), async (c) => {
      const r = await eraseCitizen(d, c.get('staff'), c.req.valid('param').id, c.req.valid('json').reason);
      return r.ok ? c.json(r.value) : refuse(c, r);
    });
}
