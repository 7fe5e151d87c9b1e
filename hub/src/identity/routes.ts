// Station-facing identity API: a challenge for Active Authentication, submitting a card read for
// verification (opens a citizen session), reading and ending the station's session.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { HubDeps } from '../deps.ts';
import type { HubEnv } from '../http/env.ts';
import { errorJson } from '../http/errors.ts';
import { refuse } from '../http/outcome.ts';
import { valid } from '../http/validate.ts';
import { requireStation } from '../auth/middleware.ts';
import { identityBody, endSessionBody } from '@tram/contracts';
import { currentSession, endStationSessions, issueChallenge, verifyCard } from './service.ts';

export function identityRoutes(d: HubDeps) {
  return new Hono<HubEnv>()
    .use(requireStation(d))
    .post('/challenge', async (c) => c.json(await issueChallenge(d, c.get('station')), 201))
    .post(
      '/',
      bodyLimit({ maxSize: 128 * 1024, onError: (c) => errorJson(c, 413, 'body_too_large', 'Card data is larger than 128 KiB') }),
      valid('json', identityBody),
      async (c) => {
        const r = await verifyCard(d, c.get('station'), c.req.valid('json'));
        return r.ok ? c.json(r.value, 201) : refuse(c, r);
      },
    )
    .get('/session', async (c) => {
      const r = await currentSession(d, c.get('station'));
      return r.ok ? c.json(r.value) : refuse(c, r);
    })
    .delete('/session', valid('json', endSessionBody), async (c) => {
      const ended = await endStationSessions(d, c.get('station'), c.req.valid('json').reason);
      return c.json({ ended });
    });
}
