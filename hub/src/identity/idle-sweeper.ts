// Ends citizen sessions at stations that went quiet (the resident walked away with the card in).
import type { HubDeps } from '../deps.ts';
import { endIdleSessions } from './service.ts';

export function startIdleSweeper(d: HubDeps, everyMs = 5000): { stop(): void } {
  const timer = setInterval(() => {
    endIdleSessions(d).catch((err) => d.log.error({ err }, 'idle session sweep failed'));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
