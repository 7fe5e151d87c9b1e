// The kiosk's typed client for the hub. The page calls the station agent (same origin), which
// relays the station's own hub routes with the station credential; the types are the hub's own
// AppType (a type import only: no hub code reaches the page).
import { hc } from 'hono/client';
import type { AppType } from '@tram/hub';
import { agentHeaders } from './agent.ts';

// The agent relays only calls that carry its key (see clients/agent.ts) and, for commands, JSON
// (even a body-less POST says so: the agent refuses other content types).
export const hub = hc<AppType>('/', { headers: () => ({ ...agentHeaders(), 'content-type': 'application/json' }) });
export { errorOf } from '@tram/console-ui/errors';
