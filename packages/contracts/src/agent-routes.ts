// The station agent's local HTTP routes and its per-boot key for the kiosk page. Kept apart from the body schemas (in
// agent-api.ts) so the page can use the routes without bundling zod.
export const AGENT_ROUTES = {
  sos: { method: 'POST', path: '/agent/sos' },
  /** Drop an SOS the hub has not acknowledged yet (the kiosk's cancel on the retrying screen). */
  sosCancel: { method: 'POST', path: '/agent/sos/cancel' },
  cardAccess: { method: 'POST', path: '/agent/card/access' },
  measure: { method: 'POST', path: '/agent/vitals/measure' },
  state: { method: 'GET', path: '/agent/state' },
  /** The page says whether it has a camera and a microphone (for the fleet heartbeat). */
  media: { method: 'POST', path: '/agent/media' },
  /** The page's result of a self-test's media check (what it sent, whether it heard the hub's tone). */
  selfTest: { method: 'POST', path: '/agent/self-test' },
  socket: { method: 'GET', path: '/agent/ws' },
  /** Print a receipt on the booth's thermal printer (services-print.ts). */
  print: { method: 'POST', path: '/agent/print' },
} as const;

/**
 * The agent's per-boot key: it is written only into the kiosk page it serves (a meta tag), and the
 * page sends it back on every /agent/* and relayed /api/* call (a header) and on the socket (a query
 * parameter). Another page in the kiosk's browser cannot read it, so it cannot command the agent.
 */
export const AGENT_KEY = { header: 'x-tram-agent-key', meta: 'tram-agent-key', query: 'key' } as const;
