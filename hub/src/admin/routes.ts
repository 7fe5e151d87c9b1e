// Operator API (role admin): stations and their enrolment, the fleet's health, staff accounts,
// the audit viewer. HTTP only: the flows are in admin/service.ts and fleet/service.ts.
import { Hono } from 'hono';
import { z } from 'zod';
import { auditQuery, stationCreateBody, staffCreateBody } from '@tram/contracts';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStaff } from '../auth/middleware.ts';
import {
  auditCsv,
  auditSearch,
  createStaffAsAdmin,
  deactivateStaffAsAdmin,
  resetStaffPasswordAsAdmin,
  rotateCredentialAsAdmin,
} from './service.ts';
import { createStation, fleetList, fleetStation, newEnrolment, retire } from '../fleet/service.ts';
import { wardList } from '../fleet/store.ts';
import { requestSelfTest } from '../fleet/selftest.ts';
import { staffList } from './store.ts';

const idParam = z.object({ id: z.uuid() });
const fleetQuery = z.strictObject({ wardId: z.coerce.number().int().positive().optional() });

export function adminRoutes(d: HubDeps) {
  return new Hono<HubEnv>()
    .use(requireStaff(d, ['admin']))
    .get('/wards', async (c) => c.json({ wards: await wardList(d.sql) }))
    .get('/stations', valid('query', fleetQuery), async (c) => c.json({ stations: await fleetList(d, c.req.valid('query').wardId) }))
    .post('/stations', valid('json', stationCreateBody), async (c) => {
      const r = await createStation(d, c.get('staff'), c.req.valid('json'));
      return r.ok ? c.json(r.value, 201) : refuse(c, r);
    })
    .get('/stations/:id', valid('param', idParam), async (c) => {
      const r = await fleetStation(d, c.get('staff'), c.req.valid('param').id);
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/stations/:id/enrolment', valid('param', idParam), async (c) => {
      const r = await newEnrolment(d, c.get('staff'), c.req.valid('param').id);
      return r.ok ? c.json(r.value, 201) : refuse(c, r);
    })
    .post('/stations/:id/credential', valid('param', idParam), async (c) => {
      const r = await rotateCredentialAsAdmin(d, c.get('staff'), c.req.valid('param').id);
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/stations/:id/retire', valid('param', idParam), async (c) => {
      const r = await retire(d, c.get('staff'), c.req.valid('param').id);
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/stations/:id/self-test', valid('param', idParam), async (c) => {
      const r = await requestSelfTest(d, c.get('staff'), c.req.valid('param').id);
      return r.ok ? c.json({ selfTest: r.value }, 202) : refuse(c, r);
    })
    .get('/staff', async (c) => c.json({ staff: await staffList(d.sql) }))
    .post('/staff', valid('json', staffCreateBody), async (c) => {
      const r = await createStaffAsAdmin(d, c.get('staff'), c.req.valid('json'));
      return r.ok ? c.json(r.value, 201) : refuse(c, r);
    })
    .post('/staff/:id/reset-password', valid('param', idParam), async (c) => {
      const r = await resetStaffPasswordAsAdmin(d, c.get('staff'), c.req.valid('param').id);
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .post('/staff/:id/deactivate', valid('param', idParam), async (c) => {
      const r = await deactivateStaffAsAdmin(d, c.get('staff'), c.req.valid('param').id);
      return r.ok ? c.json({ staff: r.value }) : refuse(c, r);
    })
    .get('/audit', valid('query', auditQuery), async (c) =>
      c.json({ rows: await auditSearch(d, c.get('staff'), c.req.valid('query'), 'json') }),
    )
    .get('/audit.csv', valid('query', auditQuery), async (c) => {
      const rows = await auditSearch(d, c.get('staff'), c.req.valid('query'), 'csv');
      c.header('content-disposition', 'attachment; filename="audit.csv"');
      return c.body(auditCsv(rows), 200, { 'content-type': 'text/csv; charset=utf-8' });
    });
}
