// The consoles' typed client for the hub (same origin, the staff session cookie rides along):
// types come from the hub's AppType, imported as a type only.
import { hc } from 'hono/client';
import type { AppType } from '@tram/hub';
import type { ErrorBody } from '@tram/contracts';

export const api = hc<AppType>('/');

/** The code and message of a hub error body, or a fallback when the body is not one. */
export async function errorOf(r: Response, fallback: string): Promise<{ code: string; message: string }> {
  const b = (await r.json().catch(() => null)) as Partial<ErrorBody> | null;
  return { code: b?.error?.code ?? String(r.status), message: b?.error?.message ?? fallback };
}
