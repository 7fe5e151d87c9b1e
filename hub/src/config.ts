// Hub configuration from the environment, with safe local defaults.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { retentionPolicy } from './retention/policy.ts';

export const DEV_LIVEKIT_KEY = 'tram-dev';
export const DEV_SECRET = 'tram-dev-secret-change-me-0123456789abcdef';

/** Why a LiveKit secret must not be used with a server we did not start ourselves (undefined if fine). */
export function externalLivekitSecretProblem(secret: string | undefined): string | undefined {
  // DEV_SECRET is published in this repository: whoever knows it can mint tokens for any room.
  if (!secret || secret === DEV_SECRET) return 'LIVEKIT_API_SECRET is unset or the public development secret';
  return undefined;
}

const env = z.object({
  NODE_ENV: z.string().default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  DATABASE_URL: z.string().url().optional(),
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_DIR: z.string().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().default(54329),
  LIVEKIT_URL: z.string().url().default('http://127.0.0.1:7880'),
  LIVEKIT_PUBLIC_URL: z.string().url().optional(),
  LIVEKIT_API_KEY: z.string().min(3).default(DEV_LIVEKIT_KEY),
  LIVEKIT_API_SECRET: z.string().min(32, 'LIVEKIT_API_SECRET must be at least 32 characters').default(DEV_SECRET),
  ESCALATE_T1_MS: z.coerce.number().int().positive().default(30_000),
  ESCALATE_T2_MS: z.coerce.number().int().positive().default(90_000),
  ESCALATION_TICK_MS: z.coerce.number().int().positive().default(250),
  STAFF_SESSION_HOURS: z.coerce.number().positive().default(12),
  MEDIA_TOKEN_TTL_S: z.coerce.number().int().positive().default(600),
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CSCA_PATHS: z.string().optional(),
  FHIR_UPSTREAM_URL: z.string().url().optional(),
  FHIR_UPSTREAM_TOKEN: z.string().min(16).optional(),
  FHIR_INTEGRATION_TOKEN: z.string().min(16).optional(),
  CITIZEN_IDLE_S: z.coerce.number().int().positive().default(300),
  CLINICIAN_ACCESS_HOURS: z.coerce.number().nonnegative().default(24),
  BREAK_GLASS_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .max(24 * 60)
    .default(60),
  RATE_LIMIT_BURST: z.coerce.number().int().positive().default(60),
  RATE_LIMIT_PER_S: z.coerce.number().positive().default(20),
  STAFF_IDLE_MINUTES: z.coerce.number().positive().default(30),
  POLICE_CONSOLE_DIR: z.string().optional(),
  CLINICIAN_CONSOLE_DIR: z.string().optional(),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  const e = env.parse(source);
  const production = e.NODE_ENV === 'production';
  if (production && e.LIVEKIT_API_SECRET === DEV_SECRET) {
    throw new Error('LIVEKIT_API_SECRET must be set in production');
  }
  if (production && !e.DATABASE_URL) throw new Error('DATABASE_URL must be set in production');
  if (e.ESCALATE_T2_MS <= e.ESCALATE_T1_MS) throw new Error('ESCALATE_T2_MS must be greater than ESCALATE_T1_MS');
  return {
    production,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    /** The owner's URL: migrations and grants run with it, the hub then serves as DATABASE_URL's role. */
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL,
    embeddedPg: { dir: e.EMBEDDED_PG_DIR, port: e.EMBEDDED_PG_PORT },
    livekit: {
      apiUrl: e.LIVEKIT_URL,
      publicUrl: e.LIVEKIT_PUBLIC_URL ?? e.LIVEKIT_URL.replace(/^http/, 'ws'),
      apiKey: e.LIVEKIT_API_KEY,
      apiSecret: e.LIVEKIT_API_SECRET,
      tokenTtlS: e.MEDIA_TOKEN_TTL_S,
    },
    escalation: { t1Ms: e.ESCALATE_T1_MS, t2Ms: e.ESCALATE_T2_MS, tickMs: e.ESCALATION_TICK_MS },
    staffSessionHours: e.STAFF_SESSION_HOURS,
    staffIdleMinutes: e.STAFF_IDLE_MINUTES,
    rateLimit: { burst: e.RATE_LIMIT_BURST, perSecond: e.RATE_LIMIT_PER_S },
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : production,
    logLevel: e.LOG_LEVEL,
    /** Prometheus `/metrics` on its own listener; off unless METRICS_PORT is set. */
    metrics: e.METRICS_PORT === undefined ? undefined : { port: e.METRICS_PORT, host: e.METRICS_HOST },
    consoles: { police: e.POLICE_CONSOLE_DIR, clinician: e.CLINICIAN_CONSOLE_DIR },
    fhirUpstream: { url: e.FHIR_UPSTREAM_URL?.replace(/\/$/, ''), token: e.FHIR_UPSTREAM_TOKEN },
    fhirIntegrationToken: e.FHIR_INTEGRATION_TOKEN,
    retention: retentionPolicy(source),
    healthAccess: { consultHours: e.CLINICIAN_ACCESS_HOURS, breakGlassMinutes: e.BREAK_GLASS_MINUTES },
    identity: {
      cscaPaths: e.CSCA_PATHS
        ? e.CSCA_PATHS.split(',')
            .map((p) => p.trim())
            .filter(Boolean)
        : [],
      idleS: e.CITIZEN_IDLE_S,
    },
    instanceId: randomUUID().slice(0, 8),
  };
}
