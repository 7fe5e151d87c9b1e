// Typed client for the hub (same origin): types come from the hub's AppType.
import { hc } from 'hono/client';
import type { AppType } from '@tram/hub';

export const api = hc<AppType>('/');
