// The front of a scaled-out hub: a small HTTP + WebSocket proxy over node:http that spreads
// requests round-robin over the hubs that answer /healthz, so consoles and agents keep one URL
// while hubs come and go. Hubs are stateless (PostgreSQL holds everything), so no stickiness.
// A request whose hub refused or dropped the connection before answering is sent to the next hub:
// station requests carry idempotency keys, so a retried raise is still one call.
// In production a city uses its own front (Caddy, HAProxy, a cloud balancer: deploy/); this is the
// one `npm run start:cluster` and the cluster tests run.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Backend {
  url: string;
  healthy: boolean;
}

export interface Balancer {
  url: string;
  port: number;
  backends: readonly Backend[];
  /** Requests sent to each backend, by URL. */
  served: Map<string, number>;
  close(): Promise<void>;
}

const MAX_BODY = 32 * 1024 * 1024;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function forwardHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  const prior = req.headers['x-forwarded-for'];
  const client = req.socket.remoteAddress ?? '';
  out['x-forwarded-for'] = prior ? `${prior}, ${client}` : client;
  return out;
}

export async function startBalancer(o: { port: number; host?: string; backends: string[]; checkMs?: number }): Promise<Balancer> {
  const backends: Backend[] = o.backends.map((url) => ({ url, healthy: true }));
  const served = new Map<string, number>();
  let next = 0;
  /** Healthy backends first, starting at the round-robin position; then the rest as a last try. */
  const order = (): Backend[] => {
    const start = next++ % backends.length;
    const rotated = [...backends.slice(start), ...backends.slice(0, start)];
    return [...rotated.filter((b) => b.healthy), ...rotated.filter((b) => !b.healthy)];
  };

  const check = async (b: Backend) => {
    try {
      const r = await fetch(`${b.url}/healthz`, { signal: AbortSignal.timeout(1000) });
      b.healthy = r.ok;
    } catch {
      b.healthy = false;
    }
  };
  const timer = setInterval(() => void Promise.all(backends.map(check)), o.checkMs ?? 500);
  timer.unref();

  const proxy = (req: IncomingMessage, res: ServerResponse, body: Buffer, tries: Backend[]) => {
    const b = tries.shift();
    if (!b) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ error: 'no hub is available; try again in a moment' }));
      return;
    }
    const target = new URL(req.url ?? '/', b.url);
    let answered = false;
    const up = request(target, { method: req.method, headers: forwardHeaders(req) }, (r) => {
      answered = true;
      served.set(b.url, (served.get(b.url) ?? 0) + 1);
      const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !HOP_BY_HOP.has(k)));
      res.writeHead(r.statusCode ?? 502, headers);
      r.pipe(res);
    });
    up.on('error', () => {
      if (answered) return res.destroy();
      // Refused or dropped before any answer: this hub is gone; the next one gets the request.
      b.healthy = false;
      proxy(req, res, body, tries);
    });
    up.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ error: 'request body too large' }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!res.headersSent) proxy(req, res, Buffer.concat(chunks), order());
    });
  });

  // WebSockets: the upgrade request is replayed to a hub and the two sockets are joined.
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const tryNext = (tries: Backend[]) => {
      const b = tries.shift();
      if (!b) {
        client.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      const u = new URL(b.url);
      const up = connect(Number(u.port), u.hostname);
      up.once('connect', () => {
        served.set(b.url, (served.get(b.url) ?? 0) + 1);
        const headers = { ...forwardHeaders(req), connection: 'Upgrade', upgrade: req.headers.upgrade ?? 'websocket' };
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (const [k, v] of Object.entries(headers)) for (const one of [v].flat()) lines.push(`${k}: ${one}`);
        up.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length) up.write(head);
        up.pipe(client);
        client.pipe(up);
      });
      up.once('error', () => {
        if (up.bytesWritten > 0) return client.destroy();
        b.healthy = false;
        tryNext(tries);
      });
      up.on('close', () => client.destroy());
      client.on('error', () => up.destroy());
      client.on('close', () => up.destroy());
    };
    tryNext(order());
  });

  await new Promise<void>((r) => server.listen(o.port, o.host ?? '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    port,
    backends,
    served,
    close: () =>
      new Promise<void>((r) => {
        clearInterval(timer);
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
