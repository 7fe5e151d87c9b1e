// HTTP surface of payments: the kiosk (fees, bill lookup, a VietQR payment), the aggregator's
// signed notification, and the building manager's fee ledger and reconciliation list.
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStaff, requireStation } from '../auth/middleware.ts';
import { billLookupBody, feeEntryBody, idempotencyKey, payBody, payosWebhookBody } from '@tram/contracts';
import { enterFee, findBills, ledger, myFees, paymentOfStation, receivePayos, reconciliationList, startPayment } from './service.ts';

const idParam = z.object({ id: z.uuid() });
const idemHeader = z.object({ 'idempotency-key': idempotencyKey });
const periodQuery = z.object({
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional(),
});

export function paymentRoutes(d: HubDeps) {
  const station = requireStation(d);
  const manager = requireStaff(d, ['building_manager']);
  return (
    new Hono<HubEnv>()
      // --- the kiosk ---
      .get('/fees', station, async (c) => {
        const r = await myFees(d, c.get('station'));
        return r.ok ? c.json({ payables: r.value }) : refuse(c, r);
      })
      .post('/bills/lookup', station, valid('json', billLookupBody), async (c) => {
        const b = c.req.valid('json');
        const r = await findBills(d, c.get('station'), b.provider, b.customerCode);
        return r.ok ? c.json({ payables: r.value }) : refuse(c, r);
      })
      .post('/', station, valid('header', idemHeader), valid('json', payBody), async (c) => {
        const r = await startPayment(d, c.get('station'), c.req.valid('header')['idempotency-key'], c.req.valid('json').payable);
        if (!r.ok) return refuse(c, r);
        return c.json({ payment: r.value.payment }, r.value.created ? 201 : 200);
      })
      // --- the payment aggregator (signed; no session) ---
      .post('/payos/webhook', valid('json', payosWebhookBody), async (c) => {
        const r = await receivePayos(d, c.req.valid('json'));
        if (!r.ok) return refuse(c, r);
        return c.json({ success: true, outcome: r.value });
      })
      // --- the building manager ---
      .get('/ledger', manager, valid('query', periodQuery), async (c) =>
        c.json({ fees: await ledger(d, c.get('staff'), c.req.valid('query').period) }),
      )
      .post('/ledger', manager, valid('json', feeEntryBody), async (c) =>
        c.json({ fee: await enterFee(d, c.get('staff'), c.req.valid('json')) }, 201),
      )
      .get('/reconciliation', manager, async (c) => c.json({ transfers: await reconciliationList(d) }))
      // last: after the named paths
      .get('/:id', station, valid('param', idParam), async (c) => {
        const r = await paymentOfStation(d, c.get('station'), c.req.valid('param').id);
        return r.ok ? c.json({ payment: r.value }) : refuse(c, r);
      })
  );
}
