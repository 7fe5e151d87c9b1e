// WebSocket endpoint: police consoles (session cookie) and station agents (station credential)
// subscribe to topics; bus events from any hub instance are fanned out to the matching sockets.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HubDeps } from '../deps.ts';
import { authorizeSocket } from './authorize.ts';
import type { HubEvent, Topic } from '@tram/contracts';
import { isInternal, type BusEvent } from '../db/bus.ts';
import { staffBySession } from '../auth/service.ts';
import { FHIR_WS_PATH } from '../fhir/subscriptions/ws.ts';
import { onRevoked, RESYNC_CLOSE, revokes, SESSION_ENDED_CLOSE } from './revocation.ts';
import { createUpgradeGuard, refuseUpgrade, type UpgradeGuard } from './upgrade-limit.ts';
import { markStationOffline, markStationOnline } from '../stations/store.ts';

export interface SocketPrincipal {
  label: string;
  /** `station` or the staff role: counted in the metrics (tram_ws_connections). */
  role: string;
  /** A police console's wards: a ward with none online is an alert (tram_police_consoles_online). */
  wardIds?: number[];
  topics: Topic[];
  /** A staff socket: the session it rides on, re-checked while it is open. */
  staff?: { staffId: string; session: string; token: string };
  /** A station agent's socket: the station shows "online since" its connection on the caller card. */
  stationId?: string;
}

export interface Realtime {
  connections(): number;
  close(): Promise<void>;
}

export function attachRealtime(server: Server, d: HubDeps, guard: UpgradeGuard = createUpgradeGuard(d.config.socketLimit)): Realtime {
  const { bus, log } = d;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const byTopic = new Map<Topic, Set<WebSocket>>();
  const alive = new WeakSet<WebSocket>();

  const unsubscribe = bus.subscribe((e: BusEvent) => {
    if (e.type === 'bus.resumed') {
      // Events published while this hub could not hear them (a ringing call!) never reached its
      // sockets: every client reconnects and refetches, as it does after any reconnect.
      for (const ws of wss.clients) ws.close(RESYNC_CLOSE, 'events may have been missed');
      return;
    }
    if (isInternal(e)) return;
    const targets = new Set<WebSocket>();
    for (const t of e.topics) for (const ws of byTopic.get(t) ?? []) targets.add(ws);
    if (targets.size === 0) return;
    const frame = JSON.stringify({ type: e.type, data: e.data } as HubEvent);
    for (const ws of targets) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  const staffSockets = new Map<WebSocket, NonNullable<SocketPrincipal['staff']>>();
  const endSession = (ws: WebSocket) => {
    staffSockets.delete(ws);
    ws.close(SESSION_ENDED_CLOSE, 'session ended');
  };
  const stationSockets = new Map<WebSocket, string>();
  const stopRevocations = onRevoked(bus, (r) => {
    if ('stationId' in r) {
      for (const [ws, stationId] of stationSockets) if (stationId === r.stationId) ws.close(SESSION_ENDED_CLOSE, 'station retired');
      return;
    }
    for (const [ws, who] of staffSockets) if (revokes(r, who)) endSession(ws);
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/ws') {
      // Another endpoint's path is theirs to answer; anything else must not hang.
      if (path !== FHIR_WS_PATH) refuseUpgrade(socket, 404, 'not_found', 'No such endpoint');
      return;
    }
    // Before any database work: a caller reconnecting in a loop is turned away from memory.
    const wait = guard.admit(req);
    if (wait) {
      refuseUpgrade(socket, 429, 'rate_limited', `Too many connection attempts; retry in ${wait} s`, wait);
      return;
    }
    authorizeSocket(d, req)
      .then((who) => {
        if (!who) {
          refuseUpgrade(socket, 401, 'unauthorized', 'Log in or present a station credential');
          return;
        }
        const holder = `ws:${who.staff ? `staff:${who.staff.staffId}` : who.label}`;
        if (!guard.hold(holder)) {
          refuseUpgrade(socket, 429, 'too_many_sockets', 'This credential has too many sockets open already', 1);
          return;
        }
        // The connection's end releases it, whether the handshake fails or the socket closes later.
        socket.once('close', () => guard.release(holder));
        wss.handleUpgrade(req, socket, head, (ws) => {
          alive.add(ws);
          for (const t of who.topics) {
            let set = byTopic.get(t);
            if (!set) {
              set = new Set();
              byTopic.set(t, set);
            }
            set.add(ws);
          }
          ws.on('pong', () => alive.add(ws));
          // Clients only listen; anything they send is ignored.
          ws.on('message', () => {});
          if (who.staff) staffSockets.set(ws, who.staff);
          if (who.stationId) stationSockets.set(ws, who.stationId);
          d.metrics.sockets.inc({ role: who.role });
          for (const w of who.wardIds ?? []) d.metrics.policeConsoles.inc({ ward: String(w) });
          const online = who.stationId ? markStationOnline(d.sql, who.stationId).catch(() => null) : null;
          ws.on('close', () => {
            d.metrics.sockets.dec({ role: who.role });
            for (const w of who.wardIds ?? []) d.metrics.policeConsoles.dec({ ward: String(w) });
            if (who.stationId) void online?.then((since) => since && markStationOffline(d.sql, who.stationId!, since).catch(() => {}));
            staffSockets.delete(ws);
            stationSockets.delete(ws);
            for (const t of who.topics) byTopic.get(t)?.delete(ws);
          });
          ws.send(JSON.stringify({ type: 'hello', data: { as: who.label } } satisfies HubEvent));
        });
      })
      .catch((err) => {
        log.error({ err }, 'websocket auth failed');
        socket.destroy();
      });
  };
  server.on('upgrade', onUpgrade);

  // Besides the revocation events, every heartbeat re-checks each staff socket's session (expiry,
  // idle timeout, anything the events missed). An open console counts as in use.
  const recheck = async () => {
    for (const [ws, who] of staffSockets) {
      const still = await staffBySession(d.sql, who.token).catch(() => undefined);
      if (still === null || (still && still.id !== who.staffId)) endSession(ws);
    }
  };
  const heartbeat = setInterval(() => {
    recheck().catch((err) => log.warn({ err }, 'socket session re-check failed'));
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, 20_000);
  heartbeat.unref();

  return {
    connections: () => wss.clients.size,
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      stopRevocations();
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
