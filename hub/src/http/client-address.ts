// Who the client is, for rate limits and logs. Behind a balancer every request comes from the
// balancer, so its X-Forwarded-For names the client; but anyone can send that header, so it is
// believed only from peers listed in TRUSTED_PROXIES (addresses or CIDR ranges, comma separated).
// The header is read from the right: each trusted hop vouches for the address before it, and the
// first address not trusted is the client. Unset: the socket's peer, whatever the header says.
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { HubEnv } from './env.ts';

export type Trusted = (address: string) => boolean;

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
const plain = (a: string) => (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a);

/** Parses TRUSTED_PROXIES; throws on an entry that is not an address or a CIDR range. */
export function trustedProxies(spec: string | undefined): Trusted {
  const list = new BlockList();
  const entries = (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const e of entries) {
    const [addr = '', bits] = e.split('/');
    const family = isIP(addr);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (
      !family ||
      !Number.isInteger(prefix) ||
      prefix < 0 ||
      prefix > (family === 6 ? 128 : 32) ||
      (bits !== undefined && !/^\d+$/.test(bits))
    )
      throw new Error(`TRUSTED_PROXIES: "${e}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1)`);
    list.addSubnet(addr, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  if (entries.length === 0) return () => false;
  return (a) => {
    const p = plain(a);
    const family = isIP(p);
    return family !== 0 && list.check(p, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/** The client's address given the socket's peer and the X-Forwarded-For header(s). */
export function clientAddressOf(peer: string | undefined, forwarded: string | string[] | undefined, trusted: Trusted): string {
  if (!peer) return 'unknown';
  let addr = plain(peer);
  if (!forwarded || !trusted(addr)) return addr;
  const hops = [forwarded]
    .flat()
    .join(',')
    .split(',')
    .map((s) => s.trim());
  for (let i = hops.length - 1; i >= 0 && trusted(addr); i--) {
    const hop = plain(hops[i]!);
    if (!isIP(hop)) break; // garbage left of the trusted hops: the nearest proven address stands
    addr = hop;
  }
  return addr;
}

/** For WebSocket upgrades, which run outside the Hono app. */
export const requestAddress = (req: IncomingMessage, trusted: Trusted) =>
  clientAddressOf(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted);

function peerOf(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // app.request() in unit tests has no socket
  }
}

/** First of all middleware: sets `clientAddress` for the rate limits and the request log. */
export const clientAddressFrom = (trusted: Trusted) =>
  createMiddleware<HubEnv>(async (c, next) => {
    c.set('clientAddress', clientAddressOf(peerOf(c), c.req.header('x-forwarded-for'), trusted));
    await next();
  });
