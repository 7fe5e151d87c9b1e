// Operator API: register stations and rotate their credentials.
import { Hono } from 'hono';
import { z } from 'zod';
import type { Sql } from '../db/client.ts';
import type { HubEnv } from '../http/env.ts';
import { errorJson } from '../http/errors.ts';
import { valid } from '../http/validate.ts';
import { requireStaff } from '../auth/middleware.ts';
import { audit } from '../auth/audit.ts';
import { registerStation, rotateStationCredential } from '../stations/registry.ts';

const stationBody = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().min(1).max(500),
  wardId: z.number().int().positive(),
});

export function adminRoutes(sql: Sql) {
  return new Hono<HubEnv>()
    .use(requireStaff(sql, ['admin']))
    .post('/stations', valid('json', stationBody), async (c) => {
      const b = c.req.valid('json');
      const [ward] = await sql`SELECT id FROM wards WHERE id = ${b.wardId}`;
      if (!ward) return errorJson(c, 400, 'invalid_request', 'Unknown wardId');
      const r = await registerStation(sql, b);
      await audit(sql, { actor: `staff:${c.get('staff').username}`, action: 'station.register', subject: `station:${b.code}` });
      return c.json({ stationId: r.id, credential: r.credential }, 201);
    })
    .post('/stations/:id/credential', valid('param', z.object({ id: z.uuid() })), async (c) => {
      const cred = await rotateStationCredential(sql, c.req.valid('param').id);
      if (!cred) return errorJson(c, 404, 'not_found', 'No such station');
      await audit(sql, { actor: `staff:${c.get('staff').username}`, action: 'station.rotate_credential', subject: `station:${c.req.valid('param').id}` });
      return c.json({ credential: cred });
    });
}
