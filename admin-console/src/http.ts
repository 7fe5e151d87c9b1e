// JSON calls to the hub's admin API (same origin: the session cookie rides along).
import { errorOf } from '@tram/console-ui/errors';

export async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  const r = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!r.ok) return { ok: false, message: (await errorOf(r, `HTTP ${r.status}`)).message };
  return { ok: true, value: (await r.json()) as T };
}
