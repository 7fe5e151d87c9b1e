// Who may use the FHIR API: clinicians (session cookie). The shared staff gate answers in the hub's
// JSON error shape; FHIR clients expect an OperationOutcome, so its refusals are re-shaped here.
import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { requireStaff } from '../auth/middleware.ts';
import { fhirError } from './outcome.ts';

export function clinicianOnly(d: HubDeps) {
  const gate = requireStaff(d, ['clinician']);
  return createMiddleware<HubEnv>(async (c, next) => {
    let passed = false;
    const res = await gate(c, async () => {
      passed = true;
      await next();
    });
    if (passed || !res) return;
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    const status = res.status as ContentfulStatusCode;
    return fhirError(c, status, status === 401 ? 'login' : 'forbidden', body?.error?.message ?? 'Not allowed');
  });
}
