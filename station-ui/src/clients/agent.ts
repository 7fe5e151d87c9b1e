// The kiosk's typed client for the station agent's local API: the routes and bodies are the
// contracts' (AGENT_ROUTES, agent-api.ts), so the page and the agent cannot drift apart.
import {
  AGENT_KEY,
  AGENT_ROUTES,
  type AgentAnswers,
  type CardAccessBody,
  type MeasureBody,
  type SelfTestKioskReport,
  type SosBody,
} from '@tram/contracts';

/** The agent's per-boot key, which it writes into the page it serves (none outside a browser). */
export function pageAgentKey(): string {
  if (typeof document === 'undefined') return '';
  return document.querySelector<HTMLMetaElement>(`meta[name="${AGENT_KEY.meta}"]`)?.content ?? '';
}

/** Headers every call to the agent (and through it to the hub) carries. */
export const agentHeaders = (key = pageAgentKey()): Record<string, string> => ({ [AGENT_KEY.header]: key });

/** The agent socket's address on this page's origin, with the key (browsers cannot set socket headers). */
export const agentSocketPath = (key = pageAgentKey()) => `${AGENT_ROUTES.socket.path}?${AGENT_KEY.query}=${encodeURIComponent(key)}`;

type Route = (typeof AGENT_ROUTES)[keyof typeof AGENT_ROUTES];

/** `base`: the agent's origin; the page uses its own ('' = same origin). `key`: the agent's key. */
export function agentClient(base = '', key = pageAgentKey()) {
  /** The agent's answer: its JSON body when it accepted, or null when it refused. A network failure throws. */
  async function send<A>(route: Route, body?: unknown): Promise<A | null> {
    const r = await fetch(base + route.path, {
      method: route.method,
      headers: { ...agentHeaders(key), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return r.ok ? ((await r.json()) as A) : null;
  }
  return {
    /** Raise an SOS: the agent's outbox sends it to the hub until the hub has it. */
    sos: (body: SosBody = {}) => send<AgentAnswers['sos']>(AGENT_ROUTES.sos, body),
    /** Drop an SOS the hub has not acknowledged yet (the retrying screen's cancel). */
    sosCancel: () => send<AgentAnswers['sosCancel']>(AGENT_ROUTES.sosCancel, {}),
    /** The access data for the card on the reader; the read's outcome comes as card.state events. */
    cardAccess: (body: CardAccessBody) => send<unknown>(AGENT_ROUTES.cardAccess, body),
    /** The kiosk's "start measuring": devices of this kind that take a command start now. */
    measure: (body: MeasureBody) => send<unknown>(AGENT_ROUTES.measure, body),
    state: () => send<AgentAnswers['state']>(AGENT_ROUTES.state),
    /** Whether this kiosk has a camera and a microphone (the agent puts it in its heartbeat). */
    media: (body: { camera: 'available' | 'missing' | 'unknown'; microphone: 'available' | 'missing' | 'unknown' }) =>
      send<unknown>(AGENT_ROUTES.media, body),
    /** The page's result of a self-test media check, relayed to the hub. */
    selfTest: (body: SelfTestKioskReport) => send<unknown>(AGENT_ROUTES.selfTest, body),
  };
}

export const agent = agentClient();
