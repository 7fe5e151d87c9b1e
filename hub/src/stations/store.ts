// All SQL of wards and stations.
import type { Sql, Tx } from '../db/client.ts';

export interface Station {
  id: string;
  code: string;
  name: string;
  address: string;
  wardId: number;
  wardName: string;
  city: string;
}

export async function upsertWard(sql: Sql | Tx, w: { code: string; name: string; city: string }): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO wards (code, name, city) VALUES (${w.code}, ${w.name}, ${w.city})
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, city = EXCLUDED.city
    RETURNING id`;
  return row!.id;
}

/** Replaces the wards whose police are rung next (T1) for this ward's unanswered calls. */
export async function replaceWardNeighbours(tx: Sql | Tx, wardId: number, neighbourIds: number[]): Promise<void> {
  await tx`DELETE FROM ward_neighbours WHERE ward_id = ${wardId}`;
  for (const n of neighbourIds)
    await tx`INSERT INTO ward_neighbours (ward_id, neighbour_id) VALUES (${wardId}, ${n}) ON CONFLICT DO NOTHING`;
}

/** Where a station stands inside its building (shown on the caller card). */
export async function updateStationPlace(
  sql: Sql | Tx,
  stationId: string,
  p: { building: string | null; lobby: string | null },
): Promise<void> {
  await sql`UPDATE stations SET building = ${p.building}, lobby = ${p.lobby} WHERE id = ${stationId}`;
}

export async function wardExists(sql: Sql, wardId: number): Promise<boolean> {
  const [row] = await sql`SELECT id FROM wards WHERE id = ${wardId}`;
  return !!row;
}

/** Inserts the station, or re-registers it (same code) with a new credential. */
export async function upsertStation(
  sql: Sql,
  s: { code: string; name: string; address: string; wardId: number; credentialHash: Buffer },
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO stations (code, name, address, ward_id, credential_hash, enrolled_at)
    VALUES (${s.code}, ${s.name}, ${s.address}, ${s.wardId}, ${s.credentialHash}, now())
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address, ward_id = EXCLUDED.ward_id,
      credential_hash = EXCLUDED.credential_hash, credential_rotated_at = now(), enrolled_at = now()
    RETURNING id`;
  return row!.id;
}

/** Inserts a new station; null when the code is taken (nothing changes then). */
export async function insertStation(
  sql: Sql,
  s: { code: string; name: string; address: string; wardId: number; credentialHash: Buffer },
): Promise<string | null> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO stations (code, name, address, ward_id, credential_hash)
    VALUES (${s.code}, ${s.name}, ${s.address}, ${s.wardId}, ${s.credentialHash})
    ON CONFLICT (code) DO NOTHING
    RETURNING id`;
  return row?.id ?? null;
}

/** Replaces the credential digest; returns the station's code, or null when there is no such station. */
export async function updateStationCredential(sql: Sql, stationId: string, credentialHash: Buffer): Promise<string | null> {
  const [row] = await sql<{ code: string }[]>`
    UPDATE stations SET credential_hash = ${credentialHash}, credential_rotated_at = now()
    WHERE id = ${stationId} RETURNING code`;
  return row?.code ?? null;
}

/** An active station by code, with its credential digest (for the caller to compare). */
export async function activeStationByCode(sql: Sql, code: string): Promise<(Station & { credentialHash: Buffer }) | null> {
  const [row] = await sql<(StationRow & { credential_hash: Buffer })[]>`
    SELECT s.id, s.code, s.name, s.address, s.ward_id, w.name AS ward_name, w.city, s.credential_hash
    FROM stations s JOIN wards w ON w.id = s.ward_id WHERE s.code = ${code} AND s.active`;
  return row ? { ...toStation(row), credentialHash: row.credential_hash } : null;
}

export async function stationById(sql: Sql | Tx, id: string): Promise<Station | null> {
  const [row] = await sql<StationRow[]>`
    SELECT s.id, s.code, s.name, s.address, s.ward_id, w.name AS ward_name, w.city
    FROM stations s JOIN wards w ON w.id = s.ward_id WHERE s.id = ${id}`;
  return row ? toStation(row) : null;
}

interface StationRow {
  id: string;
  code: string;
  name: string;
  address: string;
  ward_id: number;
  ward_name: string;
  city: string;
}
const toStation = (r: StationRow): Station => ({
  id: r.id,
  code: r.code,
  name: r.name,
  address: r.address,
  wardId: r.ward_id,
  wardName: r.ward_name,
  city: r.city,
});

export async function wardsByCode(sql: Sql | Tx, codes: string[]): Promise<{ id: number; code: string }[]> {
  return codes.length ? sql<{ id: number; code: string }[]>`SELECT id, code FROM wards WHERE code IN ${sql(codes)}` : [];
}

/** The station's agent connected its realtime socket now; returns the instant recorded. */
export async function markStationOnline(sql: Sql | Tx, stationId: string): Promise<Date | null> {
  const [r] = await sql<{ online_since: Date }[]>`UPDATE stations SET online_since = now() WHERE id = ${stationId} RETURNING online_since`;
  return r?.online_since ?? null;
}

/** That connection closed: cleared only if no newer connection has been recorded since. */
export async function markStationOffline(sql: Sql | Tx, stationId: string, since: Date): Promise<void> {
  // timestamps come back with millisecond precision; PostgreSQL keeps microseconds
  await sql`UPDATE stations SET online_since = NULL WHERE id = ${stationId} AND date_trunc('milliseconds', online_since) = ${since}`;
}

/** Records one cancelled SOS countdown (once per idempotency key) and returns the station's count. */
export async function insertSosCancellation(sql: Sql, stationId: string, key: string, remainingMs: number): Promise<number> {
  await sql`
    INSERT INTO sos_cancellations (station_id, idempotency_key, remaining_ms)
    VALUES (${stationId}, ${key}, ${remainingMs})
    ON CONFLICT (station_id, idempotency_key) DO NOTHING`;
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sos_cancellations WHERE station_id = ${stationId}`;
  return row!.n;
}
