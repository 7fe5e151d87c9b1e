// Who may use the FHIR API: clinicians (session cookie); the officer who owns an escalated call and
// its 115 medics only its Subscription surface (live vitals of that call's patient, access.ts decides
// whose). The shared staff gate answers in the hub's JSON error shape; FHIR clients expect an
// OperationOutcome, so its refusals are re-shaped here.
import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { requireStaff } from '../auth/middleware.ts';
import { fhirError } from './outcome.ts';

/** Roles that may follow the vitals of an escalated call's patient (and nothing else of FHIR). */
export const CALL_HEALTH_ROLES = ['police', 'command', 'medic'] as const;

export function clinicianOnly(d: HubDeps) {
  const gate = requireStaff(d, ['clinician', ...CALL_HEALTH_ROLES]);
  return createMiddleware<HubEnv>(async (c, next) => {
    let passed = false,
      outside = false;
    const res = await gate(c, async () => {
      outside = c.get('staff').role !== 'clinician' && !new URL(c.req.url).pathname.startsWith('/fhir/Subscription');
      if (outside) return;
      passed = true;
      await next();
    });
    if (outside) return fhirError(c, 403, 'forbidden', 'Your role may only follow the vitals of a call you own');
    if (passed || !res) return;
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    const status = res.status as ContentfulStatusCode;
    return fhirError(c, status, status === 401 ? 'login' : 'forbidden', body?.error?.message ?? 'Not allowed');
  });
}
