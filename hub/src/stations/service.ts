// Stations: registering one (its credential is shown once), rotating its credential, and knowing
// a station by `Authorization: Station <code>:<secret>`.
import { timingSafeEqual } from 'node:crypto';
import type { Sql } from '../db/client.ts';
import type { SosCancelledView, StationView } from '@tram/contracts';
import { digest, newSecret } from '../auth/tokens.ts';
import {
  activeStationByCode,
  insertSosCancellation,
  insertStation,
  stationById,
  updateStationCredential,
  upsertStation,
  type Station,
} from './store.ts';

/** Registers (or re-registers) a station and returns its new credential, shown once. */
export async function registerStation(
  sql: Sql,
  s: { code: string; name: string; address: string; wardId: number },
): Promise<{ id: string; credential: string }> {
  const secret = newSecret();
  const id = await upsertStation(sql, { ...s, credentialHash: digest(secret) });
  return { id, credential: `${s.code}:${secret}` };
}

/** Registers a new station; null when the code is already registered (it is never moved silently). */
export async function registerNewStation(
  sql: Sql,
  s: { code: string; name: string; address: string; wardId: number },
): Promise<{ id: string; credential: string } | null> {
  const secret = newSecret();
  const id = await insertStation(sql, { ...s, credentialHash: digest(secret) });
  return id ? { id, credential: `${s.code}:${secret}` } : null;
}

/** Replaces a station's credential; the old one stops working at once. */
export async function rotateStationCredential(sql: Sql, stationId: string): Promise<{ code: string; credential: string } | null> {
  const secret = newSecret();
  const code = await updateStationCredential(sql, stationId, digest(secret));
  return code ? { code, credential: `${code}:${secret}` } : null;
}

export function parseStationAuth(header: string | undefined): { code: string; secret: string } | null {
  const m = /^Station ([A-Za-z0-9._-]{1,64}):([A-Za-z0-9_-]{16,128})$/.exec(header ?? '');
  return m ? { code: m[1]!, secret: m[2]! } : null;
}

// A station's row while its query is in flight, shared by the requests that ask for it meanwhile:
// an agent's retries arrive together (a city-wide burst sent three copies of each SOS at once, and
// each asked the database the same thing). Nothing is kept once the query answers, so a rotated
// credential or a retired station holds for the next request.
const lookups = new WeakMap<Sql, Map<string, ReturnType<typeof activeStationByCode>>>();
function lookUp(sql: Sql, code: string): ReturnType<typeof activeStationByCode> {
  const inFlight: Map<string, ReturnType<typeof activeStationByCode>> = lookups.get(sql) ?? new Map();
  lookups.set(sql, inFlight);
  let row = inFlight.get(code);
  if (!row) {
    row = activeStationByCode(sql, code).finally(() => inFlight.delete(code));
    inFlight.set(code, row);
  }
  return row;
}

export async function stationByCredential(sql: Sql, header: string | undefined): Promise<Station | null> {
  const cred = parseStationAuth(header);
  if (!cred) return null;
  const row = await lookUp(sql, cred.code);
  if (!row || !timingSafeEqual(row.credentialHash, digest(cred.secret))) return null;
  const { credentialHash: _, ...station } = row;
  return station;
}

/** The calling station as its kiosk shows it. */
export async function stationView(sql: Sql, stationId: string): Promise<StationView> {
  const s = (await stationById(sql, stationId))!;
  return { station: { code: s.code, name: s.name, address: s.address, ward: s.wardName, city: s.city } };
}

/** The resident cancelled the SOS countdown at this station: counted once per idempotency key. */
export async function recordSosCancelled(sql: Sql, stationId: string, key: string, remainingMs: number): Promise<SosCancelledView> {
  return { cancelled: await insertSosCancellation(sql, stationId, key, remainingMs) };
}
