// "Who saw my information": the reads of one citizen's identity and health data by staff, from
// the audit trail, in words a resident can follow (who, when, which data, why).
import type { Sql } from '../db/client.ts';
import type { AccessLogEntry } from '@tram/contracts';

interface Row {
  at: Date;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  role: string | null;
  name: string | null;
  actor: string;
}

/** Staff reads about this citizen in the last `days` days, newest first (raw audit rows). */
export async function staffReadsOf(sql: Sql, citizenId: string, days: number): Promise<Row[]> {
  return sql<Row[]>`
    SELECT a.at, a.action, a.subject, a.detail, a.actor, s.role, s.display_name AS name
    FROM audit_log a LEFT JOIN staff s ON 'staff:' || s.username = a.actor
    WHERE a.at > now() - make_interval(days => ${days}) AND a.actor LIKE 'staff:%'
      AND a.action IN ('fhir.read', 'fhir.search', 'fhir.break_glass', 'call.medical.read', 'call.resident.read', 'consult.queue.read')
      AND a.detail->'patients' ? ${citizenId}
    ORDER BY a.at DESC LIMIT 1000`;
}

export async function breakGlassReasons(sql: Sql, grants: string[]): Promise<Map<string, string>> {
  if (!grants.length) return new Map();
  const rows = await sql<{ id: string; reason: string }[]>`SELECT id, reason FROM fhir_break_glass WHERE id = ANY(${grants}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.reason]));
}

const DATA_OF_TYPE: Record<string, AccessLogEntry['data']> = {
  Patient: 'identity',
  Observation: 'vitals',
  'Observation/$lastn': 'vitals',
  Encounter: 'visit_notes',
  ClinicalImpression: 'visit_notes',
};

/** The basis label an audit row gives for this citizen (reads: a string; searches: per patient). */
const basisOf = (detail: Record<string, unknown>, citizenId: string): string | undefined => {
  const b = detail.basis;
  return typeof b === 'string' ? b : b && typeof b === 'object' ? (b as Record<string, string>)[citizenId] : undefined;
};

/** Rows -> entries; repeated reads of the same kind by the same person within a minute show once. */
export function toEntries(rows: Row[], citizenId: string, reasons: Map<string, string>): AccessLogEntry[] {
  const out: AccessLogEntry[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const basis = basisOf(r.detail, citizenId);
    const grant = basis?.startsWith('break-glass:') ? basis.slice('break-glass:'.length) : undefined;
    let data: AccessLogEntry['data'], why: AccessLogEntry['why'];
    let reason: string | null = null;
    if (r.action === 'call.medical.read') [data, why] = ['medical_handover', 'emergency_call'];
    else if (r.action === 'call.resident.read') [data, why] = ['identity', 'emergency_call'];
    else if (r.action === 'consult.queue.read') [data, why] = ['waiting_room', 'waiting_room'];
    else if (r.action === 'fhir.break_glass') {
      [data, why] = ['identity', 'break_glass'];
      reason = typeof r.detail.reason === 'string' ? r.detail.reason : null;
    } else {
      const type = typeof r.detail.type === 'string' ? r.detail.type : r.subject.split('/')[0]!;
      data = DATA_OF_TYPE[type] ?? 'vitals';
      why = basis?.startsWith('consult:') ? 'consult' : grant ? 'break_glass' : 'other';
      if (grant) reason = reasons.get(grant) ?? null;
    }
    const key = `${r.actor}|${data}|${why}|${Math.floor(r.at.getTime() / 60_000)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ at: r.at.toISOString(), role: r.role ?? 'staff', name: r.name ?? r.actor.slice('staff:'.length), data, why, reason });
  }
  return out;
}
