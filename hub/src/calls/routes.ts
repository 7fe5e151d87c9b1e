// HTTP surface of emergency calls.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { tooLarge } from '../http/errors.ts';
import { rateLimit, TokenBuckets } from '../http/rate-limit.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireParty, requireStaff, requireStation } from '../auth/middleware.ts';
import { callId, endCallBody, idempotencyKey, raiseCallBody, type RaiseCallResult } from '@tram/contracts';
import { z } from 'zod';
import { medicalRoutes } from './medical-routes.ts';
import { policeRoutes } from './police-routes.ts';
import { callbackRoutes } from './callback-routes.ts';
import { responderRoutes } from './responders-routes.ts';
import { chatRoutes } from './chat-routes.ts';
import { answerCall, callWithTimeline, endCall, raiseStationCall, rejoinCall, visibleLiveCalls, type Party } from './service.ts';

const RESPONDERS = ['police', 'command'] as const;
const idemHeader = z.object({ 'idempotency-key': idempotencyKey });

const party = (c: { get(k: 'station'): HubEnv['Variables']['station']; get(k: 'staff'): HubEnv['Variables']['staff'] }): Party =>
  c.get('station') ? { kind: 'station', station: c.get('station') } : { kind: 'staff', staff: c.get('staff') };

// Raising is tighter than the API-wide limit: with one open call per station, a kiosk has no
// reason to press more than a few times a minute, and every press costs a transaction and a token.
const RAISE_LIMIT = { burst: 20, perSecond: 2 };

export function callRoutes(d: HubDeps) {
  const stationOrResponder = requireParty(d, [...RESPONDERS]);
  const raiseLimit = rateLimit(new TokenBuckets(RAISE_LIMIT));
  return new Hono<HubEnv>()
    .use(bodyLimit({ maxSize: 16 * 1024, onError: (c) => tooLarge(c, '16 KiB') }))
    .post('/', raiseLimit, requireStation(d), valid('header', idemHeader), valid('json', raiseCallBody), async (c) => {
      const r = await raiseStationCall(d, c.get('station'), c.req.valid('header')['idempotency-key'], c.req.valid('json'));
      if (!r.ok) return refuse(c, r);
      const { call, media, created, joined } = r.value;
      return c.json({ call, media, joined } satisfies RaiseCallResult, created ? 201 : 200);
    })
    .route('/', medicalRoutes(d))
    .route('/', policeRoutes(d))
    .route('/', callbackRoutes(d))
    .route('/', responderRoutes(d))
    .route('/', chatRoutes(d))
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
