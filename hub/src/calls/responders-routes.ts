// HTTP surface of responders: the owner adds staff to the call and may hand it over; an invited
// staff member (police, command or a 115 medic) lists their invitations, joins and leaves.
import { Hono } from 'hono';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStaff } from '../auth/middleware.ts';
import { addResponderBody, callId, transferBody } from '@tram/contracts';
import { addResponder, joinAsResponder, leaveAsResponder, listResponders, myInvitations, transferCall } from './responders.ts';

export function responderRoutes(d: HubDeps) {
  const owner = requireStaff(d, ['police', 'command']);
  const invitee = requireStaff(d, ['police', 'command', 'medic']);
  return new Hono<HubEnv>()
    .get('/responding', invitee, async (c) => c.json({ invitations: await myInvitations(d, c.get('staff')) }))
    .get('/:id/responders', invitee, valid('param', callId), async (c) => {
      const r = await listResponders(d, c.req.valid('param').id, c.get('staff'));
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/:id/responders', owner, valid('param', callId), valid('json', addResponderBody), async (c) => {
      const r = await addResponder(d, c.req.valid('param').id, c.get('staff'), c.req.valid('json'));
      return r.ok ? c.json({ responder: r.value.responder }, r.value.created ? 201 : 200) : refuse(c, r);
    })
    .post('/:id/join', invitee, valid('param', callId), async (c) => {
      const r = await joinAsResponder(d, c.req.valid('param').id, c.get('staff'));
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/:id/leave', invitee, valid('param', callId), async (c) => {
      const r = await leaveAsResponder(d, c.req.valid('param').id, c.get('staff'));
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/:id/transfer', owner, valid('param', callId), valid('json', transferBody), async (c) => {
      const r = await transferCall(d, c.req.valid('param').id, c.get('staff'), c.req.valid('json').to);
      return r.ok ? c.json(r.value) : refuse(c, r);
    });
}
