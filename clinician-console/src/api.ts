// Typed client for the hub (same origin): types come from the hub's AppType.
import { hc } from 'hono/client';
import type { AppType } from '@tram/hub';

export const api = hc<AppType>('/');

/** The message of a hub error body ({"error":{"code","message"}}), or a fallback. */
export async function errorOf(r: Response, fallback: string): Promise<{ code: string; message: string }> {
  const b = (await r.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  return { code: b?.error?.code ?? String(r.status), message: b?.error?.message ?? fallback };
}
