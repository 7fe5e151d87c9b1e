// HTTP surface of the silent SOS: the kiosk turns the call to text; kiosk, owner and joined
// responders read and write the call's chat (every message with an Idempotency-Key).
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireParty, requireStation } from '../auth/middleware.ts';
import { callId, chatBody, idempotencyKey } from '@tram/contracts';
import type { Party } from './service.ts';
import { chatOf, goSilent, postChat } from './chat.ts';

const idemHeader = z.object({ 'idempotency-key': idempotencyKey });

export function chatRoutes(d: HubDeps) {
  const member = requireParty(d, ['police', 'command', 'medic']);
  const party = (c: { get(k: 'station'): HubEnv['Variables']['station']; get(k: 'staff'): HubEnv['Variables']['staff'] }): Party =>
    c.get('station') ? { kind: 'station', station: c.get('station') } : { kind: 'staff', staff: c.get('staff') };
  return new Hono<HubEnv>()
    .get('/:id/chat', member, valid('param', callId), async (c) => {
      const r = await chatOf(d, c.req.valid('param').id, party(c));
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/:id/chat', member, valid('param', callId), valid('header', idemHeader), valid('json', chatBody), async (c) => {
      const r = await postChat(d, c.req.valid('param').id, party(c), c.req.valid('header')['idempotency-key'], c.req.valid('json'));
      return r.ok ? c.json({ message: r.value.message }, r.value.created ? 201 : 200) : refuse(c, r);
    })
    .post('/:id/silent', requireStation(d), valid('param', callId), valid('header', idemHeader), async (c) => {
      const r = await goSilent(d, c.req.valid('param').id, { kind: 'station', station: c.get('station') });
      return r.ok ? c.json(r.value) : refuse(c, r);
    });
}
