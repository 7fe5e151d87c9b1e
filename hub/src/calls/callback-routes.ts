// HTTP surface of missed calls and callbacks (police console: list, call back, dismiss; the
// kiosk, through its agent: pick up or decline a callback).
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStaff, requireStation } from '../auth/middleware.ts';
import { callId, dismissMissedBody, idempotencyKey } from '@tram/contracts';
import { declineCallback, dismissMissed, missedCalls, pickUpCallback, placeCallback } from './callback.ts';

const idemHeader = z.object({ 'idempotency-key': idempotencyKey });

export function callbackRoutes(d: HubDeps) {
  const officer = requireStaff(d, ['police', 'command']);
  return new Hono<HubEnv>()
    .get('/missed', officer, async (c) => c.json({ missed: await missedCalls(d, c.get('staff')) }))
    .post('/:id/callback', officer, valid('param', callId), async (c) => {
      const r = await placeCallback(d, c.req.valid('param').id, c.get('staff'));
      if (!r.ok) return refuse(c, r);
      const { created, ...placed } = r.value;
      return c.json(placed, created ? 201 : 200);
    })
    .post('/:id/dismiss', officer, valid('param', callId), valid('json', dismissMissedBody), async (c) => {
      const r = await dismissMissed(d, c.req.valid('param').id, c.get('staff'), c.req.valid('json'));
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/:id/pickup', requireStation(d), valid('param', callId), valid('header', idemHeader), async (c) => {
      const r = await pickUpCallback(d, c.req.valid('param').id, c.get('station'));
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/:id/decline', requireStation(d), valid('param', callId), valid('header', idemHeader), async (c) => {
      const r = await declineCallback(d, c.req.valid('param').id, c.get('station'));
      return r.ok ? c.json(r.value) : refuse(c, r);
    });
}
