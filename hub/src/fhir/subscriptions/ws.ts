// The Subscriptions websocket channel at /fhir/ws (Backport IG for R4). A client binds with a token
// from $get-ws-binding-token, as plain text (`bind-with-token <token>` or `bind-with-token: <token>`,
// both shapes appear in the IG) or as Medplum's JSON frame ({"type":"bind-with-token","payload":{"token"}}).
// The server then sends a handshake, heartbeats every heartbeat period, and an event-notification
// Bundle per committed ingest batch. Events are numbered in PostgreSQL, so any hub instance delivers
// them and a client that lost its socket fills the gap with $events.
// A socket rides on the staff session its tokens were issued to: when that session ends (logout,
// password reset, deactivation, idle expiry) the socket closes, as /ws sockets do.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HubDeps } from '../../deps.ts';
import { issue, outcomeOf } from '../outcome.ts';
import { notificationBundle } from './notify.ts';
import { auditDelivery, subscriptionForToken, subscriptionInCare } from './service.ts';
import { eventsBetween, sessionCurrent, subscriptionById, type SubscriptionRow } from './store.ts';
import { onRevoked, revokes, SESSION_ENDED_CLOSE } from '../../realtime/revocation.ts';
import { createUpgradeGuard, refuseUpgrade, type UpgradeGuard } from '../../realtime/upgrade-limit.ts';

export const FHIR_WS_PATH = '/fhir/ws';
const BIND_WITHIN_MS = 30_000;
const MAX_BINDINGS = 20;
const RECHECK_MS = 20_000;
/** Close code: this clinician holds too many /fhir/ws sockets already. */
export const TOO_MANY_SOCKETS_CLOSE = 4429;

interface Binding {
  ws: WebSocket;
  subId: string;
  username: string;
  heartbeat: NodeJS.Timeout;
  lastEvent: string;
  sub: SubscriptionRow;
}

export interface FhirSockets {
  close(): Promise<void>;
  connections(): number;
}

function parseFrame(text: string): { type: 'bind' | 'unbind'; token: string } | { type: 'ping' } | null {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      const m = JSON.parse(t) as { type?: string; payload?: { token?: unknown } };
      if (m.type === 'ping') return { type: 'ping' };
      const token = typeof m.payload?.token === 'string' ? m.payload.token : undefined;
      if (m.type === 'bind-with-token' && token) return { type: 'bind', token };
      if (m.type === 'unbind-from-token' && token) return { type: 'unbind', token };
    } catch {
      /* fall through: not a frame we know */
    }
    return null;
  }
  const m = /^(bind-with-token|unbind-from-token):?\s+([A-Za-z0-9_-]{16,128})$/.exec(t);
  if (m) return { type: m[1] === 'bind-with-token' ? 'bind' : 'unbind', token: m[2]! };
  return t === 'ping' ? { type: 'ping' } : null;
}

