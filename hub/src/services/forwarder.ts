// The outbox of forwarded services (e.g. birth registration to the joint civil-status system):
// each submission is POSTed to the adapter at SERVICES_FORWARD_URL in the format of
// docs/services.md ("Forwarding adapter"), retried with backoff until the adapter answers with a
// reference, and delivered once (the receipt is the idempotency key; rows are taken SKIP LOCKED).
import type { HubDeps } from '../deps.ts';
import { citizenById } from '../identity/store.ts';
import { stationById } from '../stations/store.ts';
import { topic } from '@tram/contracts';
import { open } from './seal.ts';
import {
  attachmentById,
  attachmentsOf,
  insertServiceEvent,
  markForwarded,
  markForwardFailed,
  markStatus,
  submissionById,
  takeDueForward,
} from './store.ts';
import { startTicker, type Ticker } from '../jobs/ticker.ts';

/** The body the adapter receives (docs/services.md). */
export interface ForwardedSubmission {
  receipt: string;
  service: string;
  authority: string;
  submittedAt: string;
  promisedBy: string;
  station: { code: string; name: string };
  applicant: { idNumber: string; fullName: string; dateOfBirth: string | null };
  fields: Record<string, unknown>;
  attachments: { document: string; contentType: string; data: string }[];
}

async function forwardOne(d: HubDeps): Promise<boolean> {
  const { forwardUrl, forwardToken } = d.config.services;
  return d.sql.begin(async (tx) => {
    const due = await takeDueForward(tx);
    if (!due) return false;
    const s = (await submissionById(tx, due.submission_id))!;
    const [citizen, station] = await Promise.all([citizenById(tx, s.citizen_id), stationById(tx, s.station_id)]);
    const atts = [];
    for (const a of (await attachmentsOf(tx, [s.id])).get(s.id) ?? []) {
      const row = await attachmentById(d.sql, s.id, a.id);
      if (row && d.config.services.attachmentKey)
        atts.push({
          document: a.document,
          contentType: row.content_type,
          data: open(d.config.services.attachmentKey, row.sealed, row.id).toString('base64'),
        });
    }
    const body: ForwardedSubmission = {
      receipt: s.receipt,
      service: s.service,
      authority: s.authority,
      submittedAt: s.submitted_at.toISOString(),
      promisedBy: s.promised_by.toISOString(),
      station: { code: station!.code, name: station!.name },
      applicant: { idNumber: citizen!.idNumber, fullName: citizen!.fullName, dateOfBirth: citizen!.dateOfBirth },
      fields: s.fields,
      attachments: atts,
    };
    let reference: string | undefined;
    let error = '';
    try {
      const r = await fetch(`${forwardUrl}/submissions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': s.receipt,
          ...(forwardToken ? { authorization: `Bearer ${forwardToken}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const j = (await r.json().catch(() => null)) as { reference?: unknown } | null;
      if ((r.ok || r.status === 409) && typeof j?.reference === 'string' && j.reference) reference = j.reference;
      else error = `HTTP ${r.status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    if (!reference) {
      await markForwardFailed(tx, s.id, error, Math.min(300, 2 ** Math.min(due.attempts, 8)));
      await insertServiceEvent(tx, s.id, 'forward_failed', 'hub', error.slice(0, 200));
      return true;
    }
    await markForwarded(tx, s.id);
    await markStatus(tx, s.id, ['submitted'], 'forwarded', { reference });
    await insertServiceEvent(tx, s.id, 'forwarded', 'hub', reference);
    await d.bus.publish(tx, { topics: [topic.ward(s.ward_id)], type: 'service.changed', data: { id: s.id, status: 'forwarded' } });
    return true;
  });
}

export function startServiceForwarder(d: HubDeps): Ticker | undefined {
  if (!d.config.services.forwardUrl) return undefined;
  return startTicker({
    everyMs: d.config.services.tickMs,
    log: d.log,
    failure: 'forwarding a public-service submission failed',
    step: () => forwardOne(d),
    maxPerTick: 50,
  });
}
