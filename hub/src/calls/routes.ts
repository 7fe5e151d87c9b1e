// HTTP surface of emergency calls.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { errorJson } from '../http/errors.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireParty, requireStaff, requireStation } from '../auth/middleware.ts';
import { callId, endCallBody, idempotencyKey, raiseCallBody } from '@tram/contracts';
import { z } from 'zod';
import { medicalRoutes } from './medical-routes.ts';
import { answerCall, callWithTimeline, endCall, raiseCall, rejoinCall, visibleLiveCalls, type Party } from './service.ts';

const RESPONDERS = ['police', 'command'] as const;
const idemHeader = z.object({ 'idempotency-key': idempotencyKey });

const party = (c: { get(k: 'station'): HubEnv['Variables']['station']; get(k: 'staff'): HubEnv['Variables']['staff'] }): Party =>
  c.get('station') ? { kind: 'station', station: c.get('station') } : { kind: 'staff', staff: c.get('staff') };

export function callRoutes(d: HubDeps) {
  const stationOrResponder = requireParty(d, [...RESPONDERS]);
  return new Hono<HubEnv>()
    .use(bodyLimit({ maxSize: 16 * 1024, onError: (c) => errorJson(c, 413, 'body_too_large', 'Request body is larger than 16 KiB') }))
    .post('/', requireStation(d), valid('header', idemHeader), valid('json', raiseCallBody), async (c) => {
      const r = await raiseCall(d, c.get('station'), c.req.valid('header')['idempotency-key'], c.req.valid('json').note);
      return c.json({ call: r.call, media: r.media }, r.created ? 201 : 200);
    })
    .route('/', medicalRoutes(d))
    .get('/', stationOrResponder, async (c) => c.json({ calls: await visibleLiveCalls(d, party(c)) }))
    .get('/:id', stationOrResponder, valid('param', callId), async (c) => {
      const r = await callWithTimeline(d, c.req.valid('param').id, party(c));
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/:id/answer', requireStaff(d, [...RESPONDERS]), valid('param', callId), async (c) => {
      const r = await answerCall(d, c.req.valid('param').id, c.get('staff'));
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/:id/end', stationOrResponder, valid('param', callId), valid('json', endCallBody), async (c) => {
      const r = await endCall(d, c.req.valid('param').id, party(c), c.req.valid('json').reason);
      return r.ok ? c.json({ call: r.value }) : refuse(c, r);
    })
    .post('/:id/media', stationOrResponder, valid('param', callId), async (c) => {
      const r = await rejoinCall(d, c.req.valid('param').id, party(c));
      return r.ok ? c.json({ media: r.value }) : refuse(c, r);
    });
}
