// Hub configuration from the environment, with safe local defaults.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { retentionPolicy } from './retention/policy.ts';
import { trustedProxies } from './http/client-address.ts';

export const DEV_LIVEKIT_KEY = 'tram-dev';
/** Development-only keys (published here): production refuses to start without its own. */
export const DEV_ATTACHMENT_KEY = '7472616d2d6465762d6174746163686d656e742d6b65792d3031323334353637';
export const DEV_PAYOS_KEY = 'tram-dev-payos-checksum-key';
export const DEV_STATUS_KEY = 'tram-dev-services-status-key-0123456789';
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
  /** How long a callback rings the station before it is recorded as unanswered. */
  CALLBACK_RING_MS: z.coerce.number().int().positive().default(60_000),
  STAFF_SESSION_HOURS: z.coerce.number().positive().default(12),
  MEDIA_TOKEN_TTL_S: z.coerce.number().int().positive().default(600),
  /** How often the rooms of answered calls are checked (a dead LiveKit node sends no webhook). */
  MEDIA_WATCH_S: z.coerce.number().positive().default(5),
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
  /** Balancers whose X-Forwarded-For is believed (addresses or CIDR ranges, comma separated). */
  TRUSTED_PROXIES: z.string().optional(),
  WS_UPGRADE_BURST: z.coerce.number().int().positive().default(500),
  WS_UPGRADE_PER_S: z.coerce.number().positive().default(50),
  WS_CREDENTIAL_BURST: z.coerce.number().int().positive().default(10),
  WS_CREDENTIAL_PER_S: z.coerce.number().positive().default(1),
  WS_SOCKETS_PER_CREDENTIAL: z.coerce.number().int().positive().default(10),
  STAFF_IDLE_MINUTES: z.coerce.number().positive().default(30),
  POLICE_CONSOLE_DIR: z.string().optional(),
  CLINICIAN_CONSOLE_DIR: z.string().optional(),
  ADMIN_CONSOLE_DIR: z.string().optional(),
  ENROL_CODE_HOURS: z.coerce.number().positive().default(24),
  FLEET_OFFLINE_S: z.coerce.number().positive().default(60),
  FLEET_TICK_MS: z.coerce.number().int().positive().default(2000),
  /** Nightly station self-test at this local time (HH:MM in SELFTEST_TZ), or `off`. */
  SELFTEST_NIGHTLY_AT: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'HH:MM or off')
    .default('03:00'),
  SELFTEST_TZ: z
    .string()
    .min(1)
    .default('Asia/Ho_Chi_Minh')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone, e.g. Asia/Ho_Chi_Minh'),
  /** A self-test not finished after this many seconds fails (agent offline, page closed…). */
  SELFTEST_TIMEOUT_S: z.coerce.number().positive().default(90),
  // public services and payments (docs/services.md)
  SERVICES_ATTACHMENT_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'SERVICES_ATTACHMENT_KEY is 32 bytes as 64 hex digits')
    .optional(),
  SERVICES_STATUS_KEY: z.string().min(32, 'SERVICES_STATUS_KEY: at least 32 characters').optional(),
  SERVICES_FORWARD_URL: z.string().url().optional(),
  SERVICES_FORWARD_TOKEN: z.string().min(16).optional(),
  SERVICES_TICK_MS: z.coerce.number().int().positive().default(500),
  BILL_LOOKUP_URL: z.string().url().optional(),
  PAYOS_CHECKSUM_KEY: z.string().min(16).optional(),
  PAYEE_BANK_BIN: z
    .string()
    .regex(/^\d{6}$/)
    .default('970415'),
  PAYEE_ACCOUNT: z
    .string()
    .regex(/^[0-9A-Za-z]{4,19}$/)
    .default('113366668888'),
  PAYEE_NAME: z.string().default('BQL CHUNG CU TRAM'),
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
  // parsed here so a typo stops the start, not the first request
  trustedProxies(e.TRUSTED_PROXIES);
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
    /** The media watch's pace (calls/media-watch.ts); also how long a call is answered before it is watched. */
    mediaWatchS: e.MEDIA_WATCH_S,
    escalation: { t1Ms: e.ESCALATE_T1_MS, t2Ms: e.ESCALATE_T2_MS, tickMs: e.ESCALATION_TICK_MS, callbackRingMs: e.CALLBACK_RING_MS },
    staffSessionHours: e.STAFF_SESSION_HOURS,
    staffIdleMinutes: e.STAFF_IDLE_MINUTES,
    rateLimit: { burst: e.RATE_LIMIT_BURST, perSecond: e.RATE_LIMIT_PER_S },
    trustedProxies: e.TRUSTED_PROXIES,
    socketLimit: {
      perAddress: { burst: e.WS_UPGRADE_BURST, perSecond: e.WS_UPGRADE_PER_S },
      perCredential: { burst: e.WS_CREDENTIAL_BURST, perSecond: e.WS_CREDENTIAL_PER_S },
      openPerCredential: e.WS_SOCKETS_PER_CREDENTIAL,
    },
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : production,
    logLevel: e.LOG_LEVEL,
    consoles: { police: e.POLICE_CONSOLE_DIR, clinician: e.CLINICIAN_CONSOLE_DIR, admin: e.ADMIN_CONSOLE_DIR },
    /** Enrolment codes expire after this; a station unheard for offlineS is offline (checked every tickMs). */
    fleet: {
      enrolCodeHours: e.ENROL_CODE_HOURS,
      offlineS: e.FLEET_OFFLINE_S,
      tickMs: e.FLEET_TICK_MS,
      selfTest: {
        nightlyAt: e.SELFTEST_NIGHTLY_AT === 'off' ? null : e.SELFTEST_NIGHTLY_AT,
        tz: e.SELFTEST_TZ,
        timeoutS: e.SELFTEST_TIMEOUT_S,
      },
    },
    /** Prometheus `/metrics` on its own listener; off unless METRICS_PORT is set. */
    metrics: e.METRICS_PORT === undefined ? undefined : { port: e.METRICS_PORT, host: e.METRICS_HOST },
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
    services: {
      // A development key when unset; in production no key means attachments are refused (never stored in plaintext).
      attachmentKey: e.SERVICES_ATTACHMENT_KEY || !production ? Buffer.from(e.SERVICES_ATTACHMENT_KEY ?? DEV_ATTACHMENT_KEY, 'hex') : null,
      // Signs the receipts' status QR codes; a development key when unset, none (no QR) in production.
      statusKey: e.SERVICES_STATUS_KEY || !production ? Buffer.from(e.SERVICES_STATUS_KEY ?? DEV_STATUS_KEY) : null,
      forwardUrl: e.SERVICES_FORWARD_URL?.replace(/\/$/, ''),
      forwardToken: e.SERVICES_FORWARD_TOKEN,
      tickMs: e.SERVICES_TICK_MS,
      billLookupUrl: e.BILL_LOOKUP_URL?.replace(/\/$/, ''),
    },
    payments: {
      payosChecksumKey: e.PAYOS_CHECKSUM_KEY ?? (production ? undefined : DEV_PAYOS_KEY),
      payee: { bankBin: e.PAYEE_BANK_BIN, account: e.PAYEE_ACCOUNT, name: e.PAYEE_NAME },
    },
    instanceId: randomUUID().slice(0, 8),
  };
}
