// All SQL the metrics read at scrape time: what PostgreSQL already knows is read, not counted twice.
import type { Sql } from '../db/client.ts';

export interface CallGauges {
  ringing: number;
  oldestRingingS: number;
  active: number;
}

export async function callGauges(sql: Sql): Promise<CallGauges> {
  const [r] = await sql<{ ringing: number; oldest: number | null; active: number }[]>`
    SELECT count(*) FILTER (WHERE status = 'ringing')::int AS ringing,
           extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'ringing'))::float8 AS oldest,
           count(*) FILTER (WHERE status = 'answered')::int AS active
    FROM calls WHERE status <> 'ended'`;
  return { ringing: r?.ringing ?? 0, oldestRingingS: r?.oldest ?? 0, active: r?.active ?? 0 };
}

/** Observations waiting to be forwarded to the upstream FHIR server (FHIR_UPSTREAM_URL). */
export async function upstreamQueueDepth(sql: Sql): Promise<number> {
  const [r] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM fhir_outbox`;
  return r?.n ?? 0;
}
