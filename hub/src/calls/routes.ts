// HTTP surface of emergency calls.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { HubEnv } from '../http/env.ts';
import { errorJson } from '../http/errors.ts';
import { valid } from '../http/validate.ts';
import { requireParty, requireStaff, requireStation } from '../auth/middleware.ts';
import { callId, endCallBody, idempotencyKey, raiseCallBody } from '@tram/contracts';
import { z } from 'zod';
import { answerCall, endCall, raiseCall, rejoinCall, type CallDeps, type Party } from './service.ts';
import { callById, selectCalls, timeline, toView, type CallRow } from './store.ts';
import { canHandle } from './audience.ts';

const RESPONDERS = ['police', 'command'] as const;
const idemHeader = z.object({ 'idempotency-key': idempotencyKey });

export function callRoutes(d: CallDeps) {
  const { sql } = d;
  const party = (c: { get(k: 'station'): HubEnv['Variables']['station']; get(k: 'staff'): HubEnv['Variables']['staff'] }): Party =>
    c.get('station') ? { kind: 'station', station: c.get('station') } : { kind: 'staff', staff: c.get('staff') };
  const visible = (p: Party, r: CallRow) => (p.kind === 'station' ? r.station_id === p.station.id : canHandle(p.staff, r) || r.answered_by === p.staff.id);

  return new Hono<HubEnv>()
    .use(bodyLimit({ maxSize: 16 * 1024, onError: (c) => errorJson(c, 413, 'body_too_large', 'Request body is larger than 16 KiB') }))
    .post('/', requireStation(sql), valid('header', idemHeader), valid('json', raiseCallBody), async (c) => {
      const r = await raiseCall(d, c.get('station'), c.req.valid('header')['idempotency-key'], c.req.valid('json').note);
      return c.json({ call: r.call, media: r.media }, r.created ? 201 : 200);
    })
    .get('/', requireParty(sql, [...RESPONDERS]), async (c) => {
      const p = party(c);
      // Live calls only: ringing or answered. A console loads these on connect, then follows /ws.
      const rows = p.kind === 'station'
        ? await sql<CallRow[]>`${selectCalls(sql)} WHERE c.station_id = ${p.station.id} AND c.status <> 'ended' ORDER BY c.created_at`
        : await sql<CallRow[]>`${selectCalls(sql)} WHERE c.status <> 'ended' ORDER BY c.created_at`;
      return c.json({ calls: rows.filter((r) => visible(p, r)).map(toView) });
    })
    .get('/:id', requireParty(sql, [...RESPONDERS]), valid('param', callId), async (c) => {
      const row = await callById(sql, c.req.valid('param').id);
      if (!row || !visible(party(c), row)) return errorJson(c, 404, 'not_found', 'No such call');
      return c.json({ call: toView(row), timeline: await timeline(sql, row.id) });
    })
    .post('/:id/answer', requireStaff(sql, [...RESPONDERS]), valid('param', callId), async (c) => {
      const r = await answerCall(d, c.req.valid('param').id, c.get('staff'));
      return r.ok ? c.json(r.value) : errorJson(c, r.status, r.code, r.message);
    })
    .post('/:id/end', requireParty(sql, [...RESPONDERS]), valid('param', callId), valid('json', endCallBody), async (c) => {
      const r = await endCall(d, c.req.valid('param').id, party(c), c.req.valid('json').reason);
      return r.ok ? c.json({ call: r.value }) : errorJson(c, r.status, r.code, r.message);
    })
    .post('/:id/media', requireParty(sql, [...RESPONDERS]), valid('param', callId), async (c) => {
      const r = await rejoinCall(d, c.req.valid('param').id, party(c));
      return r.ok ? c.json({ media: r.value }) : errorJson(c, r.status, r.code, r.message);
    });
}
