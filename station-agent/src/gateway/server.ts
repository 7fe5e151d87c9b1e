// The agent's local web server: the kiosk page, its WebSocket, the SOS outbox, and a proxy that
// adds the station credential to the page's calls to the hub.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AgentConfig } from '../config.ts';
import { SosOutbox } from './sos-outbox.ts';
import { followHubEvents } from './hub-events.ts';
import { serveFile } from './static.ts';
import { VitalsAgent } from '../vitals/vitals-agent.ts';
import { parseRemeasure } from '../vitals/remeasure.ts';
import { startCardReader } from './card-reader.ts';
import { parseBody, readBody } from './request-body.ts';
import { Door, isLoopback, type Refusal } from './door.ts';
import {
  type AgentEvent,
  AGENT_ROUTES,
  BOOTH_KINDS,
  cardAccessBody,
  type EventOf,
  isKioskHubRoute,
  measureBody,
  printReceiptBody,
  mediaReportBody,
  selfTestKioskReport,
  sosBody,
  type Heartbeat,
} from '@tram/contracts';
import { startHeartbeat } from '../fleet/heartbeat.ts';
import { selfTests } from './self-test.ts';
import { printQueue } from '../devices/printer/print-job.ts';

const AGENT_VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

const HINT = {
  sos: 'Send {} or {"note": "at most 500 characters"}.',
  cardAccess: 'Send {"can":"6 digits"} or {"idNumber":"12 digits","dateOfBirth":"YYMMDD","dateOfExpiry":"YYMMDD"}.',
  measure: `Send {"kind": one of ${BOOTH_KINDS.join(', ')}}.`,
  print: 'Send {"kind":"submission"|"payment","title","receipt", "promisedBy"?, "amountVnd"?, "qr"?, "lines"?}.',
  media: 'Send {"camera": "available"|"missing"|"unknown", "microphone": …}.',
  selfTest: 'Send {"runId", "camera", "microphone", "receivedAudio": true|false, "reason"?}.',
};
const route = (r: { method: string; path: string }, method: string | undefined, path: string) => r.method === method && r.path === path;

export interface RunningAgent {
  url: string;
  /** The per-boot key the served page carries (tests that act as the page send it too). */
  key: string;
  outbox: SosOutbox;
  vitals: VitalsAgent;
  card?: ReturnType<typeof startCardReader>;
  stop(): Promise<void>;
}

/** Binding beyond loopback exposes the kiosk API to the network: only with TLS, and said clearly. */
function tlsOptions(cfg: AgentConfig): { cert: Buffer; key: Buffer } | undefined {
  if (!cfg.tls) {
    if (isLoopback(cfg.host)) return undefined;
    throw new Error(
      `AGENT_HOST=${cfg.host} is not a loopback address: the kiosk API would be open to the network. Bind 127.0.0.1, or set AGENT_TLS_CERT and AGENT_TLS_KEY to serve it over TLS`,
    );
  }
  try {
    return { cert: readFileSync(cfg.tls.certFile), key: readFileSync(cfg.tls.keyFile) };
  } catch (e) {
    throw new Error(`AGENT_TLS_CERT / AGENT_TLS_KEY cannot be read: ${(e as Error).message}`);
  }
}

