// One JSON error shape for every failure; no stack traces leave the hub.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import type { HubEnv } from './env.ts';

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[]; requestId?: string };
}

export const errorJson = <S extends ContentfulStatusCode>(
  c: Context,
  status: S,
  code: string,
  message: string,
  issues?: ErrorBody['error']['issues'],
) => c.json({ error: { code, message, ...(issues ? { issues } : {}) } } satisfies ErrorBody, status);

export function onError(err: Error, c: Context<HubEnv>) {
  if (err instanceof HTTPException && err.status < 500) {
    if (err.status === 413) c.header('Connection', 'close');
    const code = err.status === 413 ? 'body_too_large' : err.status === 400 ? 'invalid_request' : 'http_error';
    return errorJson(c, err.status as ContentfulStatusCode, code, err.message || 'Bad request');
  }
  c.get('log')?.error({ err }, 'unhandled error');
  return c.json(
    {
      error: { code: 'internal', message: 'Internal error; the request id helps support find it', requestId: c.get('requestId') },
    } satisfies ErrorBody,
    500,
  );
}

/**
 * 413: the rest of the body is never read, so the connection cannot carry another request. Say
 * so (`Connection: close`) instead of promising keep-alive and then dropping the socket.
 */
export const tooLarge = (c: Context, limit: string) => {
  c.header('Connection', 'close');
  return errorJson(c, 413, 'body_too_large', `Request body is larger than ${limit}`);
};
