// Composes every domain's routes into the hub's HTTP app. Every route factory takes the same
// HubDeps. `AppType` gives the UIs typed clients.
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { serveStatic } from '@hono/node-server/serve-static';
import type { HubDeps } from './deps.ts';
import type { HubEnv } from './http/env.ts';
import { errorJson, onError, tooLarge } from './http/errors.ts';
import { rateLimit, TokenBuckets } from './http/rate-limit.ts';
import { clientAddressFrom, trustedProxies } from './http/client-address.ts';
import { pingDb } from './db/client.ts';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from './auth/staff.ts';
import { staffBySession } from './auth/service.ts';
import { authRoutes } from './auth/routes.ts';
import { callRoutes } from './calls/routes.ts';
import { webhookRoutes } from './livekit/webhook-route.ts';
import { adminRoutes } from './admin/routes.ts';
import { stationRoutes } from './stations/routes.ts';
import { vitalsRoutes } from './vitals/routes.ts';
import { fhirRoutes } from './fhir/routes.ts';
import { identityRoutes } from './identity/routes.ts';
import { consultRoutes } from './consults/routes.ts';
import { retentionRoutes } from './retention/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { serviceRoutes } from './services/routes.ts';
import { paymentRoutes } from './payments/routes.ts';

/** What the app reports about the process beyond its dependencies. */
export interface AppStatus {
  connections: () => number;
}

export function createApp(d: HubDeps, status: AppStatus = { connections: () => 0 }) {
  const limited = rateLimit(new TokenBuckets(d.config.rateLimit));
  const api = new Hono<HubEnv>()
    .use(bodyLimit({ maxSize: 256 * 1024, onError: (c) => tooLarge(c, '256 KiB') }))
    .route('/auth', authRoutes(d))
    .route('/calls', callRoutes(d))
    .route('/identity', identityRoutes(d))
    .route('/consults', consultRoutes(d))
    .route('/admin', retentionRoutes(d))
    .route('/audit', auditRoutes(d))
    .route('/admin', adminRoutes(d))
    .route('/vitals', vitalsRoutes(d))
    .route('/station', stationRoutes(d))
    .route('/services', serviceRoutes(d))
    .route('/payments', paymentRoutes(d));

  const app = new Hono<HubEnv>()
    // Who is calling (behind a trusted balancer: the address it forwards), for the limits and logs.
    .use(clientAddressFrom(trustedProxies(d.config.trustedProxies)))
    // First of all: a flood is turned away before any other work is done for it.
    .use('/api/*', limited)
    .use('/fhir/*', limited)
    .use(requestId())
    .use(async (c, next) => {
      const log = d.log.child({ reqId: c.get('requestId') });
      c.set('log', log);
      const t0 = performance.now();
      await next();
      // Any 413 (every domain's body limit): the unread body leaves the connection unusable.
      if (c.res.status === 413) c.res.headers.set('Connection', 'close');
      const ms = performance.now() - t0;
      log.debug(
        { method: c.req.method, path: c.req.path, status: c.res.status, ms: +ms.toFixed(1), client: c.var.clientAddress },
        'request',
      );
      // By route pattern, never the raw path: ids in paths would make unbounded label sets.
      d.metrics?.httpRequests.observe({ method: c.req.method, route: c.req.routePath, status: String(c.res.status) }, ms / 1000);
    })
    .use(secureHeaders({ crossOriginEmbedderPolicy: false, contentSecurityPolicy: undefined }))
    // Public: up or not (load balancers, the agent). What is up, and this instance's internals, only
    // to an admin session.
    .get('/healthz', async (c) => {
      const [db, livekit] = await Promise.all([pingDb(d.sql), d.media.health()]);
      const ok = db && livekit;
      const token = getCookie(c, SESSION_COOKIE);
      const admin = token ? (await staffBySession(d.sql, token).catch(() => null))?.role === 'admin' : false;
      if (!admin) return c.json({ ok }, ok ? 200 : 503);
      return c.json(
        {
          ok,
          database: db ? 'up' : 'down',
          livekit: livekit ? 'up' : 'down',
          realtimeConnections: status.connections(),
          instance: d.config.instanceId,
        },
        ok ? 200 : 503,
      );
    })
    .route('/api', api)
    .route('/fhir', fhirRoutes(d))
    .route('/livekit/webhook', webhookRoutes(d));

  const csp = consolePolicy(d.config.livekit.publicUrl);
  for (const [prefix, dir] of [
    ['/police', d.config.consoles.police],
    ['/clinician', d.config.consoles.clinician],
    ['/admin', d.config.consoles.admin],
  ] as const) {
    if (!dir) continue;
    app.use(prefix, csp);
    app.use(`${prefix}/*`, csp);
    app.get(prefix, (c) => c.redirect(`${prefix}/`));
    app.use(`${prefix}/*`, serveStatic({ root: dir, rewriteRequestPath: (p) => p.slice(prefix.length) }));
    // Client-side routes fall back to the app's index.
    app.get(`${prefix}/*`, serveStatic({ root: dir, path: 'index.html' }));
  }
  app.notFound((c) => errorJson(c, 404, 'not_found', 'No such endpoint'));
  app.onError(onError);
  return app;
}

/**
 * The consoles' Content-Security-Policy: scripts only from the hub, no framing, and connections
 * only to the hub and the LiveKit server (signalling over WebSocket, its HTTP validate/region
 * endpoints). WebRTC media is not governed by CSP. Inline style attributes are allowed (the UI
 * framework sets some); inline scripts are not.
 */
function consolePolicy(livekitPublicUrl: string) {
  const lk = new URL(livekitPublicUrl);
  const secure = lk.protocol === 'wss:' || lk.protocol === 'https:';
  const origins = [`${secure ? 'wss' : 'ws'}://${lk.host}`, `${secure ? 'https' : 'http'}://${lk.host}`];
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self' ${origins.join(' ')}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return createMiddleware(async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', policy);
  });
}

export type AppType = ReturnType<typeof createApp>;