export async function startAgent(cfg: AgentConfig): Promise<RunningAgent> {
  const tls = tlsOptions(cfg);
  const door = new Door();
  const auth = `Station ${cfg.credential}`;
  // The agent's own calls to the hub, with the station credential; a network failure throws.
  const hubJson = async (
    method: 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    timeoutMs = 10_000,
  ) => {
    const r = await fetch(cfg.hubUrl + path, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  };
  let heartbeat: ReturnType<typeof startHeartbeat> | undefined;
  const print = cfg.printer ? printQueue(cfg.printer) : null;
  const outbox = new SosOutbox(cfg.dataDir, (p) =>
    hubJson('POST', '/api/calls', { kind: 'sos', ...(p.note ? { note: p.note } : {}) }, { 'idempotency-key': p.key }, 5000),
  );

  const pages = new Set<WebSocket>();
  let hubUp = false;
  // Hub frames are relayed as they came; the agent's own events are typed by the contract.
  const broadcast = (frame: string) => {
    for (const ws of pages) if (ws.readyState === ws.OPEN) ws.send(frame);
  };
  const send = (e: AgentEvent) => broadcast(JSON.stringify(e));
  const agentState = (): EventOf<AgentEvent, 'agent.state'> => ({
    type: 'agent.state',
    data: { hub: hubUp ? 'up' : 'down', sos: outbox.state(), card: card?.flow.state() },
  });
  outbox.on('change', () => send(agentState()));
  // The health booth (no devices configured -> nothing opened; queued readings still drain).
  const vitals = new VitalsAgent({
    hubUrl: cfg.hubUrl,
    credential: cfg.credential,
    dataDir: cfg.dataDir,
    devices: cfg.devices ?? [],
    onReading: (r) => {
      lastReading.set(r.device.id, r.at);
      send({ type: 'vitals.reading', data: r });
    },
    onDeviceStatus: (s) => {
      send({ type: 'vitals.device', data: s });
      // the fleet hears of a device change at once, not at the next beat
      void heartbeat?.beat();
    },
  });
  vitals.start();
  const lastReading = new Map<string, string>();
  // Camera and microphone as the kiosk page last reported them.
  const media: { camera: Heartbeat['camera']; microphone: Heartbeat['microphone'] } = { camera: 'unknown', microphone: 'unknown' };
  const card =
    cfg.cardReader === 'off'
      ? undefined
      : startCardReader({
          reader: cfg.cardReader === 'auto' ? undefined : cfg.cardReader,
          flow: {
            hub: (method, path, body) => hubJson(method, path, body).catch(() => ({ status: 503, body: null })),
            onState: (s) => send({ type: 'card.state', data: s }),
            // Health readings are only kept for an identified resident.
            onSession: (id) => vitals.setSession(id),
          },
          log: (m) => console.error(`[agent] ${m}`),
        });
  const selfTest = selfTests({
    hub: (method, path, body) => hubJson(method, path, body ?? {}),
    pages: () => pages.size,
    busy: () =>
      outbox.state().state === 'idle'
        ? null
        : 'trạm đang có SOS thật, bỏ qua kiểm tra media / a real SOS is in progress: media check skipped',
    send,
    log: (m) => console.error(`[agent] ${m}`),
  });
  const upstream = followHubEvents(
    cfg.hubUrl,
    cfg.credential,
    (frame) => {
      broadcast(frame);
      try {
        const e = JSON.parse(frame) as { type: string; data?: { call?: { id: string }; runId?: string } };
        if (e.type === 'call.ended' && e.data?.call) outbox.clear(e.data.call.id);
        if (e.type === 'station.selftest' && e.data?.runId) void selfTest.requested(e.data.runId);
        const kind = parseRemeasure(e);
        if (kind) vitals.measure(kind);
      } catch {
        /* relay only */
      }
    },
    (up) => {
      hubUp = up;
      send(agentState());
      // Reported on every (re)connection: a session left open while the hub was unreachable, or
      // by an agent that restarted, ends when this station has no verified resident.
      if (up) card?.flow.hubConnected();
    },
  );

  // Fleet health for the hub's admin console.
  heartbeat = cfg.heartbeatMs
    ? startHeartbeat({
        hubUrl: cfg.hubUrl,
        credential: cfg.credential,
        intervalMs: cfg.heartbeatMs,
        dataDir: cfg.dataDir,
        version: AGENT_VERSION,
        collect: () => {
          const reader =
            cfg.cardReader === 'off' ? 'off' : card?.flow.state().state === 'no_reader' ? 'no_reader' : card ? 'ready' : 'unknown';
          return {
            reader,
            devices: vitals.devices.statuses().map((s) => ({
              id: s.device.id,
              kind: s.kind,
              state: s.state,
              ...(s.error ? { error: s.error.slice(0, 300) } : {}),
              ...(lastReading.has(s.device.id) ? { lastReadingAt: lastReading.get(s.device.id)! } : {}),
            })),
            sosOutbox: outbox.state().state === 'sending' ? 1 : 0,
            vitalsQueue: vitals.queue.size,
            camera: media.camera,
            microphone: media.microphone,
          };
        },
      })
    : undefined;

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent)
        json(res, 502, { error: { code: 'agent_error', message: 'The station agent could not complete this request' } });
    });
  };
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  const refuse = (res: ServerResponse, r: Refusal) => json(res, r.status, { error: { code: r.code, message: r.message } });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://agent');
    const wrongHost = door.host(req);
    if (wrongHost) return refuse(res, wrongHost);
    if (url.pathname.startsWith('/agent/') || url.pathname.startsWith('/api/')) {
      const refused = door.caller(req, door.keyFrom(req)) ?? door.json(req);
      if (refused) return refuse(res, refused);
    }
    const invalid = (message: string) => json(res, 400, { error: { code: 'invalid_request', message } });
    if (route(AGENT_ROUTES.sos, req.method, url.pathname)) {
      const body = parseBody(sosBody, await readBody(req), HINT.sos);
      if (!body.ok) return invalid(body.message);
      return json(res, 202, outbox.raise(body.value.note || undefined));
    }
    if (route(AGENT_ROUTES.sosCancel, req.method, url.pathname)) return json(res, 200, outbox.cancel());
    if (route(AGENT_ROUTES.cardAccess, req.method, url.pathname)) {
      const body = parseBody(cardAccessBody, await readBody(req), HINT.cardAccess);
      if (!body.ok) return invalid(body.message);
      const access = body.value;
      if (!card) return json(res, 409, { error: { code: 'no_reader', message: 'This station has no card reader' } });
      // The read runs in the background; the page follows card.state events.
      const accepted = card.flow.state().state === 'needs_access' || card.flow.state().state === 'refused';
      if (!accepted) return json(res, 409, { error: { code: 'no_card_waiting', message: 'No card is waiting for access data' } });
      void card.flow.submitAccess(access);
      return json(res, 202, { ok: true });
    }
    if (route(AGENT_ROUTES.measure, req.method, url.pathname)) {
      // the kiosk's "start measuring" button: devices that take a command start now
      const body = parseBody(measureBody, await readBody(req), HINT.measure);
      if (!body.ok) return invalid(body.message);
      return json(res, 202, { kind: body.value.kind, devices: vitals.measure(body.value.kind) });
    }
    if (route(AGENT_ROUTES.media, req.method, url.pathname)) {
      const body = parseBody(mediaReportBody, await readBody(req), HINT.media);
      if (!body.ok) return invalid(body.message);
      const changed = media.camera !== body.value.camera || media.microphone !== body.value.microphone;
      Object.assign(media, body.value);
      if (changed) void heartbeat?.beat();
      return json(res, 200, media);
    }
    if (route(AGENT_ROUTES.selfTest, req.method, url.pathname)) {
      const body = parseBody(selfTestKioskReport, await readBody(req), HINT.selfTest);
      if (!body.ok) return invalid(body.message);
      const r = await selfTest.report(body.value);
      return json(res, r.status, r.body ?? { error: { code: 'hub_unreachable', message: 'The hub cannot be reached right now' } });
    }
    if (route(AGENT_ROUTES.print, req.method, url.pathname)) {
      const body = parseBody(printReceiptBody, await readBody(req), HINT.print);
      if (!body.ok) return invalid(body.message);
      if (!print) return json(res, 409, { error: { code: 'no_printer', message: 'This station has no receipt printer' } });
      try {
        return json(res, 200, { printed: true, bytes: (await print(body.value)).bytes });
      } catch {
        return json(res, 503, { error: { code: 'printer_unavailable', message: 'The receipt printer did not take the job' } });
      }
    }
    if (route(AGENT_ROUTES.state, req.method, url.pathname)) return json(res, 200, agentState().data);
    if (url.pathname.startsWith('/api/')) {
      // The kiosk may only reach the hub routes its page uses (contracts: KIOSK_HUB_ROUTES).
      if (!isKioskHubRoute(req.method ?? '', url.pathname))
        return json(res, 404, { error: { code: 'not_found', message: 'Not available to the kiosk' } });
      // a public-service submission may carry a camera photo (the hub's own limit is 256 KiB)
      const max = url.pathname.startsWith('/api/services/') ? 256 * 1024 : undefined;
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req, max);
      try {
        const r = await fetch(cfg.hubUrl + url.pathname + url.search, {
          method: req.method,
          headers: {
            authorization: auth,
            'content-type': req.headers['content-type'] ?? 'application/json',
            // the page's retry key for an idempotent request (e.g. a consult) passes through
            ...(typeof req.headers['idempotency-key'] === 'string' ? { 'idempotency-key': req.headers['idempotency-key'] } : {}),
          },
          body: body?.toString('utf8'),
          signal: AbortSignal.timeout(10_000),
        });
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
        return res.end(Buffer.from(await r.arrayBuffer()));
      } catch {
        return json(res, 503, { error: { code: 'hub_unreachable', message: 'The hub cannot be reached right now' } });
      }
    }
    if (req.method !== 'GET') return json(res, 405, { error: { code: 'method_not_allowed', message: 'Method not allowed' } });
    return serveFile(cfg.uiDir, url.pathname, res, (html) => door.injectInto(html));
  }

  const wss = new WebSocketServer({
    server,
    path: AGENT_ROUTES.socket.path,
    maxPayload: 1024,
    // Browsers always send Origin on a WebSocket; the key comes as a query parameter.
    verifyClient: ({ req }, done) => {
      const r = door.host(req) ?? door.caller(req, door.keyFromQuery(req));
      if (r) done(false, r.status, r.message);
      else done(true);
    },
  });
  wss.on('connection', (ws) => {
    pages.add(ws);
    ws.on('close', () => pages.delete(ws));
    const hello: AgentEvent[] = [agentState(), ...vitals.devices.statuses().map((data): AgentEvent => ({ type: 'vitals.device', data }))];
    for (const e of hello) ws.send(JSON.stringify(e));
  });

  try {
    await new Promise<void>((r, j) => {
      server.once('error', j);
      server.listen(cfg.port, cfg.host, r);
    });
  } catch (e) {
    outbox.stop();
    upstream.stop();
    await vitals.stop();
    await card?.stop();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const scheme = tls ? 'https' : 'http';
  door.listenOn(port, [...new Set(['127.0.0.1', 'localhost', '::1', cfg.host, ...(cfg.hostNames ?? [])])], scheme);
  return {
    url: `${scheme}://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`,
    key: door.key,
    outbox,
    vitals,
    card,
    async stop() {
      heartbeat?.stop();
      outbox.stop();
      upstream.stop();
      await vitals.stop();
      await card?.stop();
      for (const ws of pages) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
