// The police console's reads and the disposition: caller card, disposition, service levels,
// history (JSON or audited CSV). Mounted before /:id so its fixed paths are not taken for ids.
import { Hono } from 'hono';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStaff } from '../auth/middleware.ts';
import { callId, dispositionBody, historyQuery } from '@tram/contracts';
import { callerCard, callHistory, disposeCall, exportHistory, serviceLevels } from './police.ts';

export function policeRoutes(d: HubDeps) {
  const responder = requireStaff(d, ['police', 'command']);
  return new Hono<HubEnv>()
    .get('/service-levels', responder, async (c) => c.json(await serviceLevels(d, c.get('staff'))))
    .get('/history', responder, valid('query', historyQuery), async (c) => {
      const { format, ...q } = c.req.valid('query');
      if (format === 'csv') {
        const csv = await exportHistory(d, c.get('staff'), q);
        return c.body(csv, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="cuoc-goi-${new Date().toISOString().slice(0, 10)}.csv"`,
        });
      }
      return c.json(await callHistory(d, c.get('staff'), q));
    })
    .get('/:id/card', responder, valid('param', callId), async (c) => {
      const r = await callerCard(d, c.req.valid('param').id, c.get('staff'));
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .put('/:id/disposition', responder, valid('param', callId), valid('json', dispositionBody), async (c) => {
      const r = await disposeCall(d, c.req.valid('param').id, c.get('staff'), c.req.valid('json'));
      return r.ok ? c.json({ disposition: r.value }) : refuse(c, r);
    });
}
