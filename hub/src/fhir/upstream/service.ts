// Forwards stored Observations to an upstream FHIR server (FHIR_UPSTREAM_URL) with
// fhir-kit-client. The outbox row is written in the ingest transaction; an update by id (PUT) is
// idempotent at the upstream, so a retry after a lost answer never duplicates. Every hub instance
// runs the loop; SKIP LOCKED gives each row to one of them.
import { Client } from 'fhir-kit-client';
import type { HubContext } from '../context.ts';
import type { Sql, Tx } from '../db/client.ts';
import { render, type Row } from './store.ts';

export async function enqueueForUpstream(tx: Sql | Tx, observationIds: string[]): Promise<void> {
  if (!observationIds.length) return;
  await tx`INSERT INTO fhir_outbox (observation_id) SELECT * FROM unnest(${observationIds}::uuid[]) ON CONFLICT DO NOTHING`;
}

const backoffS = (attempts: number) => Math.min(2 ** attempts, 300);

/** Sends what is due; returns how many were delivered. */
export async function forwardDue(ctx: HubContext, client: Client, batch = 50): Promise<number> {
  return ctx.sql.begin(async (tx) => {
    const due = await tx<(Row & { attempts: number })[]>`
      SELECT o.id, o.version_id, o.last_updated, o.resource, x.attempts
      FROM fhir_outbox x JOIN fhir_observations o ON o.id = x.observation_id
      WHERE x.next_attempt_at <= now() ORDER BY x.enqueued_at LIMIT ${batch} FOR UPDATE OF x SKIP LOCKED`;
    let delivered = 0;
    for (const row of due) {
      try {
        await client.update({ resourceType: 'Observation', id: row.id, body: render(row) as never, options: { signal: AbortSignal.timeout(5000) } as never });
        await tx`DELETE FROM fhir_outbox WHERE observation_id = ${row.id}`;
        delivered++;
      } catch (err) {
        const message = String((err as Error)?.message ?? err).slice(0, 500);
        await tx`UPDATE fhir_outbox SET attempts = attempts + 1, last_error = ${message},
                   next_attempt_at = now() + make_interval(secs => ${backoffS(row.attempts)}) WHERE observation_id = ${row.id}`;
        // the upstream is likely down: leave the rest for the next round
        break;
      }
    }
    return delivered;
  });
}

export function startUpstreamForwarder(ctx: HubContext, everyMs = 500): { stop(): Promise<void> } | undefined {
  const { url, token } = ctx.config.fhirUpstream;
  if (!url) return undefined;
  const client = new Client({ baseUrl: url, ...(token ? { bearerToken: token } : {}) });
  let stopped = false, timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      while (!stopped && (await forwardDue(ctx, client)) > 0) { /* drain */ }
    } catch (err) { ctx.log.error({ err }, 'forwarding to the upstream FHIR server failed'); }
    if (!stopped) timer = setTimeout(() => { current = tick(); }, everyMs);
  };
  current = tick();
  return { async stop() { stopped = true; clearTimeout(timer); await current; } };
}
