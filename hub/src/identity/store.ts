// All SQL of citizens (from verified card reads), their sessions at a station, and the Active
// Authentication challenges. Other domains reach these tables only through this file.
import type { Sql, Tx } from '../db/client.ts';
import type { IdentitySessionView } from '@tram/contracts';

export interface Citizen {
  id: string;
  idNumber: string;
  fullName: string;
  dateOfBirth: string | null;
  sex: string | null;
}
/** The checks a session was opened on, as verified then (stored as JSON). */
export type SessionChecks = IdentitySessionView['checks'];
export interface CitizenSession {
  id: string;
  stationId: string;
  citizenId: string;
  openedAt: string;
  lastSeenAt: string;
  checks: SessionChecks;
}
export type SessionEndReason = 'card_removed' | 'idle' | 'finished' | 'replaced';

export async function insertChallenge(sql: Sql, stationId: string, nonce: Buffer): Promise<string> {
  const [r] = await sql<{ id: string }[]>`
    INSERT INTO identity_challenges (station_id, nonce, expires_at) VALUES (${stationId}, ${nonce}, now() + interval '2 minutes') RETURNING id`;
  return r!.id;
}

/** Marks a challenge used and returns its nonce, if it is this station's, unused and not expired (single use). */
export async function markChallengeUsed(sql: Sql, challengeId: string, stationId: string): Promise<Buffer | null> {
  const [ch] = await sql<{ nonce: Buffer }[]>`
    UPDATE identity_challenges SET used_at = now()
    WHERE id = ${challengeId} AND station_id = ${stationId} AND used_at IS NULL AND expires_at > now()
    RETURNING nonce`;
  return ch?.nonce ?? null;
}

export async function upsertCitizen(tx: Sql | Tx, c: Omit<Citizen, 'id'>): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    INSERT INTO citizens (id_number, full_name, date_of_birth, sex) VALUES (${c.idNumber}, ${c.fullName}, ${c.dateOfBirth}, ${c.sex})
    ON CONFLICT (id_number) DO UPDATE SET full_name = EXCLUDED.full_name, date_of_birth = EXCLUDED.date_of_birth, sex = EXCLUDED.sex, updated_at = now()
    RETURNING id`;
  return row!.id;
}

export async function citizenById(sql: Sql | Tx, id: string): Promise<Citizen | null> {
  const [r] = await sql<{ id: string; id_number: string; full_name: string; date_of_birth: string | null; sex: string | null }[]>`
    SELECT id, id_number, full_name, date_of_birth, sex FROM citizens WHERE id = ${id}`;
  return r ? { id: r.id, idNumber: r.id_number, fullName: r.full_name, dateOfBirth: r.date_of_birth, sex: r.sex } : null;
}

export async function citizenByIdNumber(sql: Sql | Tx, idNumber: string): Promise<Citizen | null> {
  const [r] = await sql<{ id: string }[]>`SELECT id FROM citizens WHERE id_number = ${idNumber}`;
  return r ? citizenById(sql, r.id) : null;
}

interface SessionRow {
  id: string;
  station_id: string;
  citizen_id: string;
  opened_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
  checks: SessionChecks;
}
const toSession = (r: SessionRow): CitizenSession => ({
  id: r.id,
  stationId: r.station_id,
  citizenId: r.citizen_id,
  openedAt: r.opened_at.toISOString(),
  lastSeenAt: r.last_seen_at.toISOString(),
  checks: r.checks,
});

export async function insertSession(tx: Sql | Tx, stationId: string, citizenId: string, checks: object): Promise<CitizenSession> {
  const [r] = await tx<
    SessionRow[]
  >`INSERT INTO citizen_sessions (station_id, citizen_id, checks) VALUES (${stationId}, ${citizenId}, ${tx.json(checks as never)}) RETURNING *`;
  return toSession(r!);
}

/** The station's open session if it has not gone idle, marked as seen now (a read counts as activity). */
export async function touchActiveSession(sql: Sql, stationId: string, idleS: number): Promise<CitizenSession | null> {
  const [r] = await sql<SessionRow[]>`
    UPDATE citizen_sessions SET last_seen_at = now() WHERE station_id = ${stationId} AND ended_at IS NULL
      AND last_seen_at > now() - make_interval(secs => ${idleS}) RETURNING *`;
  return r ? toSession(r) : null;
}

/** A session of this station by id, open or recently ended (readings queued offline still belong to it). */
export async function stationSession(
  sql: Sql | Tx,
  stationId: string,
  sessionId: string,
): Promise<(CitizenSession & { endedAt: string | null }) | null> {
  const [r] = await sql<SessionRow[]>`SELECT * FROM citizen_sessions WHERE id = ${sessionId} AND station_id = ${stationId}`;
  return r ? { ...toSession(r), endedAt: r.ended_at?.toISOString() ?? null } : null;
}

/** Ends the station's open sessions; returns their ids. */
export async function endOpenSessions(tx: Sql | Tx, stationId: string, reason: SessionEndReason): Promise<string[]> {
  const ended = await tx<{ id: string }[]>`
    UPDATE citizen_sessions SET ended_at = now(), end_reason = ${reason} WHERE station_id = ${stationId} AND ended_at IS NULL RETURNING id`;
  return ended.map((s) => s.id);
}

/** Ends sessions whose station went quiet for longer than the idle time; returns them. */
export async function endIdleSessions(tx: Sql | Tx, idleS: number): Promise<{ id: string; stationId: string }[]> {
  const idle = await tx<{ id: string; station_id: string }[]>`
    UPDATE citizen_sessions SET ended_at = now(), end_reason = 'idle'
    WHERE ended_at IS NULL AND last_seen_at <= now() - make_interval(secs => ${idleS}) RETURNING id, station_id`;
  return idle.map((s) => ({ id: s.id, stationId: s.station_id }));
}
