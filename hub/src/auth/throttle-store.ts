// All SQL of login throttling (the policy is in throttle.ts).
import type { Sql } from '../db/client.ts';

/** Seconds until the first of these keys unlocks; 0 when none is locked. */
export async function lockedFor(sql: Sql, keys: string[]): Promise<number> {
  const [row] = await sql<{ s: number | null }[]>`
    SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS s
    FROM login_throttle WHERE key IN ${sql(keys)} AND locked_until > now()`;
  return row?.s ?? 0;
}

/** Counts a failure for a key (a new count once its window has passed); returns the count. */
export async function countFailure(sql: Sql, key: string, windowS: number): Promise<number> {
  const [row] = await sql<{ failures: number }[]>`
    INSERT INTO login_throttle AS t (key, failures, first_at) VALUES (${key}, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.first_at < now() - make_interval(secs => ${windowS}) THEN 1 ELSE t.failures + 1 END,
      first_at = CASE WHEN t.first_at < now() - make_interval(secs => ${windowS}) THEN now() ELSE t.first_at END
    RETURNING failures`;
  return row!.failures;
}

export async function lockKey(sql: Sql, key: string, seconds: number): Promise<void> {
  await sql`UPDATE login_throttle SET locked_until = now() + make_interval(secs => ${seconds}) WHERE key = ${key}`;
}

export async function clearFailures(sql: Sql, key: string): Promise<void> {
  await sql`DELETE FROM login_throttle WHERE key = ${key}`;
}
