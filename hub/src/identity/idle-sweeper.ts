// Ends citizen sessions at stations that went quiet (the resident walked away with the card in).
import type { HubContext } from '../context.ts';
import { endIdleSessions } from './sessions.ts';

export function startIdleSweeper(ctx: HubContext, everyMs = 5000): { stop(): void } {
  const timer = setInterval(() => {
    endIdleSessions(ctx.sql, ctx.bus, ctx.config.identity.idleS).catch((err) => ctx.log.error({ err }, 'idle session sweep failed'));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
