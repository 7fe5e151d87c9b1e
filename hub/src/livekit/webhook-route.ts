// LiveKit webhook receiver: signature checked over the raw body before anything changes.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { errorJson } from '../http/errors.ts';
import type { WebhookEvent } from './media.ts';
import { applyWebhook } from './service.ts';

export function webhookRoutes(d: HubDeps) {
  return new Hono<HubEnv>().post('/', bodyLimit({ maxSize: 256 * 1024 }), async (c) => {
    const raw = await c.req.text();
    let event: WebhookEvent;
    try {
      // The server sends the JWT in Authorization without a "Bearer" prefix.
      event = await d.media.verifyWebhook(raw, c.req.header('authorization'));
    } catch (err) {
      c.get('log').warn({ err: String(err) }, 'webhook rejected');
      return errorJson(c, 401, 'bad_signature', 'Webhook signature is missing or invalid');
    }
    return c.json({ ok: true, outcome: await applyWebhook(d, event) });
  });
}
