// Retention: erasing a citizen on request (Decree 13/2023), and the purge that removes what has
// outlived its period. Both leave audit rows (who, when, why, what was removed); audit rows about
// the citizen keep the pseudonymous id, so the trail stays whole.
import type { HubDeps } from '../deps.ts';
import type { Staff } from '../auth/staff.ts';
import { participant, subject } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import type { RetentionPolicy } from './policy.ts';
import { citizenExists, eraseCitizenData, inactiveCitizens, purgeExpired, type Counts } from './store.ts';

async function erase(d: HubDeps, id: string, actor: string, reason: string): Promise<Counts> {
  return d.sql.begin(async (tx) => {
    // a live session or consult would be writing while we erase: the admin waits for it to end
    const [busy] = await tx<{ n: number }[]>`
      SELECT (SELECT count(*) FROM citizen_sessions WHERE citizen_id = ${id} AND ended_at IS NULL)
           + (SELECT count(*) FROM consults WHERE citizen_id = ${id} AND status IN ('waiting', 'in_call'))::int AS n`;
    if (busy!.n > 0) throw new Busy();
    const counts = await eraseCitizenData(tx, id);
    await insertAudit(tx, { actor, action: 'citizen.erase', subject: subject.citizen(id), detail: { reason, removed: counts } });
    return counts;
  });
}
class Busy extends Error {}

export async function eraseCitizen(
  d: HubDeps,
  admin: Staff,
  id: string,
  reason: string,
): Promise<Outcome<{ erased: string; removed: Counts }>> {
  const c = await citizenExists(d.sql, id);
  if (!c) return fail(404, 'not_found', 'No such citizen');
  if (c.erased) return fail(409, 'already_erased', 'This citizen was already erased');
  try {
    return ok({ erased: id, removed: await erase(d, id, participant.staff(admin.username), reason) });
  } catch (err) {
    if (err instanceof Busy) return fail(409, 'citizen_active', 'The citizen is at a station or in a consult now; erase once it has ended');
    throw err;
  }
}

/** One purge pass: inactive citizens erased, expired records removed; a summary audit row. */
export async function purgeOnce(d: HubDeps, p: RetentionPolicy = d.config.retention): Promise<Counts> {
  let citizens = 0;
  for (const id of await inactiveCitizens(d.sql, p.citizenDays)) {
    try {
      await erase(d, id, 'hub:retention', `no activity for ${p.citizenDays} days`);
      citizens++;
    } catch (err) {
      if (!(err instanceof Busy)) throw err;
    }
  }
  const counts = { citizens, ...(await d.sql.begin((tx) => purgeExpired(tx, p))) };
  if (Object.values(counts).some((x) => x > 0))
    await insertAudit(d.sql, { actor: 'hub:retention', action: 'retention.purge', subject: 'retention', detail: counts });
  return counts;
}

/** Runs the purge every RETENTION_INTERVAL_MIN minutes (any instance may; each statement is idempotent). */
export function startRetention(d: HubDeps, p: RetentionPolicy = d.config.retention): { stop(): void } {
  const run = () => purgeOnce(d, p).catch((err) => d.log.error({ err }, 'retention purge failed'));
  const first = setTimeout(run, 60_000);
  const every = setInterval(run, p.intervalMin * 60_000);
  first.unref();
  every.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
