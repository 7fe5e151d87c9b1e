// The consoles' typed client for the hub (same origin, the staff session cookie rides along):
// types come from the hub's AppType, imported as a type only.
import { hc } from 'hono/client';
import type { AppType } from '@tram/hub';

export const api = hc<AppType>('/');
export { errorOf } from './errors.ts';
