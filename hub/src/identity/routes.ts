// Station-facing identity API: a challenge for Active Authentication, submitting a card read for
// verification (opens a citizen session), reading and ending the station's session.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { randomBytes } from 'node:crypto';
import type { HubContext } from '../context.ts';
import type { HubEnv } from '../http/env.ts';
import { errorJson } from '../http/errors.ts';
import { valid } from '../http/validate.ts';
import { requireStation } from '../auth/middleware.ts';
import { audit } from '../auth/audit.ts';
import { trustStore, verifyDocument } from './verify-document.ts';
import { activeSession, citizenById, endOpenSessions, openSession, upsertCitizen } from './sessions.ts';
import { identityBody, endSessionBody } from '@tram/contracts';

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const mask = (id: string) => `${'•'.repeat(8)}${id.slice(-4)}`;

export function identityRoutes(ctx: HubContext) {
  const { sql, bus, config } = ctx;
  const idle = config.identity.idleS;
  return new Hono<HubEnv>()
    .use(requireStation(sql))
    .post('/challenge', async (c) => {
      const nonce = randomBytes(8);
      const [r] = await sql<{ id: string }[]>`
        INSERT INTO identity_challenges (station_id, nonce, expires_at) VALUES (${c.get('station').id}, ${nonce}, now() + interval '2 minutes') RETURNING id`;
      return c.json({ challengeId: r!.id, nonce: nonce.toString('hex') }, 201);
    })
    .post('/', bodyLimit({ maxSize: 128 * 1024, onError: (c) => errorJson(c, 413, 'body_too_large', 'Card data is larger than 128 KiB') }),
      valid('json', identityBody), async (c) => {
        const station = c.get('station');
        const body = c.req.valid('json');
        const store = trustStore(config.identity.cscaPaths);
        if (!store) return errorJson(c, 503, 'no_trust_store', 'This hub has no CSCA trust store configured (CSCA_PATHS), so it cannot verify ID cards');
        let activeAuth;
        if (body.activeAuth) {
          // The challenge is single-use, short-lived and bound to this station.
          const [ch] = await sql<{ nonce: Buffer }[]>`
            UPDATE identity_challenges SET used_at = now()
            WHERE id = ${body.activeAuth.challengeId} AND station_id = ${station.id} AND used_at IS NULL AND expires_at > now()
            RETURNING nonce`;
          if (!ch) return errorJson(c, 422, 'verification_failed', 'The Active Authentication challenge is unknown, used or expired');
          activeAuth = { challenge: new Uint8Array(ch.nonce), signature: b64(body.activeAuth.signature) };
        }
        const dataGroups = new Map(Object.entries(body.dataGroups).map(([k, v]) => [Number(k), b64(v)]));
        const verdict = verifyDocument({ access: body.access, sod: b64(body.sod), dataGroups, activeAuth }, store);
        if (!verdict.ok) {
          c.get('log').warn({ station: station.code, failures: verdict.failures }, 'card refused');
          await audit(sql, { actor: `station:${station.code}`, action: 'identity.refused', subject: `station:${station.code}`, detail: { failures: verdict.failures } });
          return c.json({ error: { code: 'verification_failed', message: 'The ID card could not be verified', failures: verdict.failures } }, 422);
        }
        const session = await sql.begin(async (tx) => {
          const citizenId = await upsertCitizen(tx, verdict.identity);
          const s = await openSession(tx, bus, station.id, citizenId, verdict.checks as never);
          await audit(tx, { actor: `station:${station.code}`, action: 'identity.verified', subject: `citizen:${citizenId}`, detail: { session: s.id, checks: verdict.checks } });
          return s;
        });
        return c.json({
          session: { id: session.id, openedAt: session.openedAt },
          citizen: { fullName: verdict.identity.fullName, idNumber: mask(verdict.identity.idNumber) },
          checks: verdict.checks,
        }, 201);
      })
    .get('/session', async (c) => {
      const station = c.get('station');
      const s = await activeSession(sql, station.id, idle);
      if (!s) return errorJson(c, 404, 'no_session', 'No resident is identified at this station');
      const citizen = (await citizenById(sql, s.citizenId))!;
      await audit(sql, { actor: `station:${station.code}`, action: 'identity.read', subject: `citizen:${citizen.id}`, detail: { session: s.id } });
      return c.json({ session: { id: s.id, openedAt: s.openedAt }, citizen: { fullName: citizen.fullName, idNumber: mask(citizen.idNumber) }, checks: s.checks });
    })
    .delete('/session', valid('json', endSessionBody), async (c) => {
      const station = c.get('station');
      const n = await sql.begin((tx) => endOpenSessions(tx, bus, station.id, c.req.valid('json').reason));
      return c.json({ ended: n });
    });
}
