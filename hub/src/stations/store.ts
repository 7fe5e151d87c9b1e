// All SQL of wards and stations.
import type { Sql, Tx } from '../db/client.ts';

export interface Station {
  id: string;
  code: string;
  name: string;
  address: string;
  wardId: number;
  wardName: string;
  district: string;
  city: string;
}

export async function upsertWard(sql: Sql, w: { code: string; name: string; district: string; city: string }): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO wards (code, name, district, city) VALUES (${w.code}, ${w.name}, ${w.district}, ${w.city})
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, district = EXCLUDED.district, city = EXCLUDED.city
    RETURNING id`;
  return row!.id;
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
    INSERT INTO stations (code, name, address, ward_id, credential_hash)
    VALUES (${s.code}, ${s.name}, ${s.address}, ${s.wardId}, ${s.credentialHash})
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address, ward_id = EXCLUDED.ward_id,
      credential_hash = EXCLUDED.credential_hash, credential_rotated_at = now()
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
    SELECT s.id, s.code, s.name, s.address, s.ward_id, w.name AS ward_name, w.district, w.city, s.credential_hash
    FROM stations s JOIN wards w ON w.id = s.ward_id WHERE s.code = ${code} AND s.active`;
  return row ? { ...toStation(row), credentialHash: row.credential_hash } : null;
}

export async function stationById(sql: Sql | Tx, id: string): Promise<Station | null> {
  const [row] = await sql<StationRow[]>`
    SELECT s.id, s.code, s.name, s.address, s.ward_id, w.name AS ward_name, w.district, w.city
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
  district: string;
  city: string;
}
const toStation = (r: StationRow): Station => ({
  id: r.id,
  code: r.code,
  name: r.name,
  address: r.address,
  wardId: r.ward_id,
  wardName: r.ward_name,
  district: r.district,
  city: r.city,
});

export async function wardsByCode(sql: Sql | Tx, codes: string[]): Promise<{ id: number; code: string }[]> {
  return codes.length ? sql<{ id: number; code: string }[]>`SELECT id, code FROM wards WHERE code IN ${sql(codes)}` : [];
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
