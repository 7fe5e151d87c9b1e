// Operator actions on stations, each audited.
import type { HubDeps } from '../deps.ts';
import type { Staff } from '../auth/staff.ts';
import { participant, subject } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { wardExists } from '../stations/store.ts';
import { registerNewStation, rotateStationCredential } from '../stations/service.ts';

export async function registerStationAsAdmin(
  d: HubDeps,
  admin: Staff,
  s: { code: string; name: string; address: string; wardId: number },
): Promise<Outcome<{ stationId: string; credential: string }>> {
  if (!(await wardExists(d.sql, s.wardId))) return fail(400, 'invalid_request', 'Unknown wardId');
  const r = await registerNewStation(d.sql, s);
  if (!r) return fail(409, 'station_exists', 'A station with this code is already registered; rotate its credential instead');
  await insertAudit(d.sql, { actor: participant.staff(admin.username), action: 'station.register', subject: subject.station(s.code) });
  return ok({ stationId: r.id, credential: r.credential });
}

export async function rotateCredentialAsAdmin(d: HubDeps, admin: Staff, stationId: string): Promise<Outcome<{ credential: string }>> {
  const r = await rotateStationCredential(d.sql, stationId);
  if (!r) return fail(404, 'not_found', 'No such station');
  await insertAudit(d.sql, {
    actor: participant.staff(admin.username),
    action: 'station.rotate_credential',
    subject: subject.station(r.code),
  });
  return ok({ credential: r.credential });
}
