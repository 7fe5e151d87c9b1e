// Login throttling, checked before any password is hashed: failures are counted per username and
// per client address in PostgreSQL (every hub instance sees them). Past a threshold the key is
// locked for a time that doubles with each further failure, up to 15 minutes. The per-username
// lock is short on purpose: an attacker can trigger it for an officer, so it must slow guessing
// without keeping the officer out for long.
import type { Sql } from '../db/client.ts';

export const THROTTLE = {
  windowS: 15 * 60,
  maxLockS: 15 * 60,
  user: 5,
  address: 30,
} as const;

export const throttleKeys = (username: string, address: string) => ({
  user: `user:${username.toLowerCase()}`,
  address: `ip:${address}`,
});

/** Seconds until the first of these keys unlocks; 0 when none is locked. */
export async function lockedFor(sql: Sql, keys: string[]): Promise<number> {
  const [row] = await sql<{ s: number | null }[]>`
    SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS s
    FROM login_throttle WHERE key IN ${sql(keys)} AND locked_until > now()`;
  return row?.s ?? 0;
}

/** Counts a failure for a key and locks it once past `threshold`; returns true when it just locked. */
export async function recordFailure(sql: Sql, key: string, threshold: number): Promise<boolean> {
  const [row] = await sql<{ failures: number }[]>`
    INSERT INTO login_throttle AS t (key, failures, first_at) VALUES (${key}, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.first_at < now() - make_interval(secs => ${THROTTLE.windowS}) THEN 1 ELSE t.failures + 1 END,
      first_at = CASE WHEN t.first_at < now() - make_interval(secs => ${THROTTLE.windowS}) THEN now() ELSE t.first_at END
    RETURNING failures`;
  const failures = row!.failures;
  if (failures < threshold) return false;
  const lockS = Math.min(THROTTLE.maxLockS, 30 * 2 ** (failures - threshold));
  await sql`UPDATE login_throttle SET locked_until = now() + make_interval(secs => ${lockS}) WHERE key = ${key}`;
  return true;
}

export async function clearFailures(sql: Sql, key: string): Promise<void> {
  await sql`DELETE FROM login_throttle WHERE key = ${key}`;
}
