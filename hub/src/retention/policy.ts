// How long each kind of record is kept (docs/retention.md), from the environment. Audit rows are
// kept longest: they are the evidence of who read what.
import { z } from 'zod';

const days = (def: number) => z.coerce.number().int().positive().default(def);
const env = z.object({
  RETENTION_CITIZEN_DAYS: days(5 * 365),
  RETENTION_OBSERVATION_DAYS: days(5 * 365),
  RETENTION_NOTE_DAYS: days(5 * 365),
  RETENTION_SESSION_DAYS: days(5 * 365),
  RETENTION_AUDIT_DAYS: days(10 * 365),
  RETENTION_TECHNICAL_DAYS: days(7),
  RETENTION_INTERVAL_MIN: z.coerce.number().positive().default(60),
});

export interface RetentionPolicy {
  citizenDays: number;
  observationDays: number;
  noteDays: number;
  sessionDays: number;
  auditDays: number;
  technicalDays: number;
  intervalMin: number;
}

export function retentionPolicy(source: NodeJS.ProcessEnv = process.env): RetentionPolicy {
  const e = env.parse(source);
  const p = {
    citizenDays: e.RETENTION_CITIZEN_DAYS,
    observationDays: e.RETENTION_OBSERVATION_DAYS,
    noteDays: e.RETENTION_NOTE_DAYS,
    sessionDays: e.RETENTION_SESSION_DAYS,
    auditDays: e.RETENTION_AUDIT_DAYS,
    technicalDays: e.RETENTION_TECHNICAL_DAYS,
    intervalMin: e.RETENTION_INTERVAL_MIN,
  };
  const longest = Math.max(p.citizenDays, p.observationDays, p.noteDays, p.sessionDays);
  if (p.auditDays < longest) throw new Error('RETENTION_AUDIT_DAYS must be at least as long as every other retention period');
  return p;
}
