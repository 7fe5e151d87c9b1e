// Per-caller rate limits on every API route: a token bucket per station (by the code in its
// credential header, read before any database work), per staff session, and per client address
// for anonymous callers. A flooding caller gets 429 with Retry-After from memory, without
// touching PostgreSQL, so it cannot slow anyone else down. Buckets are per hub instance: behind a
// load balancer with n instances a caller gets at most n times the rate, still bounded.
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { HubEnv } from './env.ts';
import { errorJson } from './errors.ts';
import { SESSION_COOKIE } from '../auth/staff.ts';

export interface RateLimit {
  /** requests a caller may make at once */
  burst: number;
  /** requests per second it earns back */
  perSecond: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  constructor(
    readonly limit: RateLimit,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token for `key`: 0 when allowed, else the seconds until one is earned. */
  take(key: string): number {
    const t = this.now();
    const { burst, perSecond } = this.limit;
    const b = this.#buckets.get(key) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
    b.at = t;
    if (!this.#buckets.has(key)) {
      if (this.#buckets.size >= 100_000) this.#prune(t);
      this.#buckets.set(key, b);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }

  /** Forgets callers whose bucket has refilled: they are as if new. */
  #prune(t: number) {
    const { burst, perSecond } = this.limit;
    for (const [k, b] of this.#buckets) if (b.tokens + ((t - b.at) / 1000) * perSecond >= burst) this.#buckets.delete(k);
  }
}

/** Who is calling, as far as can be told without the database. */
export function callerKey(c: Context<HubEnv>): string {
  const station = /^Station ([A-Za-z0-9._-]{1,64}):/.exec(c.req.header('authorization') ?? '');
  if (station) return `station:${station[1]}`;
  const session = getCookie(c, SESSION_COOKIE);
  if (session) return `session:${createHash('sha256').update(session).digest('base64url').slice(0, 22)}`;
  return `ip:${clientAddress(c)}`;
}

export function clientAddress(c: Context): string {
  const known = (c as Context<HubEnv>).var.clientAddress;
  if (known) return known;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in unit tests has no socket
  }
}

/** How long a refusal is held, and how many refusals per caller at most: see rateLimit. */
export interface Hold {
  ms: number;
  perCaller: number;
}
export const REFUSAL_HOLD: Hold = { ms: 500, perCaller: 32 };

/**
 * 429 with Retry-After for a caller over its limit. The refusal is held for a moment first (a timer,
 * no work): a client pressing in a loop is slowed to a few requests per connection per second
 * instead of taking the hub's (and the machine's) CPU from everyone else. Past `perCaller` held
 * refusals the answer comes at once and closes the connection, so holding cannot be used to pile
 * up sockets.
 */
export const rateLimit = (buckets: TokenBuckets, hold: Hold = REFUSAL_HOLD) => {
  const held = new Map<string, number>();
  return createMiddleware<HubEnv>(async (c, next) => {
    const key = callerKey(c);
    const wait = buckets.take(key);
    if (wait === 0) return next();
    const n = held.get(key) ?? 0;
    if (n < hold.perCaller && hold.ms > 0) {
      held.set(key, n + 1);
      await new Promise((r) => setTimeout(r, hold.ms));
      const left = (held.get(key) ?? 1) - 1;
      if (left > 0) held.set(key, left);
      else held.delete(key);
    } else c.header('Connection', 'close');
    c.header('Retry-After', String(wait));
    return errorJson(c, 429, 'rate_limited', `Too many requests; retry in ${wait} s`);
  });
};
