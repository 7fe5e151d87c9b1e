/**
 * Test helper: a real HTTP server speaking the hub's vitals ingest contract
 * (POST /api/vitals/readings, de-duplication by reading id) and the station
 * WebSocket (/ws), with switches to misbehave. It stands in only until the
 * hub's endpoint exists; it records everything it was sent.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ReadingsBatch } from '@tram/contracts';

export interface FakeHub {
  url: string;
  port: number;
  /** Every request body that reached the handler, in arrival order (including refused ones). */
  posts: { auth: string | undefined; body: ReadingsBatch; status: number }[];
  /** Reading ids stored, in order, each once. */
  stored: string[];
  /** How to answer the next requests; shift()ed per request, then normal service. */
  script: ('503' | 'drop-answer' | '409' | '400' | { reject: string[] } | { ignore: string[] })[];
  stations: WebSocket[];
  push(event: unknown): void;
  close(): Promise<void>;
}

export async function startFakeHub(port = 0): Promise<FakeHub> {
  const storedSet = new Set<string>();
  const hub: FakeHub = {
    url: '',
    port: 0,
    posts: [],
    stored: [],
    script: [],
    stations: [],
    push: (event) => {
      for (const ws of hub.stations) ws.send(JSON.stringify(event));
    },
    close: async () => {
      for (const ws of hub.stations) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/api/vitals/readings') return void res.writeHead(404).end();
    const body = JSON.parse(await text(req)) as ReadingsBatch;
    const step = hub.script.shift();
    const reply = (status: number, json: unknown) => {
      hub.posts.push({ auth: req.headers.authorization, body, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    if (step === '503') return reply(503, { error: { code: 'unavailable', message: 'try later' } });
    if (step === '409') return reply(409, { error: { code: 'no_citizen_session', message: 'no session' } });
    if (step === '400') return reply(400, { error: { code: 'invalid_request', message: 'bad' } });
    const reject = new Set(typeof step === 'object' && 'reject' in step ? step.reject : []);
    const ignore = new Set(typeof step === 'object' && 'ignore' in step ? step.ignore : []);
    const answer = { accepted: [] as string[], duplicates: [] as string[], rejected: [] as { id: string; reason: string }[] };
    for (const r of body.readings) {
      if (ignore.has(r.id)) continue;
      if (reject.has(r.id)) answer.rejected.push({ id: r.id, reason: 'implausible value' });
      else if (storedSet.has(r.id)) answer.duplicates.push(r.id);
      else {
        storedSet.add(r.id);
        hub.stored.push(r.id);
        answer.accepted.push(r.id);
      }
    }
    if (step === 'drop-answer') {
      // Stored, but the answer never reaches the agent.
      hub.posts.push({ auth: req.headers.authorization, body, status: 0 });
      return void req.socket.destroy();
    }
    reply(200, answer);
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws, req) => {
    if (!req.headers.authorization?.startsWith('Station ')) return ws.close();
    hub.stations.push(ws);
    ws.on('close', () => hub.stations.splice(hub.stations.indexOf(ws), 1));
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  hub.port = (server.address() as AddressInfo).port;
  hub.url = `http://127.0.0.1:${hub.port}`;
  return hub;
}

/** A loopback port with nothing listening (connection refused), free to be taken later. */
export async function refusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function text(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (s += c));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}
