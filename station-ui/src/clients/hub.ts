// The kiosk's typed client for the hub. The page calls the station agent (same origin), which
// relays the station's own hub routes with the station credential; the types are the hub's own
// AppType (a type import only: no hub code reaches the page).
import { hc } from 'hono/client';
import type { AppType } from '@tram/hub';

export const hub = hc<AppType>('/');
export { errorOf } from '@tram/console-ui/errors';