export function attachFhirSockets(server: Server, d: HubDeps, guard: UpgradeGuard = createUpgradeGuard(d.config.socketLimit)): FhirSockets {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8192 });
  /** Who each bound socket rides on: the staff member and the session digest of its first token. */
  const owners = new Map<WebSocket, { staffId: string; session: string }>();
  // Its 'close' handler forgets the owner and releases its place.
  const endSession = (ws: WebSocket) => ws.close(SESSION_ENDED_CLOSE, 'session ended');
  const stopRevocations = onRevoked(d.bus, (r) => {
    for (const [ws, who] of owners) if (revokes(r, who)) endSession(ws);
  });
  // Idle expiry publishes nothing: each socket's session is re-checked (and kept alive by it).
  const recheck = setInterval(() => {
    void (async () => {
      for (const [ws, who] of owners) if ((await sessionCurrent(d.sql, who.session).catch(() => true)) === false) endSession(ws);
    })();
  }, RECHECK_MS);
  recheck.unref();
  const bySub = new Map<string, Set<Binding>>();
  const chains = new Map<string, Promise<void>>();
  const send = (ws: WebSocket, body: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(body));
  };

  async function deliver(subId: string, first: bigint, last: bigint) {
    const targets = bySub.get(subId);
    if (!targets?.size) return;
    const sub = await subscriptionById(d.sql, subId);
    if (sub?.status !== 'active') return;
    // Both at once (one round trip less per notification); the events are dropped unread unless in care.
    const [basis, events] = await Promise.all([subscriptionInCare(d, sub.owner_staff_id, sub), eventsBetween(d.sql, subId, first, last)]);
    if (!basis) return;
    const frame = JSON.stringify(notificationBundle(sub, 'event-notification', events, last.toString()));
    const users = new Set<string>();
    for (const b of targets) {
      if (b.ws.readyState !== b.ws.OPEN) continue;
      b.ws.send(frame);
      b.lastEvent = last.toString();
      users.add(b.username);
    }
    await auditDelivery(d, sub, users, first, last, basis);
  }

  // Deliveries of one subscription stay in event order even though each needs a query.
  const unsubscribe = d.bus.subscribe((e) => {
    if (e.type !== 'fhir.subscription.events') return;
    const { subscriptionId, first, last } = e.data;
    if (!bySub.get(subscriptionId)?.size) return;
    const next = (chains.get(subscriptionId) ?? Promise.resolve())
      .then(() => deliver(subscriptionId, BigInt(first), BigInt(last)))
      .catch((err) => d.log.error({ err, subscriptionId }, 'subscription delivery failed'));
    chains.set(subscriptionId, next);
    void next.finally(() => {
      if (chains.get(subscriptionId) === next) chains.delete(subscriptionId);
    });
  });

  const unbind = (b: Binding) => {
    clearInterval(b.heartbeat);
    bySub.get(b.subId)?.delete(b);
    if (bySub.get(b.subId)?.size === 0) bySub.delete(b.subId);
  };

  function onConnection(ws: WebSocket) {
    const mine = new Set<Binding>();
    const unboundTimer = setTimeout(() => {
      if (mine.size === 0) ws.close(4408, 'bind-with-token expected');
    }, BIND_WITHIN_MS);
    ws.on('message', async (data) => {
      const f = parseFrame(data.toString());
      if (!f) {
        send(
          ws,
          outcomeOf([
            issue(
              'invalid',
              'Unknown frame: send bind-with-token <token>, {"type":"bind-with-token","payload":{"token":"…"}}, unbind-from-token or ping',
            ),
          ]),
        );
        return;
      }
      if (f.type === 'ping') {
        send(ws, { type: 'pong' });
        return;
      }
      try {
        const found = await subscriptionForToken(d.sql, f.token);
        if (f.type === 'unbind') {
          for (const b of [...mine])
            if (b.subId === found?.sub.id) {
              unbind(b);
              mine.delete(b);
            }
          return;
        }
        if (!found) {
          send(ws, outcomeOf([issue('security', 'The token is unknown, expired, or its subscription is not active')]));
          ws.close(4401, 'bad token');
          return;
        }
        if (mine.size >= MAX_BINDINGS) {
          send(ws, outcomeOf([issue('too-costly', `At most ${MAX_BINDINGS} subscriptions per socket`)]));
          return;
        }
        const { sub, username } = found;
        const owner = owners.get(ws);
        if (!owner) {
          if (!guard.hold(`fhir:staff:${found.staffId}`)) {
            send(ws, outcomeOf([issue('too-costly', 'Too many subscription sockets open for this account')]));
            ws.close(TOO_MANY_SOCKETS_CLOSE, 'too many sockets');
            return;
          }
          owners.set(ws, { staffId: found.staffId, session: found.session });
        } else if (owner.session !== found.session) {
          // One socket, one session: its end must close the socket for everything bound on it.
          send(ws, outcomeOf([issue('security', 'This token belongs to another session than the socket is bound with')]));
          return;
        }
        const b: Binding = {
          ws,
          subId: sub.id,
          username,
          sub,
          lastEvent: sub.events_since_start,
          heartbeat: setInterval(() => send(ws, notificationBundle(b.sub, 'heartbeat', [], b.lastEvent)), sub.heartbeat_s * 1000),
        };
        mine.add(b);
        let set = bySub.get(sub.id);
        if (!set) {
          set = new Set();
          bySub.set(sub.id, set);
        }
        set.add(b);
        send(ws, notificationBundle(sub, 'handshake', [], sub.events_since_start));
      } catch (err) {
        d.log.error({ err }, 'fhir websocket bind failed');
        send(ws, outcomeOf([issue('exception', 'Internal error')]));
      }
    });
    ws.on('close', () => {
      clearTimeout(unboundTimer);
      const owner = owners.get(ws);
      if (owner) guard.release(`fhir:staff:${owner.staffId}`);
      owners.delete(ws);
      for (const b of mine) unbind(b);
      mine.clear();
    });
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== FHIR_WS_PATH) return; // other paths belong to others
    const wait = guard.admit(req);
    if (wait) {
      refuseUpgrade(socket, 429, 'rate_limited', `Too many connection attempts; retry in ${wait} s`, wait);
      return;
    }
    wss.handleUpgrade(req, socket, head, onConnection);
  };
  server.on('upgrade', onUpgrade);

  return {
    connections: () => wss.clients.size,
    async close() {
      unsubscribe();
      stopRevocations();
      clearInterval(recheck);
      server.off('upgrade', onUpgrade);
      for (const set of bySub.values()) for (const b of set) clearInterval(b.heartbeat);
      bySub.clear();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
