// One reconnecting WebSocket for every page: the consoles' hub socket, the clinician's FHIR
// subscription socket and the kiosk's agent socket. Free of Solid, so the kiosk's first screen
// pays only for this file.

export interface SocketLoopOptions {
  /** The address, asked afresh before every attempt (it may fetch a token); a throw is a failed attempt. */
  address(): string | Promise<string>;
  /** After each (re)connect: send a bind message, refetch what was missed while down. */
  onOpen?(ws: WebSocket): void;
  onMessage(data: string): void;
  /** The socket closed (not by `stop`); another attempt follows unless the loop gives up. */
  onClose?(): void;
  /** Wait between attempts (default 1 s). */
  retryMs?: number;
  /** Give up after this many failed attempts in a row, then call `onGiveUp` (default: never). */
  maxFailures?: number;
  onGiveUp?(): void;
  /**
   * When an attempt counts as a success, resetting the failure count: when the socket opens
   * (default), or only when the caller says so with `confirmed()` (e.g. after a handshake).
   */
  success?: 'open' | 'confirmed';
  /** The WebSocket class (default: the global one; tests in Node pass the `ws` package's). */
  WebSocket?: new (
    url: string,
  ) => WebSocket;
}

export interface SocketLoop {
  stop(): void;
  /** This connection is good (with `success: 'confirmed'`). */
  confirmed(): void;
}

export function socketLoop(o: SocketLoopOptions): SocketLoop {
  const Ws = o.WebSocket ?? globalThis.WebSocket;
  let stopped = false,
    ws: WebSocket | undefined,
    timer: ReturnType<typeof setTimeout> | undefined,
    failures = 0;

  const failed = () => {
    if (stopped) return;
    if (o.maxFailures !== undefined && ++failures >= o.maxFailures) {
      stopped = true;
      o.onGiveUp?.();
      return;
    }
    timer = setTimeout(() => void attempt(), o.retryMs ?? 1000);
  };
  const attempt = async () => {
    let url: string;
    try {
      url = await o.address();
    } catch {
      return failed();
    }
    if (stopped) return;
    const sock = new Ws(url);
    ws = sock;
    sock.onopen = () => {
      if (o.success !== 'confirmed') failures = 0;
      o.onOpen?.(sock);
    };
    sock.onerror = () => {}; // the close that always follows is what counts
    sock.onmessage = (m) => {
      if (ws === sock) o.onMessage(String(m.data));
    };
    sock.onclose = () => {
      if (ws !== sock || stopped) return;
      ws = undefined;
      o.onClose?.();
      failed();
    };
  };
  void attempt();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      const s = ws;
      ws = undefined;
      s?.close();
    },
    confirmed() {
      failures = 0;
    },
  };
}

/** A socket address on the page's own origin (the hub or the agent, behind any proxy). */
export const sameOrigin = (path: string) => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;

/** An event frame ({type, data}) from our own servers, or null for anything else. */
export function eventOf<E extends { type: string }>(data: string): E | null {
  try {
    const e = JSON.parse(data) as unknown;
    return typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string' ? (e as E) : null;
  } catch {
    return null;
  }
}
