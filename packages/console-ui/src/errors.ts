// The error body every refusal carries (hub and station agent), read defensively: a proxy or a
// crash may answer with something else.
import type { ErrorBody } from '@tram/contracts';

/** The code and message of an error answer, or a fallback when the body is not one. */
export async function errorOf(r: Response, fallback: string): Promise<{ code: string; message: string }> {
  const b = (await r.json().catch(() => null)) as Partial<ErrorBody> | null;
  return { code: b?.error?.code ?? String(r.status), message: b?.error?.message ?? fallback };
}
