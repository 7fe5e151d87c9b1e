// HTTP surface of public services: the kiosk's side (station credential, an identified resident)
// and the reviewing officers' (police for the ward police's services, commune officers for the
// commune committee's).
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStaff, requireStation } from '../auth/middleware.ts';
import { decisionBody, idempotencyKey, resubmitBody, statusByReceiptBody, submitServiceBody } from '@tram/contracts';
import { attachment, decide, mine, prefill, queue, resubmit, statusByReceipt, submit } from './service.ts';

const idParam = z.object({ id: z.uuid() });
const attParam = z.object({ id: z.uuid(), attachment: z.uuid() });
const idemHeader = z.object({ 'idempotency-key': idempotencyKey });

export function serviceRoutes(d: HubDeps) {
  const station = requireStation(d);
  const reviewer = requireStaff(d, ['police', 'commune_officer']);
  return (
    new Hono<HubEnv>()
      // --- the kiosk ---
      .get('/prefill', station, async (c) => {
        const r = await prefill(d, c.get('station'));
        return r.ok ? c.json({ prefill: r.value }) : refuse(c, r);
      })
      .get('/mine', station, async (c) => {
        const r = await mine(d, c.get('station'));
        return r.ok ? c.json({ submissions: r.value }) : refuse(c, r);
      })
      // the receipt's QR at a later visit: no card, only that receipt's progress
      .post('/status', station, valid('json', statusByReceiptBody), async (c) => {
        const r = await statusByReceipt(d, c.get('station'), c.req.valid('json'));
        return r.ok ? c.json({ submissions: r.value }) : refuse(c, r);
      })
      .post('/submissions', station, valid('header', idemHeader), valid('json', submitServiceBody), async (c) => {
        const r = await submit(d, c.get('station'), c.req.valid('header')['idempotency-key'], c.req.valid('json'));
        if (!r.ok) return refuse(c, r);
        return c.json({ submission: r.value.submission }, r.value.created ? 201 : 200);
      })
      .post('/submissions/:id/resubmit', station, valid('param', idParam), valid('json', resubmitBody), async (c) => {
        const r = await resubmit(d, c.get('station'), c.req.valid('param').id, c.req.valid('json'));
        return r.ok ? c.json({ submission: r.value }) : refuse(c, r);
      })
      // --- reviewing officers ---
      .get('/queue', reviewer, async (c) => c.json({ submissions: await queue(d, c.get('staff')) }))
      .get('/submissions/:id/attachments/:attachment', reviewer, valid('param', attParam), async (c) => {
        const p = c.req.valid('param');
        const r = await attachment(d, c.get('staff'), p.id, p.attachment);
        if (!r.ok) return refuse(c, r);
        return c.body(new Uint8Array(r.value.body), 200, { 'content-type': r.value.contentType, 'cache-control': 'no-store' });
      })
      .post('/submissions/:id/decision', reviewer, valid('param', idParam), valid('json', decisionBody), async (c) => {
        const r = await decide(d, c.get('staff'), c.req.valid('param').id, c.req.valid('json'));
        return r.ok ? c.json({ submission: r.value }) : refuse(c, r);
      })
  );
}
