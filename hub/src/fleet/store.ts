// All SQL of the fleet: stations as the admin sees them, enrolment codes, the latest health of
// each station and its timeline of changes.
import type { Sql, Tx } from '../db/client.ts';
import type { Heartbeat } from '@tram/contracts';

export async function insertFleetStation(
  tx: Sql | Tx,
  s: {
    code: string;
    name: string;
    building?: string | undefined;
    floor?: string | undefined;
    address: string;
    wardId: number;
    devicesExpected: string[];
    credentialHash: Buffer;
  },
): Promise<string | null> {
  const [row] = await tx<{ id: string }[]>`
    INSERT INTO stations (code, name, building, lobby, address, ward_id, devices_expected, credential_hash)
    VALUES (${s.code}, ${s.name}, ${s.building ?? null}, ${s.floor ?? null}, ${s.address}, ${s.wardId},
            ${tx.json(s.devicesExpected)}, ${s.credentialHash})
    ON CONFLICT (code) DO NOTHING RETURNING id`;
  return row?.id ?? null;
}

export async function insertEnrolment(
  tx: Sql | Tx,
  e: { codeHash: Buffer; stationId: string; createdBy: string; hours: number },
): Promise<Date> {
  const [row] = await tx<{ expires_at: Date }[]>`
    INSERT INTO station_enrolments (code_hash, station_id, created_by, expires_at)
    VALUES (${e.codeHash}, ${e.stationId}, ${e.createdBy}, now() + make_interval(secs => ${e.hours * 3600}))
    RETURNING expires_at`;
  return row!.expires_at;
}

/** Marks the code used if it is unused, unexpired and its station active; its station, or null. */
export async function takeEnrolment(tx: Tx, codeHash: Buffer): Promise<{ stationId: string; code: string; name: string } | null> {
  const [row] = await tx<{ station_id: string; code: string; name: string }[]>`
    UPDATE station_enrolments e SET used_at = now()
    FROM stations s
    WHERE e.code_hash = ${codeHash} AND e.used_at IS NULL AND e.expires_at > now() AND s.id = e.station_id AND s.active
    RETURNING e.station_id, s.code, s.name`;
  return row ? { stationId: row.station_id, code: row.code, name: row.name } : null;
}

/** Any other code still open for this station stops working (one enrolment per code, latest wins). */
export async function closeOpenEnrolments(tx: Sql | Tx, stationId: string): Promise<void> {
  await tx`UPDATE station_enrolments SET used_at = now() WHERE station_id = ${stationId} AND used_at IS NULL`;
}

export async function updateEnrolledCredential(tx: Tx, stationId: string, credentialHash: Buffer): Promise<void> {
  await tx`UPDATE stations SET credential_hash = ${credentialHash}, credential_rotated_at = now(), enrolled_at = now() WHERE id = ${stationId}`;
}

export async function activeStationById(sql: Sql | Tx, id: string): Promise<{ id: string; code: string } | null> {
  const [row] = await sql<{ id: string; code: string }[]>`SELECT id, code FROM stations WHERE id = ${id} AND active`;
  return row ?? null;
}

/** Retires the station: its credential stops working at once (stations are only ever authenticated while active). */
export async function retireStation(tx: Sql | Tx, id: string): Promise<{ code: string } | null> {
  const [row] = await tx<{ code: string }[]>`
    UPDATE stations SET active = false, retired_at = now() WHERE id = ${id} AND active RETURNING code`;
  return row ?? null;
}

export interface FleetRow {
  id: string;
  code: string;
  name: string;
  building: string | null;
  floor: string | null;
  address: string;
  ward_id: number;
  ward_name: string;
  active: boolean;
  enrolled_at: Date | null;
  devices_expected: string[];
  last_seen_at: Date | null;
  offline_since: Date | null;
  state: { heartbeat: Heartbeat } | null;
  alerts: string[] | null;
}

export async function fleetRows(sql: Sql | Tx, f: { wardId?: number | undefined; stationId?: string }): Promise<FleetRow[]> {
  return sql<FleetRow[]>`
    SELECT s.id, s.code, s.name, s.building, s.lobby AS floor, s.address, s.ward_id, w.name AS ward_name, s.active, s.enrolled_at,
           s.devices_expected, h.last_seen_at, h.offline_since, h.state, h.alerts
    FROM stations s JOIN wards w ON w.id = s.ward_id LEFT JOIN station_health h ON h.station_id = s.id
    WHERE true ${f.wardId ? sql`AND s.ward_id = ${f.wardId}` : sql``} ${f.stationId ? sql`AND s.id = ${f.stationId}` : sql``}
    ORDER BY w.name, s.name`;
}

export interface HealthRow {
  state_hash: Buffer;
  state: { significant: unknown; heartbeat: Heartbeat };
  offline_since: Date | null;
  alerts: string[];
}

