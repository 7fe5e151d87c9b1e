// Boots one hub instance: database (external or embedded), migrations, bus, LiveKit client,
// HTTP + WebSocket server, and the background loops (escalation, callbacks, the media watch…).
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Config } from './config.ts';
import { connectDb } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { grantRuntimeRole, roleOf } from './db/runtime-role.ts';
import { startBus } from './db/bus.ts';
import { startEmbeddedPostgres, type EmbeddedDb } from './db/embedded.ts';
import { createMedia } from './livekit/media.ts';
import { attachRealtime } from './realtime/sockets.ts';
import { attachFhirSockets } from './fhir/subscriptions/ws.ts';
import { createUpgradeGuard } from './realtime/upgrade-limit.ts';
import { trustedProxies } from './http/client-address.ts';
import { createApp } from './app.ts';
import { startEscalationLoop } from './calls/escalation.ts';
import { startCallbackLoop } from './calls/callback.ts';
import { startMediaWatch } from './calls/media-watch.ts';
import { fleetOf } from './fleet/service.ts';
import { startIdleSweeper } from './identity/idle-sweeper.ts';
import { loadTrustStore } from './identity/verify-document.ts';
import { followWalkAways } from './consults/walk-away.ts';
import { startRetention } from './retention/service.ts';
import { startUpstreamForwarder } from './fhir/upstream/service.ts';
import { startServiceForwarder } from './services/forwarder.ts';
import { startPaymentReporter } from './payments/reporter.ts';
import type { HubDeps } from './deps.ts';
import { createMetrics } from './metrics/metrics.ts';
import { startMetricsServer } from './metrics/server.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningHub {
  url: string;
  port: number;
  databaseUrl: string;
  /** Prometheus scrape URL when METRICS_PORT is set. */
  metricsUrl: string | undefined;
  stop(): Promise<void>;
}

/** Migrations as the owner, then the runtime role's grants (append-only audit_log, no DDL). */
async function migrateAsOwner(ownerUrl: string, runtimeUrl: string): Promise<string[]> {
  const owner = connectDb(ownerUrl, 1);
  try {
    const applied = await migrate(owner);
    await grantRuntimeRole(owner, roleOf(runtimeUrl));
    return applied;
  } finally {
    await owner.end({ timeout: 5 });
  }
}

export async function startHub(config: Config): Promise<RunningHub> {
  const log = pino({ level: config.logLevel, base: { instance: config.instanceId } });
  // Before anything starts: a trust store that cannot be used stops the hub here, said plainly.
  const csca = loadTrustStore(config.identity.cscaPaths, config.production);
  if (csca) log.info({ cscas: csca.certificates.length }, 'CSCA trust store loaded');
  let embedded: EmbeddedDb | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dir = config.embeddedPg.dir ?? join(repoRoot, '.data/pg');
    log.info({ dir, port: config.embeddedPg.port }, 'DATABASE_URL unset: starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({ dir, port: config.embeddedPg.port });
    databaseUrl = embedded.url;
  }
  const sql = connectDb(databaseUrl, 20);
  const applied = config.migrationDatabaseUrl ? await migrateAsOwner(config.migrationDatabaseUrl, databaseUrl) : await migrate(sql);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const bus = await startBus(databaseUrl, (err) => log.error({ err }, 'bus listener failed'));
  const d: HubDeps = { config, sql, bus, media: createMedia(config.livekit), log, metrics: createMetrics() };

  let realtime: ReturnType<typeof attachRealtime> | undefined;
  const app = createApp(d, { connections: () => realtime?.connections() ?? 0 });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server));
  });
  // One guard for both socket endpoints: a client address's upgrades count together.
  const guard = createUpgradeGuard(config.socketLimit, trustedProxies(config.trustedProxies));
  realtime = attachRealtime(server, d, guard);
  const fhirSockets = attachFhirSockets(server, d, guard);
  const escalation = startEscalationLoop(d);
  const callbacks = startCallbackLoop(d);
  const mediaWatch = startMediaWatch(d);
  const fleet = fleetOf(d).start();
  const stopWalkAways = followWalkAways(d);
  const upstream = startUpstreamForwarder(d);
  const serviceForwarder = startServiceForwarder(d);
  const paymentReporter = startPaymentReporter(d);
  const retention = startRetention(d);
  const idleSweeper = startIdleSweeper(d, Math.min(5000, config.identity.idleS * 500));
  const port = (server.address() as AddressInfo).port;
  const metrics = config.metrics ? await startMetricsServer(d.metrics, sql, config.metrics) : undefined;
  log.info({ port, metrics: metrics?.url }, 'hub listening');

  return {
    url: `http://${config.host}:${port}`,
    port,
    databaseUrl,
    metricsUrl: metrics?.url,
    async stop() {
      await metrics?.close();
      await escalation.stop();
      await callbacks.stop();
      await mediaWatch.stop();
      await fleet.stop();
      idleSweeper.stop();
      retention.stop();
      stopWalkAways();
      await upstream?.stop();
      await serviceForwarder?.stop();
      await paymentReporter?.stop();
      // Stop taking connections first: a client reconnecting its socket (the agent's loop) between
      // closing the sockets and closing the server got a fresh upgraded socket, which server.close()
      // then waited on for ever (the card bench never exited, 1 run in 3).
      const closed = new Promise<void>((r) => server.close(() => r()));
      await realtime?.close();
      await fhirSockets.close();
      server.closeAllConnections?.();
      await closed;
      await bus.close().catch(() => {});
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}
