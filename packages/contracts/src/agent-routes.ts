// The station agent's local HTTP routes for the kiosk page. Kept apart from the body schemas (in
// agent-api.ts) so the page can use the routes without bundling zod.
export const AGENT_ROUTES = {
  sos: { method: 'POST', path: '/agent/sos' },
  /** Drop an SOS the hub has not acknowledged yet (the kiosk's cancel on the retrying screen). */
  sosCancel: { method: 'POST', path: '/agent/sos/cancel' },
  cardAccess: { method: 'POST', path: '/agent/card/access' },
  measure: { method: 'POST', path: '/agent/vitals/measure' },
  state: { method: 'GET', path: '/agent/state' },
  socket: { method: 'GET', path: '/agent/ws' },
} as const;
