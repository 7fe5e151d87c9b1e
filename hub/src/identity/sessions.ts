// Citizens (from verified card reads) and their sessions at a station. Other domains use the
// exported functions; only this folder touches these tables.
import type { Sql, Tx } from '../db/client.ts';
import type { Bus } from '../db/bus.ts';

export interface Citizen { id: string; idNumber: string; fullName: string; dateOfBirth: string | null; sex: string | null }
export interface CitizenSession { id: string; stationId: string; citizenId: string; openedAt: string; lastSeenAt: string; checks: Record<string, unknown> }

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

const toSession = (r: { id: string; station_id: string; citizen_id: string; opened_at: Date; last_seen_at: Date; checks: Record<string, unknown> }): CitizenSession => ({
  id: r.id, stationId: r.station_id, citizenId: r.citizen_id, openedAt: r.opened_at.toISOString(), lastSeenAt: r.last_seen_at.toISOString(), checks: r.checks,
});

/** Opens a session for a verified citizen at a station, ending the station's previous one. */
export async function openSession(tx: Tx, bus: Bus, stationId: string, citizenId: string, checks: Record<string, unknown>): Promise<CitizenSession> {
  await endOpenSessions(tx, bus, stationId, 'replaced');
  const [r] = await tx`INSERT INTO citizen_sessions (station_id, citizen_id, checks) VALUES (${stationId}, ${citizenId}, ${tx.json(checks as never)}) RETURNING *`;
  return toSession(r as never);
}

/** The station's open session, if it has not gone idle. Touching it counts as activity. */
export async function activeSession(sql: Sql, stationId: string, idleS: number, touch = true): Promise<CitizenSession | null> {
  const [r] = touch
    ? await sql`UPDATE citizen_sessions SET last_seen_at = now() WHERE station_id = ${stationId} AND ended_at IS NULL
                AND last_seen_at > now() - make_interval(secs => ${idleS}) RETURNING *`
    : await sql`SELECT * FROM citizen_sessions WHERE station_id = ${stationId} AND ended_at IS NULL
                AND last_seen_at > now() - make_interval(secs => ${idleS})`;
  return r ? toSession(r as never) : null;
}

/** A session of this station by id, open or recently ended (readings queued offline still belong to it). */
export async function stationSession(sql: Sql, stationId: string, sessionId: string): Promise<(CitizenSession & { endedAt: string | null }) | null> {
  const [r] = await sql`SELECT * FROM citizen_sessions WHERE id = ${sessionId} AND station_id = ${stationId}`;
  return r ? { ...toSession(r as never), endedAt: (r.ended_at as Date | null)?.toISOString() ?? null } : null;
}

export async function endOpenSessions(tx: Sql | Tx, bus: Bus, stationId: string, reason: string): Promise<number> {
  const ended = await tx<{ id: string }[]>`
    UPDATE citizen_sessions SET ended_at = now(), end_reason = ${reason} WHERE station_id = ${stationId} AND ended_at IS NULL RETURNING id`;
  for (const s of ended) await bus.publish(tx, { topics: [`station:${stationId}`, `session:${s.id}`], type: 'identity.session_ended', data: { sessionId: s.id, reason } });
  return ended.length;
}

/** Ends sessions whose station went quiet for longer than the idle time. */
export async function endIdleSessions(sql: Sql, bus: Bus, idleS: number): Promise<number> {
  return sql.begin(async (tx) => {
    const idle = await tx<{ id: string; station_id: string }[]>`
      UPDATE citizen_sessions SET ended_at = now(), end_reason = 'idle'
      WHERE ended_at IS NULL AND last_seen_at <= now() - make_interval(secs => ${idleS}) RETURNING id, station_id`;
    for (const s of idle) await bus.publish(tx, { topics: [`station:${s.station_id}`, `session:${s.id}`], type: 'identity.session_ended', data: { sessionId: s.id, reason: 'idle' } });
    return idle.length;
  });
}
