// FHIR responses: `application/fhir+json` bodies and OperationOutcome errors with the right status.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Failure } from '../http/outcome.ts';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export interface OutcomeIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: string;
  details?: { text: string };
  diagnostics?: string;
  expression?: string[];
}
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OutcomeIssue[];
}

export const issue = (code: string, text: string, expression?: string): OutcomeIssue => ({
  severity: 'error',
  code,
  details: { text },
  ...(expression ? { expression: [expression] } : {}),
});

export const outcomeOf = (issues: OutcomeIssue[]): OperationOutcome => ({ resourceType: 'OperationOutcome', issue: issues });

export function fhirJson(c: Context, body: unknown, status: ContentfulStatusCode = 200): Response {
  return c.body(JSON.stringify(body), status, { 'content-type': FHIR_JSON });
}

/** A read: the resource with its version as a weak ETag and its lastUpdated as Last-Modified (when it has them). */
export function fhirRead(c: Context, resource: Record<string, unknown>): Response {
  const meta = resource.meta as { versionId?: string; lastUpdated?: string } | undefined;
  if (meta?.versionId) c.header('etag', `W/"${meta.versionId}"`);
  if (meta?.lastUpdated) c.header('last-modified', new Date(meta.lastUpdated).toUTCString());
  return fhirJson(c, resource);
}

export function fhirError(c: Context, status: ContentfulStatusCode, code: string, text: string, expression?: string): Response {
  return fhirJson(c, outcomeOf([issue(code, text, expression)]), status);
}

/** A refusal (the hub's one Outcome vocabulary) as an OperationOutcome; `detail.issues` are sent as they are. */
export function fhirRefuse(c: Context, f: Failure): Response {
  const issues = f.detail?.issues as OutcomeIssue[] | undefined;
  return issues ? fhirJson(c, outcomeOf(issues), f.status) : fhirError(c, f.status, f.code, f.message);
}
