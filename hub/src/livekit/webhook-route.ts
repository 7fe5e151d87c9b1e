// LiveKit webhook receiver: signature checked over the raw body before anything changes.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { HubEnv } from '../http/env.ts';
import { errorJson } from '../http/errors.ts';
import type { Media, WebhookEvent } from './media.ts';
import type { Sql } from '../db/client.ts';

export function webhookRoutes(media: Media, sql: Sql, apply: (e: WebhookEvent) => Promise<string>) {
  return new Hono<HubEnv>().post('/', bodyLimit({ maxSize: 256 * 1024 }), async (c) => {
    const raw = await c.req.text();
    let event: WebhookEvent;
    try {
      // The server sends the JWT in Authorization without a "Bearer" prefix.
      event = await media.verifyWebhook(raw, c.req.header('authorization'));
    } catch (err) {
      c.get('log').warn({ err: String(err) }, 'webhook rejected');
      return errorJson(c, 401, 'bad_signature', 'Webhook signature is missing or invalid');
    }
    // LiveKit retries deliveries: each event id is applied once, whichever domain it is for.
    const fresh = await sql`INSERT INTO webhook_deliveries (id) VALUES (${event.id}) ON CONFLICT DO NOTHING RETURNING id`;
    const outcome = fresh.length ? await apply(event) : 'duplicate';
    return c.json({ ok: true, outcome });
  });
}
