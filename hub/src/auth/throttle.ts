// Login throttling, checked before any password is hashed: failures are counted per username and
// per client address in PostgreSQL (every hub instance sees them). Past a threshold the key is
// locked for a time that doubles with each further failure, up to 15 minutes. The per-username
// lock is short on purpose: an attacker can trigger it for an officer, so it must slow guessing
// without keeping the officer out for long.
import type { Sql } from '../db/client.ts';
import { countFailure, lockKey } from './throttle-store.ts';

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

/** Counts a failure for a key and locks it once past `threshold`; returns true when it just locked. */
export async function recordFailure(sql: Sql, key: string, threshold: number): Promise<boolean> {
  const failures = await countFailure(sql, key, THROTTLE.windowS);
  if (failures < threshold) return false;
  await lockKey(sql, key, Math.min(THROTTLE.maxLockS, 30 * 2 ** (failures - threshold)));
  return true;
}
