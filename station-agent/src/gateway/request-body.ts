// Reading and validating the kiosk page's JSON bodies against the @tram/contracts schemas, with a
// 400 message a person can act on (which field, what is wrong, what to send instead).
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';

export const MAX_BODY = 16 * 1024;

export function readBody(req: IncomingMessage, max = MAX_BODY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Parses `raw` as JSON (an empty body counts as `{}`) and checks it with `schema`. On failure the
 * message names each wrong field, then `hint` says what a valid body looks like.
 */
export function parseBody<S extends z.ZodType>(schema: S, raw: Buffer, hint: string): Parsed<z.output<S>> {
  let json: unknown = {};
  if (raw.length > 0) {
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return { ok: false, message: `The body is not JSON. ${hint}` };
    }
  }
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, message: `${describeIssues(r.error.issues)}. ${hint}` };
}

type Issue = z.core.$ZodIssue;

/** "can: the CAN is 6 digits; note: Invalid input…". A union that matched no branch says so once. */
export function describeIssues(issues: readonly Issue[]): string {
  return issues
    .map((i) => {
      if (i.code === 'invalid_union') return 'The body matches none of the accepted forms';
      const at = i.path.length ? `${i.path.map(String).join('.')}: ` : '';
      return `${at}${i.message}`;
    })
    .join('; ');
}
