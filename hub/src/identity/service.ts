// Identity flows: a challenge for Active Authentication, verifying a card read (which opens a
// citizen session), reading and ending the station's session, and the idle sweep. Every session
// that ends is announced on the station's and the session's topics.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { HubDeps } from '../deps.ts';
import type { Sql, Tx } from '../db/client.ts';
import type { Bus } from '../db/bus.ts';
import type { Station } from '../stations/store.ts';
import { participant, subject, topic, type identityBody, type IdentityChallengeView, type IdentitySessionView } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { trustStore, verifyDocument } from './verify-document.ts';
import {
  citizenById,
  endIdleSessions as endIdleSessionRows,
  endOpenSessions,
  insertChallenge,
  insertSession,
  markChallengeUsed,
  touchActiveSession,
  upsertCitizen,
  type CitizenSession,
  type SessionEndReason,
} from './store.ts';

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
/** The ID number as screens show it: only its last 4 digits. */
export const maskIdNumber = (id: string) => `${'•'.repeat(8)}${id.slice(-4)}`;

async function announceEnded(tx: Sql | Tx, bus: Bus, ended: { id: string; stationId: string }[], reason: SessionEndReason) {
  for (const s of ended) {
    await bus.publish(tx, {
      topics: [topic.station(s.stationId), topic.session(s.id)],
      type: 'identity.session_ended',
      data: { sessionId: s.id, reason },
    });
  }
}

export async function issueChallenge(d: HubDeps, station: Station): Promise<IdentityChallengeView> {
  const nonce = randomBytes(8);
  const challengeId = await insertChallenge(d.sql, station.id, nonce);
  return { challengeId, nonce: nonce.toString('hex') };
}

/** Opens a session for a verified citizen at a station, ending the station's previous one. */
export async function openSession(tx: Tx, bus: Bus, stationId: string, citizenId: string, checks: object): Promise<CitizenSession> {
  await endStationSessionsIn(tx, bus, stationId, 'replaced');
  return insertSession(tx, stationId, citizenId, checks);
}

async function endStationSessionsIn(tx: Sql | Tx, bus: Bus, stationId: string, reason: SessionEndReason): Promise<number> {
  const ids = await endOpenSessions(tx, stationId, reason);
  await announceEnded(
    tx,
    bus,
    ids.map((id) => ({ id, stationId })),
    reason,
  );
  return ids.length;
}

/**
 * The hub re-verifies what the station read (its own trust store, its own challenge) and only
 * then opens a session; the identity comes from the verified data groups.
 */
export async function verifyCard(d: HubDeps, station: Station, body: z.infer<typeof identityBody>): Promise<Outcome<IdentitySessionView>> {
  const store = trustStore(d.config.identity.cscaPaths, d.config.production);
  if (!store) return fail(503, 'no_trust_store', 'This hub has no CSCA trust store configured (CSCA_PATHS), so it cannot verify ID cards');
  let activeAuth: { challenge: Uint8Array; signature: Uint8Array } | undefined;
  if (body.activeAuth) {
    // The challenge is single-use, short-lived and bound to this station.
    const nonce = await markChallengeUsed(d.sql, body.activeAuth.challengeId, station.id);
    if (!nonce) return fail(422, 'verification_failed', 'The Active Authentication challenge is unknown, used or expired');
    activeAuth = { challenge: new Uint8Array(nonce), signature: b64(body.activeAuth.signature) };
  }
  const dataGroups = new Map(Object.entries(body.dataGroups).map(([k, v]) => [Number(k), b64(v)]));
  const verdict = verifyDocument({ access: body.access, sod: b64(body.sod), dataGroups, activeAuth }, store);
  const actor = participant.station(station.code);
  if (!verdict.ok) {
    d.log.warn({ station: station.code, failures: verdict.failures }, 'card refused');
    await insertAudit(d.sql, {
      actor,
      action: 'identity.refused',
      subject: subject.station(station.code),
      detail: { failures: verdict.failures },
    });
    const expired = verdict.failures.find((f) => f.startsWith('document_expired:'))?.slice('document_expired:'.length);
    const message = expired ? `The ID card expired on ${expired}; an expired card cannot be used` : 'The ID card could not be verified';
    return fail(422, 'verification_failed', message, { failures: verdict.failures });
  }
  const session = await d.sql.begin(async (tx) => {
    const citizenId = await upsertCitizen(tx, verdict.identity);
    const s = await openSession(tx, d.bus, station.id, citizenId, verdict.checks);
    await insertAudit(tx, {
      actor,
      action: 'identity.verified',
      subject: subject.citizen(citizenId),
      detail: { session: s.id, checks: verdict.checks },
    });
    return s;
  });
  return ok({
    session: { id: session.id, openedAt: session.openedAt },
    citizen: { fullName: verdict.identity.fullName, idNumber: maskIdNumber(verdict.identity.idNumber) },
    checks: verdict.checks,
  });
}

/** The resident identified at the station now (an audited read that also counts as activity). */
export async function currentSession(d: HubDeps, station: Station): Promise<Outcome<IdentitySessionView>> {
  const s = await touchActiveSession(d.sql, station.id, d.config.identity.idleS);
  if (!s) return fail(404, 'no_session', 'No resident is identified at this station');
  const citizen = (await citizenById(d.sql, s.citizenId))!;
  await insertAudit(d.sql, {
    actor: participant.station(station.code),
    action: 'identity.read',
    subject: subject.citizen(citizen.id),
    detail: { session: s.id },
  });
  return ok({
    session: { id: s.id, openedAt: s.openedAt },
    citizen: { fullName: citizen.fullName, idNumber: maskIdNumber(citizen.idNumber) },
    checks: s.checks,
  });
}

export async function endStationSessions(d: HubDeps, station: Station, reason: SessionEndReason): Promise<number> {
  return d.sql.begin((tx) => endStationSessionsIn(tx, d.bus, station.id, reason));
}

/** Ends sessions at stations that went quiet (the resident walked away with the card in). */
export async function endIdleSessions(d: HubDeps): Promise<number> {
  return d.sql.begin(async (tx) => {
    const idle = await endIdleSessionRows(tx, d.config.identity.idleS);
    await announceEnded(tx, d.bus, idle, 'idle');
    return idle.length;
  });
}
