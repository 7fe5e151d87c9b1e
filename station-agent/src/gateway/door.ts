// The agent's door: who may command the station. Any page in any browser on the kiosk PC can
// reach 127.0.0.1, so loopback alone proves nothing. A request is let in only when its Host is
// ours (no DNS rebinding), its Origin (when the browser sends one) is ours, and it carries the
// per-boot key that only the page we serve can read; commands must be JSON (no form or text/plain
// "simple requests").
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AGENT_KEY } from '@tram/contracts';

export type Refusal = { status: number; code: string; message: string };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const isLoopback = (host: string) => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

export class Door {
  /** Hex, so it fits a header, a query and an HTML attribute without escaping. */
  readonly key = randomBytes(32).toString('hex');
  private hosts = new Set<string>();
  private origins = new Set<string>();

  /** `names`: the host names the kiosk browser uses for the agent; `scheme` its URL scheme. */
  listenOn(port: number, names: string[], scheme: 'http' | 'https') {
    this.hosts.clear();
    this.origins.clear();
    for (const n of names) {
      const h = n.includes(':') && !n.startsWith('[') ? `[${n}]` : n;
      this.hosts.add(`${h}:${port}`.toLowerCase());
      this.origins.add(`${scheme}://${h}:${port}`.toLowerCase());
    }
  }

  /** Host check for every request: a rebound name (evil.example -> 127.0.0.1) is not ours. */
  host(req: IncomingMessage): Refusal | undefined {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!this.hosts.has(host)) return { status: 421, code: 'wrong_host', message: 'This station agent only answers to its own address' };
    return undefined;
  }

  /** Origin (when sent) and key: for /agent/*, relayed /api/* and the socket. */
  caller(req: IncomingMessage, key: string | undefined): Refusal | undefined {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin.toLowerCase()))
      return { status: 403, code: 'foreign_origin', message: 'Only the kiosk page served by this agent may call it' };
    if (!key || !this.keyMatches(key)) return { status: 403, code: 'agent_key', message: 'The agent key is missing or wrong' };
    return undefined;
  }

  /** State-changing requests carry JSON (forms and text/plain need no CORS preflight). */
  json(req: IncomingMessage): Refusal | undefined {
    if (req.method === 'GET' || req.method === 'HEAD') return undefined;
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return { status: 415, code: 'json_required', message: 'Send the body as application/json' };
    return undefined;
  }

  keyFrom(req: IncomingMessage): string | undefined {
    const h = req.headers[AGENT_KEY.header];
    return typeof h === 'string' ? h : undefined;
  }

  keyFromQuery(req: IncomingMessage): string | undefined {
    return new URL(req.url ?? '/', 'http://agent').searchParams.get(AGENT_KEY.query) ?? undefined;
  }

  private keyMatches(key: string): boolean {
    const a = Buffer.from(key),
      b = Buffer.from(this.key);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** The served page with the key in a meta tag (the page reads it; other origins cannot). */
  injectInto(html: string): string {
    const tag = `<meta name="${AGENT_KEY.meta}" content="${this.key}">`;
    return html.includes('</head>') ? html.replace('</head>', `${tag}</head>`) : tag + html;
  }
}