export async function healthOf(sql: Sql | Tx, stationId: string): Promise<HealthRow | null> {
  const [row] = await sql<HealthRow[]>`
    SELECT state_hash, state, offline_since, alerts FROM station_health WHERE station_id = ${stationId} FOR UPDATE`;
  return row ?? null;
}

/** Holds the station's row until the transaction ends (no key change, so its readers and references are not held up). */
export async function lockStation(tx: Tx, stationId: string): Promise<void> {
  await tx`SELECT 1 FROM stations WHERE id = ${stationId} FOR NO KEY UPDATE`;
}

export async function writeHealth(
  tx: Tx,
  h: { stationId: string; hash: Buffer; state: unknown; alerts: string[] },
): Promise<{ wasOffline: boolean }> {
  const [row] = await tx<{ was_offline: boolean }[]>`
    WITH prev AS (SELECT offline_since FROM station_health WHERE station_id = ${h.stationId})
    INSERT INTO station_health (station_id, last_seen_at, state, state_hash, alerts)
    VALUES (${h.stationId}, now(), ${tx.json(h.state as never)}, ${h.hash}, ${h.alerts})
    ON CONFLICT (station_id) DO UPDATE SET last_seen_at = now(), state = EXCLUDED.state, state_hash = EXCLUDED.state_hash,
      alerts = EXCLUDED.alerts, offline_since = NULL
    RETURNING (SELECT offline_since IS NOT NULL FROM prev) AS was_offline`;
  return { wasOffline: !!row?.was_offline };
}

/** Last seen = now for every station heard since the last flush, in one statement; those that were offline come back. */
export async function touchSeen(tx: Tx, ids: string[]): Promise<{ stationId: string; offlineSince: Date }[]> {
  if (!ids.length) return [];
  const rows = await tx<{ station_id: string; offline_since: Date | null }[]>`
    WITH prev AS (SELECT station_id, offline_since FROM station_health WHERE station_id = ANY(${ids}::uuid[]) FOR UPDATE)
    UPDATE station_health h SET last_seen_at = now(), offline_since = NULL, alerts = array_remove(h.alerts, 'offline')
    FROM prev WHERE prev.station_id = h.station_id
    RETURNING h.station_id, prev.offline_since`;
  return rows.filter((r) => r.offline_since).map((r) => ({ stationId: r.station_id, offlineSince: r.offline_since! }));
}

/** Stations unheard for longer than `offlineS`, newly marked offline (one instance wins each). */
export async function markOffline(tx: Tx, offlineS: number): Promise<{ stationId: string; lastSeenAt: Date }[]> {
  const rows = await tx<{ station_id: string; last_seen_at: Date }[]>`
    UPDATE station_health h SET offline_since = h.last_seen_at, alerts = array_append(array_remove(h.alerts, 'offline'), 'offline')
    FROM stations s
    WHERE s.id = h.station_id AND s.active AND h.offline_since IS NULL AND h.last_seen_at < now() - make_interval(secs => ${offlineS})
    RETURNING h.station_id, h.last_seen_at`;
  return rows.map((r) => ({ stationId: r.station_id, lastSeenAt: r.last_seen_at }));
}

export async function insertStationEvents(
  tx: Sql | Tx,
  stationId: string,
  events: { kind: string; detail: Record<string, unknown> }[],
): Promise<void> {
  for (const e of events)
    await tx`INSERT INTO station_events (station_id, kind, detail) VALUES (${stationId}, ${e.kind}, ${tx.json(e.detail as never)})`;
}

export async function stationEvents(sql: Sql | Tx, stationId: string, limit = 200) {
  return sql<{ at: Date; kind: string; detail: Record<string, unknown> }[]>`
    SELECT at, kind, detail FROM station_events WHERE station_id = ${stationId} ORDER BY id DESC LIMIT ${limit}`;
}

export async function recentCalls(sql: Sql | Tx, stationId: string) {
  return sql<{ id: string; status: string; created_at: Date; end_reason: string | null }[]>`
    SELECT id, status, created_at, end_reason FROM calls WHERE station_id = ${stationId} ORDER BY created_at DESC LIMIT 20`;
}

export async function recentConsults(sql: Sql | Tx, stationId: string) {
  return sql<{ id: string; status: string; created_at: Date }[]>`
    SELECT id, status, created_at FROM consults WHERE station_id = ${stationId} ORDER BY created_at DESC LIMIT 20`;
}

export async function stationBrief(sql: Sql | Tx, id: string) {
  const [row] = await sql<{ id: string; code: string; name: string; ward_id: number; devices_expected: string[] }[]>`
    SELECT id, code, name, ward_id, devices_expected FROM stations WHERE id = ${id}`;
  return row ?? null;
}

export async function wardList(sql: Sql | Tx) {
  return sql<{ id: number; code: string; name: string }[]>`SELECT id, code, name FROM wards ORDER BY name`;
}
