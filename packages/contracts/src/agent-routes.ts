// The station agent's local HTTP routes for the kiosk page. Kept apart from the body schemas (in
// agent-api.ts) so the page can use the routes without bundling zod.
export const AGENT_ROUTES = {
  sos: { method: 'POST', path: '/agent/sos' },
  cardAccess: { method: 'POST', path: '/agent/card/access' },
  measure: { method: 'POST', path: '/agent/vitals/measure' },
  state: { method: 'GET', path: '/agent/state' },
  /** The page says whether it has a camera and a microphone (for the fleet heartbeat). */
  media: { method: 'POST', path: '/agent/media' },
  socket: { method: 'GET', path: '/agent/ws' },
} as const;
