// Limits on WebSocket upgrades (/ws and /fhir/ws), checked from the request's headers and socket
// before any database work: a token bucket per client address and per credential (station code,
// session cookie), and a cap on the sockets a credential holds open at once. Over the limit the
// upgrade is answered 429 with Retry-After and the connection closed.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseCookies } from 'hono/utils/cookie';
import { SESSION_COOKIE } from '../auth/staff.ts';
import { TokenBuckets, type RateLimit } from '../http/rate-limit.ts';
import { requestAddress, type Trusted } from '../http/client-address.ts';

export interface SocketLimit {
  perAddress: RateLimit;
  perCredential: RateLimit;
  /** sockets one credential may hold open on one endpoint */
  openPerCredential: number;
}

export interface UpgradeGuard {
  /** 0 when the upgrade may go on, else the seconds to wait; takes a token from each bucket that applies. */
  admit(req: IncomingMessage): number;
  /** Counts an open socket against `key`; false (nothing counted) when the cap is reached. */
  hold(key: string): boolean;
  release(key: string): void;
}

/** The credential an upgrade presents, as far as can be told without the database. */
export function upgradeCredential(req: IncomingMessage): string | null {
  const station = /^Station ([A-Za-z0-9._-]{1,64}):/.exec(req.headers.authorization ?? '');
  if (station) return `station:${station[1]}`;
  const session = parseCookies(req.headers.cookie ?? '', SESSION_COOKIE)[SESSION_COOKIE];
  return session ? `session:${createHash('sha256').update(session).digest('base64url').slice(0, 22)}` : null;
}

export function createUpgradeGuard(limit: SocketLimit, trusted: Trusted = () => false): UpgradeGuard {
  const byAddress = new TokenBuckets(limit.perAddress);
  const byCredential = new TokenBuckets(limit.perCredential);
  const open = new Map<string, number>();
  return {
    admit(req) {
      const address = byAddress.take(`ip:${requestAddress(req, trusted)}`);
      if (address) return address;
      const cred = upgradeCredential(req);
      return cred ? byCredential.take(cred) : 0;
    },
    hold(key) {
      const n = open.get(key) ?? 0;
      if (n >= limit.openPerCredential) return false;
      open.set(key, n + 1);
      return true;
    },
    release(key) {
      const n = (open.get(key) ?? 1) - 1;
      if (n <= 0) open.delete(key);
      else open.set(key, n);
    },
  };
}

/** Answers an upgrade that may not go on with a plain HTTP error and closes the connection. */
export function refuseUpgrade(socket: Duplex, status: 401 | 404 | 429, code: string, message: string, retryAfterS?: number): void {
  const reason = { 401: 'Unauthorized', 404: 'Not Found', 429: 'Too Many Requests' }[status];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `${retryAfterS ? `Retry-After: ${retryAfterS}\r\n` : ''}Connection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
