// The upstream FHIR exchange. As a client: forwards stored Observations to FHIR_UPSTREAM_URL with
// fhir-kit-client. The outbox row is written in the ingest transaction; an update by id (PUT) is
// idempotent at the upstream, so a retry after a lost answer never duplicates. Every hub instance
// runs the loop; the store's SKIP LOCKED gives each row to one of them. As an upstream: keeps the
// Observations other hubs PUT, validated like our own.
import { Client } from 'fhir-kit-client';
import type { HubDeps } from '../../deps.ts';
import { fail, ok, type Outcome } from '../../http/outcome.ts';
import { render } from '../store.ts';
import { validateObservation } from '../validate.ts';
import { deleteOutbox, lockDueOutbox, postponeOutbox, receivedVersion, upsertReceived } from './store.ts';
import { startTicker, type Ticker } from '../../jobs/ticker.ts';

/** Seconds before the next attempt after `attempts` failures: doubling, at most 5 minutes. */
export const backoffS = (attempts: number) => Math.min(2 ** attempts, 300);

/** Sends what is due; returns how many were delivered. */
export async function forwardDue(d: HubDeps, client: Client, batch = 50): Promise<number> {
  return d.sql.begin(async (tx) => {
    let delivered = 0;
    for (const row of await lockDueOutbox(tx, batch)) {
      try {
        await client.update({
          resourceType: 'Observation',
          id: row.id,
          body: render(row) as never,
          options: { signal: AbortSignal.timeout(5000) } as never,
        });
        await deleteOutbox(tx, row.id);
        delivered++;
      } catch (err) {
        await postponeOutbox(tx, row.id, String((err as Error)?.message ?? err).slice(0, 500), backoffS(row.attempts));
        // the upstream is likely down: leave the rest for the next round
        break;
      }
    }
    return delivered;
  });
}

export function startUpstreamForwarder(d: HubDeps, everyMs = 500): Ticker | undefined {
  const { url, token } = d.config.fhirUpstream;
  if (!url) return undefined;
  const client = new Client({ baseUrl: url, ...(token ? { bearerToken: token } : {}) });
  return startTicker({
    everyMs,
    log: d.log,
    failure: 'forwarding to the upstream FHIR server failed',
    step: () => forwardDue(d, client),
  });
}

/** An Observation PUT by another hub: validated, then kept (201 when new, 200 otherwise). */
export async function receiveObservation(
  d: HubDeps,
  id: string,
  body: Record<string, unknown>,
): Promise<Outcome<{ resource: Record<string, unknown>; created: boolean }>> {
  if (body?.resourceType !== 'Observation' || body.id !== id)
    return fail(400, 'invalid', 'Body must be an Observation whose id matches the URL');
  const { meta: _meta, ...resource } = body;
  const issues = validateObservation(resource);
  if (issues.length) return fail(422, 'invalid', 'The Observation is not valid', { issues });
  const row = await upsertReceived(d.sql, id, resource);
  const versionId = row ? row.version_id : (await receivedVersion(d.sql, id))!;
  return ok({ resource: { ...resource, meta: { versionId: String(versionId) } }, created: row?.inserted ?? false });
}
