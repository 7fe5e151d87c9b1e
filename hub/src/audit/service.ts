// The identified resident's own access log, scoped to the citizen session open at the station now.
import type { HubDeps } from '../deps.ts';
import type { Station } from '../stations/store.ts';
import { participant, subject, type AccessLogView } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { touchActiveSession } from '../identity/store.ts';
import { insertAudit } from './store.ts';
import { breakGlassReasons, staffReadsOf, toEntries } from './citizen-log.ts';

export const ACCESS_LOG_DAYS = 90;

export async function accessLogOfCurrentCitizen(d: HubDeps, station: Station): Promise<Outcome<AccessLogView>> {
  const session = await touchActiveSession(d.sql, station.id, d.config.identity.idleS);
  if (!session) return fail(409, 'no_citizen_session', 'Identify with your ID card to see who read your information');
  const rows = await staffReadsOf(d.sql, session.citizenId, ACCESS_LOG_DAYS);
  const grants = new Set<string>();
  for (const r of rows) {
    const b = r.detail.basis;
    for (const v of typeof b === 'string' ? [b] : b && typeof b === 'object' ? Object.values(b) : [])
      if (typeof v === 'string' && v.startsWith('break-glass:')) grants.add(v.slice('break-glass:'.length));
  }
  const entries = toEntries(rows, session.citizenId, await breakGlassReasons(d.sql, [...grants]));
  await insertAudit(d.sql, {
    actor: participant.station(station.code),
    action: 'audit.self.read',
    subject: subject.citizen(session.citizenId),
    detail: { entries: entries.length },
  });
  return ok({ days: ACCESS_LOG_DAYS, entries });
}
