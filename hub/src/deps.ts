// What every domain's routes and services are built from.
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Sql } from './db/client.ts';
import type { Bus } from './db/bus.ts';
import type { Media } from './livekit/media.ts';

export interface HubContext {
  config: Config;
  sql: Sql;
  bus: Bus;
  media: Media;
  log: Logger;
}
