// The station agent's local HTTP API for the kiosk page (on 127.0.0.1), and the hub routes the
// agent relays for the page (adding the station credential). Anything else under /api/ is refused.
import { z } from 'zod';
import { BOOTH_KINDS } from './vitals.ts';
import type { AgentEvent, EventOf, SosState } from './events.ts';

export { AGENT_KEY, AGENT_ROUTES } from './agent-routes.ts';

export const sosBody = z.strictObject({ note: z.string().trim().max(500).optional() });
export const cardAccessBody = z.union([
  z.strictObject({ can: z.string().regex(/^\d{6}$/, 'the CAN is 6 digits') }),
  z.strictObject({
    idNumber: z.string().regex(/^\d{12}$/, 'the ID number is 12 digits'),
    dateOfBirth: z.string().regex(/^\d{6}$/, 'YYMMDD'),
    dateOfExpiry: z.string().regex(/^\d{6}$/, 'YYMMDD'),
  }),
]);
export const measureBody = z.strictObject({ kind: z.enum(BOOTH_KINDS) });
export type SosBody = z.input<typeof sosBody>;
export type CardAccessBody = z.input<typeof cardAccessBody>;
export type MeasureBody = z.input<typeof measureBody>;

/** What the agent answers on the routes whose answer the page reads (a refusal is an `ErrorBody`). */
export interface AgentAnswers {
  /** The SOS outbox after the press. */
  sos: SosState;
  /** The SOS outbox after a cancel (idle unless the hub had already acknowledged). */
  sosCancel: SosState;
  /** The same as the `agent.state` event. */
  state: EventOf<AgentEvent, 'agent.state'>['data'];
}

/**
 * Hub routes the page may reach through the agent: `:id` stands for a UUID. Exactly what the kiosk
 * page calls (station-ui/src/state/*.ts); the SOS call itself and its first media grant come from
 * the agent's outbox. Add a route here when the page needs it.
 */
export const KIOSK_HUB_ROUTES = [
  { method: 'POST', path: '/api/calls/:id/end' },
  /** a fresh grant for the SOS call when the kiosk's room connection dropped (its LiveKit node died) */
  { method: 'POST', path: '/api/calls/:id/media' },
  { method: 'POST', path: '/api/calls/:id/pickup' },
  { method: 'POST', path: '/api/calls/:id/decline' },
  { method: 'POST', path: '/api/calls/:id/silent' },
  { method: 'GET', path: '/api/calls/:id/chat' },
  { method: 'POST', path: '/api/calls/:id/chat' },
  { method: 'GET', path: '/api/consults/availability' },
  { method: 'GET', path: '/api/consults/current' },
  { method: 'POST', path: '/api/consults' },
  { method: 'POST', path: '/api/consults/:id/cancel' },
  { method: 'POST', path: '/api/consults/:id/media' },
  { method: 'GET', path: '/api/audit/mine' },
  { method: 'GET', path: '/api/services/prefill' },
  { method: 'GET', path: '/api/services/mine' },
  { method: 'POST', path: '/api/services/status' },
  { method: 'POST', path: '/api/services/submissions' },
  { method: 'POST', path: '/api/services/submissions/:id/resubmit' },
  { method: 'GET', path: '/api/payments/fees' },
  { method: 'POST', path: '/api/payments/bills/lookup' },
  { method: 'POST', path: '/api/payments' },
  { method: 'GET', path: '/api/payments/:id' },
  { method: 'POST', path: '/api/station/sos-cancelled' },
] as const;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const compiled = KIOSK_HUB_ROUTES.map((r) => ({ method: r.method as string, re: new RegExp(`^${r.path.replace(/:id/g, UUID)}$`) }));

/** Whether the agent relays this request from the page to the hub. */
export function isKioskHubRoute(method: string, path: string): boolean {
  return compiled.some((r) => r.method === method && r.re.test(path));
}
