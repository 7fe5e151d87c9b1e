// GET /api/calls/:id/medical: the doctor's handover, for the officer who owns the call and its 115 medics only.
import { Hono } from 'hono';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStaff } from '../auth/middleware.ts';
import { callId } from '@tram/contracts';
import { medicalHandover } from './medical.ts';

export function medicalRoutes(d: HubDeps) {
  return new Hono<HubEnv>().get('/:id/medical', requireStaff(d, ['police', 'command', 'medic']), valid('param', callId), async (c) => {
    const r = await medicalHandover(d, c.req.valid('param').id, c.get('staff'));
    return r.ok ? c.json({ handover: r.value }) : refuse(c, r);
  });
}
