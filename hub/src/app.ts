// Composes every domain's routes into the hub's HTTP app. `AppType` gives the UIs typed clients.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { serveStatic } from '@hono/node-server/serve-static';
import type { HubContext } from './context.ts';
import type { HubEnv } from './http/env.ts';
import { errorJson, onError } from './http/errors.ts';
import { authRoutes } from './auth/routes.ts';
import { callRoutes } from './calls/routes.ts';
import { applyMediaEvent } from './calls/media-events.ts';
import type { CallDeps } from './calls/service.ts';
import { webhookRoutes } from './livekit/webhook-route.ts';
import { adminRoutes } from './admin/routes.ts';
import { stationById } from './stations/registry.ts';
import { requireStation } from './auth/middleware.ts';
import { vitalsRoutes } from './vitals/routes.ts';
import { fhirRoutes } from './fhir/routes.ts';
import { identityRoutes } from './identity/routes.ts';
import { consultRoutes } from './consults/routes.ts';
import { applyConsultMediaEvent } from './consults/media-events.ts';
import { visitNoteWriter } from './consults/visit-note.ts';
import type { ConsultDeps } from './consults/service.ts';
import { latestVitals } from './vitals/latest.ts';

export interface AppDeps extends HubContext { calls: CallDeps; connections: () => number }

export function createApp(d: AppDeps) {
  const consults: ConsultDeps = { ...d, latestVitals };
  const api = new Hono<HubEnv>()
    .use(bodyLimit({ maxSize: 256 * 1024, onError: (c) => errorJson(c, 413, 'body_too_large', 'Request body is larger than 256 KiB') }))
    .route('/auth', authRoutes(d.sql, { sessionHours: d.config.staffSessionHours, secureCookie: d.config.cookieSecure }))
    .route('/calls', callRoutes(d.calls))
    .route('/identity', identityRoutes(d))
    .route('/consults', consultRoutes(consults, d.calls, visitNoteWriter(d.sql)))
    .route('/admin', adminRoutes(d.sql))
    .route('/vitals', vitalsRoutes(d))
    .get('/station', requireStation(d.sql), async (c) => {
      const s = (await stationById(d.sql, c.get('station').id))!;
      return c.json({ station: { code: s.code, name: s.name, address: s.address, ward: s.wardName, district: s.district } });
    });

  const app = new Hono<HubEnv>()
    .use(requestId())
    .use(async (c, next) => {
      const log = d.log.child({ reqId: c.get('requestId') });
      c.set('log', log);
      const t0 = performance.now();
      await next();
      log.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms: +(performance.now() - t0).toFixed(1) }, 'request');
    })
    .use(secureHeaders({ crossOriginEmbedderPolicy: false, contentSecurityPolicy: undefined }))
    .get('/healthz', async (c) => {
      const [db, livekit] = await Promise.all([
        d.sql`SELECT 1`.then(() => true, () => false),
        d.media.health(),
      ]);
      const ok = db && livekit;
      return c.json({ ok, database: db ? 'up' : 'down', livekit: livekit ? 'up' : 'down', realtimeConnections: d.connections(), instance: d.config.instanceId }, ok ? 200 : 503);
    })
    .route('/api', api)
    .route('/fhir', fhirRoutes(d))
    // room names say which domain a webhook belongs to
    .route('/livekit/webhook', webhookRoutes(d.media, d.sql, (e) => (e.room?.startsWith('consult-') ? applyConsultMediaEvent(consults, e) : applyMediaEvent(d.calls, e))));

  for (const [prefix, dir] of [['/police', d.config.consoles.police], ['/clinician', d.config.consoles.clinician]] as const) {
    if (!dir) continue;
    app.get(prefix, (c) => c.redirect(`${prefix}/`));
    app.use(`${prefix}/*`, serveStatic({ root: dir, rewriteRequestPath: (p) => p.slice(prefix.length) }));
    // Client-side routes fall back to the app's index.
    app.get(`${prefix}/*`, serveStatic({ root: dir, path: 'index.html' }));
  }
  app.notFound((c) => errorJson(c, 404, 'not_found', 'No such endpoint'));
  app.onError(onError);
  return app;
}

export type AppType = ReturnType<typeof createApp>;
