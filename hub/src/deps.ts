// What every route factory, service and background loop of the hub is built from: one shape,
// built once at boot (server.ts) and handed to createApp, which gives it to every domain.
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Sql } from './db/client.ts';
import type { Bus } from './db/bus.ts';
import type { Media } from './livekit/media.ts';
import type { Metrics } from './metrics/metrics.ts';

export interface HubDeps {
  config: Config;
  sql: Sql;
  bus: Bus;
  media: Media;
  log: Logger;
  metrics: Metrics;
}
