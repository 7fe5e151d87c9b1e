// Paid bills are reported back to their provider through the bill adapter at BILL_LOOKUP_URL, in
// the format of docs/services.md ("Reporting a paid bill"): from an outbox filled in the same
// transaction that marks the payment paid, retried with backoff until the adapter confirms, rows
// taken SKIP LOCKED so any number of hubs report each once; the payment reference is the
// idempotency key, so a report the adapter already has is confirmed again, never paid twice.
import type { HubDeps } from '../deps.ts';
import { insertAudit } from '../audit/store.ts';
import { markReported, markReportFailed, takeDueReport } from './store.ts';
import { startTicker, type Ticker } from '../jobs/ticker.ts';

/** The body the adapter receives (docs/services.md). */
export interface PaidBillReport {
  provider: string;
  customerCode: string;
  billId: string;
  amountVnd: number;
  reference: string;
  transactionRef: string;
  paidAt: string;
}

async function reportOne(d: HubDeps, baseUrl: string): Promise<boolean> {
  return d.sql.begin(async (tx) => {
    const p = await takeDueReport(tx);
    if (!p) return false;
    const [, provider, customerCode, billId] = p.payable.split(':');
    const body: PaidBillReport = {
      provider: provider!,
      customerCode: customerCode!,
      billId: billId!,
      amountVnd: p.amount_vnd,
      reference: p.reference,
      transactionRef: p.transaction_ref,
      paidAt: p.paid_at!.toISOString(),
    };
    let confirmation: string | undefined;
    let error = '';
    try {
      const r = await fetch(`${baseUrl}/bills/paid`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': p.reference },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const j = (await r.json().catch(() => null)) as { confirmation?: unknown } | null;
      if ((r.ok || r.status === 409) && typeof j?.confirmation === 'string' && j.confirmation) confirmation = j.confirmation;
      else error = `HTTP ${r.status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    if (!confirmation) {
      await markReportFailed(tx, p.id, error, Math.min(300, 2 ** Math.min(p.attempts, 8)));
      return true;
    }
    await markReported(tx, p.id, confirmation);
    await insertAudit(tx, {
      actor: 'hub',
      action: 'payment.reported',
      subject: `payment:${p.id}`,
      detail: { reference: p.reference, provider, confirmation },
    });
    return true;
  });
}

export function startPaymentReporter(d: HubDeps): Ticker | undefined {
  const baseUrl = d.config.services.billLookupUrl;
  if (!baseUrl) return undefined;
  return startTicker({
    everyMs: d.config.services.tickMs,
    log: d.log,
    failure: 'reporting a paid bill failed',
    step: () => reportOne(d, baseUrl),
    maxPerTick: 50,
  });
}
