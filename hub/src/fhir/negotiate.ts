// HTTP-level FHIR conformance: this server speaks JSON only, so a request for XML is refused with
// 406 (Accept or _format) or 415 (an XML body) instead of being answered in JSON with 200; and
// an interaction a type does not support is 405 with an Allow header, not 404.
import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import type { HubEnv } from '../http/env.ts';
import { fhirError } from './outcome.ts';

/** Whether an Accept header excludes every JSON form (XML or another type only). */
export function refusesJson(accept: string | undefined): boolean {
  if (!accept?.trim()) return false;
  return !accept
    .split(',')
    .map((p) => p.split(';')[0]!.trim().toLowerCase())
    .some((t) => t === '*/*' || t === 'application/*' || t.includes('json'));
}

export const jsonOnly = createMiddleware<HubEnv>(async (c, next) => {
  const formats = c.req.queries('_format') ?? [];
  if (formats.some((f) => !/json/i.test(f)) || refusesJson(c.req.header('accept')))
    return fhirError(c, 406, 'not-supported', 'This server answers in JSON only (application/fhir+json)');
  const type = c.req.header('content-type');
  if (['POST', 'PUT', 'PATCH'].includes(c.req.method) && type && !/json/i.test(type))
    return fhirError(c, 415, 'not-supported', `Request bodies must be JSON (application/fhir+json), not ${type.split(';')[0]}`);
  await next();
});

/** What each served type allows, for 405 answers (the CapabilityStatement says the same). */
const ALLOW: Record<string, string> = {
  Patient: 'GET',
  Observation: 'GET, PUT',
  Encounter: 'GET',
  Device: 'GET',
  ClinicalImpression: 'GET',
  Subscription: 'GET, POST, DELETE',
};

/** 405 when the path is a served type with a method it does not support; null otherwise. */
export function methodNotAllowed(c: Context): Response | null {
  const type = /^\/fhir\/([A-Za-z]+)(?:\/|$)/.exec(c.req.path)?.[1];
  const allow = type ? ALLOW[type] : undefined;
  if (!allow) return null;
  c.header('allow', allow);
  return fhirError(c, 405, 'not-supported', `${c.req.method} is not supported on ${type} (allowed: ${allow})`);
}
