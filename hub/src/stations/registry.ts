// Wards and stations; a station authenticates with `Authorization: Station <code>:<secret>`.
import type { Sql } from '../db/client.ts';
import { digest, newSecret } from '../auth/tokens.ts';
import { timingSafeEqual } from 'node:crypto';

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

/** Registers (or re-registers) a station and returns its new credential, shown once. */
export async function registerStation(sql: Sql, s: { code: string; name: string; address: string; wardId: number }): Promise<{ id: string; credential: string }> {
  const secret = newSecret();
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO stations (code, name, address, ward_id, credential_hash)
    VALUES (${s.code}, ${s.name}, ${s.address}, ${s.wardId}, ${digest(secret)})
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address, ward_id = EXCLUDED.ward_id,
      credential_hash = EXCLUDED.credential_hash, credential_rotated_at = now()
    RETURNING id`;
  return { id: row!.id, credential: `${s.code}:${secret}` };
}

/** Replaces a station's credential; the old one stops working at once. */
export async function rotateStationCredential(sql: Sql, stationId: string): Promise<string | null> {
  const secret = newSecret();
  const [row] = await sql<{ code: string }[]>`
    UPDATE stations SET credential_hash = ${digest(secret)}, credential_rotated_at = now()
    WHERE id = ${stationId} RETURNING code`;
  return row ? `${row.code}:${secret}` : null;
}

export function parseStationAuth(header: string | undefined): { code: string; secret: string } | null {
  const m = /^Station ([A-Za-z0-9._-]{1,64}):([A-Za-z0-9_-]{16,128})$/.exec(header ?? '');
  return m ? { code: m[1]!, secret: m[2]! } : null;
}

export async function stationByCredential(sql: Sql, header: string | undefined): Promise<Station | null> {
  const cred = parseStationAuth(header);
  if (!cred) return null;
  const [row] = await sql<(StationRow & { credential_hash: Buffer })[]>`
    SELECT s.id, s.code, s.name, s.address, s.ward_id, w.name AS ward_name, w.district, w.city, s.credential_hash
    FROM stations s JOIN wards w ON w.id = s.ward_id WHERE s.code = ${cred.code} AND s.active`;
  if (!row || !timingSafeEqual(row.credential_hash, digest(cred.secret))) return null;
  return toStation(row);
}

export async function stationById(sql: Sql, id: string): Promise<Station | null> {
  const [row] = await sql<StationRow[]>`
    SELECT s.id, s.code, s.name, s.address, s.ward_id, w.name AS ward_name, w.district, w.city
    FROM stations s JOIN wards w ON w.id = s.ward_id WHERE s.id = ${id}`;
  return row ? toStation(row) : null;
}

interface StationRow { id: string; code: string; name: string; address: string; ward_id: number; ward_name: string; district: string; city: string }
const toStation = (r: StationRow): Station => ({
  id: r.id, code: r.code, name: r.name, address: r.address, wardId: r.ward_id, wardName: r.ward_name, district: r.district, city: r.city,
});
