// One vocabulary for what a flow answers, in every domain: a value, or a refusal with its HTTP
// status, a stable code for programs and a message for people. Services return an Outcome; routes
// map a refusal with `refuse` (JSON error body) or, under /fhir, `fhirRefuse` (OperationOutcome).
import type { Context } from 'hono';
import type { ErrorBody } from './errors.ts';

export type FailStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

export interface Failure {
  ok: false;
  status: FailStatus;
  code: string;
  message: string;
  /** More fields for the error body (e.g. the card checks that failed). */
  detail?: Record<string, unknown>;
}
export interface Success<T> {
  ok: true;
  value: T;
}
export type Outcome<T> = Success<T> | Failure;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });

export const fail = (status: FailStatus, code: string, message: string, detail?: Record<string, unknown>): Failure => ({
  ok: false,
  status,
  code,
  message,
  ...(detail ? { detail } : {}),
});

/** The JSON error response for a refusal: `{"error":{"code","message",…detail}}` with its status. */
export const refuse = (c: Context, f: Failure) =>
  c.json({ error: { code: f.code, message: f.message, ...f.detail } } satisfies ErrorBody, f.status);
