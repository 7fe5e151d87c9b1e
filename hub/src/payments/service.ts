// Payments at the station: the resident's apartment fees (from the ledger a building manager
// keeps) and looked-up bills are paid by bank transfer to a VietQR code carrying a reference; the
// aggregator's signed notification (payOS) marks the payment paid once, tells the kiosk at once
// (`payment.paid` on the station's topic), and anything that does not match goes to reconciliation.
import { randomBytes } from 'node:crypto';
import type { HubDeps } from '../deps.ts';
import type { Staff } from '../auth/staff.ts';
import type { Station } from '../stations/store.ts';
import {
  participant,
  subject,
  topic,
  type FeeEntryBody,
  type FeeLedgerEntry,
  type PayableView,
  type PaymentView,
  type PayosWebhook,
} from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { insertAudit } from '../audit/store.ts';
import { citizenById, touchActiveSession, type Citizen } from '../identity/store.ts';
import { vietQr } from './vietqr.ts';
import { payosVerify } from './payos.ts';
import { lookupBills } from './bills.ts';
import {
  feeAlreadyPaid,
  feeById,
  feeLedger,
  feesOfResident,
  insertPayment,
  insertTransfer,
  lockPaymentByReference,
  markPaid,
  paymentById,
  paymentByKey,
  reconciliation,
  enqueueReport,
  reportedAt,
  toLedgerEntry,
  upsertFee,
  type PaymentRow,
} from './store.ts';

const REFERENCE = /TRAM[A-Z0-9]{8}/;

function newReference(): string {
  const A = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return `TRAM${[...randomBytes(8)].map((b) => A[b % A.length]).join('')}`;
}

export function paymentView(d: HubDeps, p: PaymentRow, reported: Date | null = null): PaymentView {
  const payee = d.config.payments.payee;
  return {
    id: p.id,
    reference: p.reference,
    amountVnd: p.amount_vnd,
    status: p.status,
    vietqr: vietQr({ bankBin: payee.bankBin, account: payee.account, amountVnd: p.amount_vnd, purpose: p.reference }),
    payee,
    paidAt: p.paid_at?.toISOString() ?? null,
    reportedAt: reported?.toISOString() ?? null,
  };
}

async function identified(d: HubDeps, station: Station): Promise<Outcome<Citizen>> {
  const session = await touchActiveSession(d.sql, station.id, d.config.identity.idleS);
  const c = session ? await citizenById(d.sql, session.citizenId) : null;
  return c ? ok(c) : fail(409, 'no_citizen_session', 'Payments need the resident identified with their ID card');
}

/** The resident's apartment fees (an audited read of the ledger by ID number). */
export async function myFees(d: HubDeps, station: Station): Promise<Outcome<PayableView[]>> {
  const c = await identified(d, station);
  if (!c.ok) return c;
  await insertAudit(d.sql, {
    actor: participant.station(station.code),
    action: 'payment.fees.read',
    subject: subject.citizen(c.value.id),
    detail: { patients: [c.value.id] },
  });
  return ok(
    (await feesOfResident(d.sql, c.value.idNumber)).map((f) => ({
      id: `fee:${f.id}`,
      kind: 'apartment_fee' as const,
      title: `${f.building} · ${f.apartment}`,
      period: f.period,
      amountVnd: f.amount_vnd,
      paid: !!f.paid_at,
    })),
  );
}

export async function findBills(d: HubDeps, station: Station, provider: string, customerCode: string): Promise<Outcome<PayableView[]>> {
  const c = await identified(d, station);
  if (!c.ok) return c;
  if (!d.config.services.billLookupUrl) return fail(503, 'lookup_unavailable', 'Bill lookup is not configured (BILL_LOOKUP_URL)');
  const r = await lookupBills(d.config.services.billLookupUrl, provider, customerCode);
  if (r === 'not_found')
    return fail(404, 'no_such_customer', 'Không tìm thấy mã khách hàng này / No such customer code', {
      issues: [{ path: 'customerCode', message: 'Không tìm thấy mã này / No such customer code' }],
    });
  if (r === 'unavailable') return fail(503, 'lookup_unavailable', 'The bill lookup does not answer right now');
  return ok(
    r.bills.map((b) => ({
      id: `bill:${provider}:${customerCode}:${b.billId}`,
      kind: 'bill' as const,
      title: b.description,
      period: b.period,
      amountVnd: b.amountVnd,
      paid: false,
    })),
  );
}

/** A payment request for a payable, shown as a VietQR code (idempotent per key). */
export async function startPayment(
  d: HubDeps,
  station: Station,
  key: string,
  payable: string,
): Promise<Outcome<{ created: boolean; payment: PaymentView }>> {
  const existing = await paymentByKey(d.sql, station.id, key);
  if (existing) return ok({ created: false, payment: paymentView(d, existing) });
  const c = await identified(d, station);
  if (!c.ok) return c;
  let amount: number;
  let feeId: string | null = null;
  const [kind, ...rest] = payable.split(':');
  if (kind === 'fee') {
    const f = rest[0] && /^[0-9a-f-]{36}$/.test(rest[0]) ? await feeById(d.sql, rest[0]) : null;
    if (!f || f.resident_id_number !== c.value.idNumber) return fail(404, 'not_found', 'No such fee for this resident');
    if (f.paid_at) return fail(409, 'already_paid', 'This fee is already paid');
    amount = f.amount_vnd;
    feeId = f.id;
  } else if (kind === 'bill' && rest.length === 3) {
    const found = await findBills(d, station, rest[0]!, rest[1]!);
    if (!found.ok) return found;
    const bill = found.value.find((b) => b.id === payable);
    if (!bill) return fail(404, 'not_found', 'No such bill');
    amount = bill.amountVnd;
  } else
    return fail(400, 'invalid_request', 'payable: not a fee or a bill of this resident', {
      issues: [{ path: 'payable', message: 'unknown' }],
    });
  const row = await insertPayment(d.sql, {
    reference: newReference(),
    stationId: station.id,
    citizenId: c.value.id,
    key,
    payable,
    feeId,
    amountVnd: amount,
  });
  const p = row ?? (await paymentByKey(d.sql, station.id, key))!;
  return ok({ created: !!row, payment: paymentView(d, p) });
}

export async function paymentOfStation(d: HubDeps, station: Station, id: string): Promise<Outcome<PaymentView>> {
  const p = await paymentById(d.sql, id);
  if (!p || p.station_id !== station.id) return fail(404, 'not_found', 'No such payment');
  return ok(paymentView(d, p, await reportedAt(d.sql, p.id)));
}

export type NotificationOutcome = 'applied' | 'unmatched' | 'wrong_amount' | 'already_paid' | 'duplicate';

/**
 * A payOS notification: the signature is checked first (nothing is stored for a forged one);
 * then, once per transaction reference, it pays the payment its description names if the amount
 * is exactly right — otherwise it is kept for reconciliation.
 */
export async function receivePayos(d: HubDeps, n: PayosWebhook): Promise<Outcome<NotificationOutcome>> {
  const key = d.config.payments.payosChecksumKey;
  if (!key) return fail(503, 'not_configured', 'PAYOS_CHECKSUM_KEY is not set');
  if (!payosVerify(n.data, n.signature, key)) return fail(401, 'bad_signature', 'The notification signature does not match');
  const data = n.data;
  const ref = data.description.toUpperCase().match(REFERENCE)?.[0];
  return ok(
    await d.sql.begin(async (tx): Promise<NotificationOutcome> => {
      const p = ref ? await lockPaymentByReference(tx, ref) : null;
      let outcome: Exclude<NotificationOutcome, 'duplicate'> = 'unmatched';
      if (p) {
        if (p.status === 'paid' || (p.fee_id && (await feeAlreadyPaid(tx, p.fee_id)))) outcome = 'already_paid';
        else if (data.amount !== p.amount_vnd) outcome = 'wrong_amount';
        else outcome = 'applied';
      }
      const first = await insertTransfer(tx, {
        ref: data.reference,
        provider: 'payos',
        amountVnd: data.amount,
        description: data.description,
        paymentId: p?.id ?? null,
        outcome,
        payload: n,
      });
      if (!first) return 'duplicate';
      if (outcome === 'applied' && p) {
        await markPaid(tx, p.id, data.reference);
        // a utility bill is reported back to its provider (reporter.ts); a fee is the ledger's own
        if (p.payable.startsWith('bill:')) await enqueueReport(tx, p.id);
        await insertAudit(tx, {
          actor: 'provider:payos',
          action: 'payment.paid',
          subject: `payment:${p.id}`,
          detail: { reference: p.reference, amount: data.amount },
        });
        await d.bus.publish(tx, {
          topics: [topic.station(p.station_id)],
          type: 'payment.paid',
          data: { id: p.id, reference: p.reference, amountVnd: p.amount_vnd },
        });
      }
      return outcome;
    }),
  );
}

// --- the building manager's ledger ---

export async function enterFee(d: HubDeps, staff: Staff, b: FeeEntryBody): Promise<FeeLedgerEntry> {
  const id = await upsertFee(d.sql, { ...b, enteredBy: staff.id });
  await insertAudit(d.sql, {
    actor: participant.staff(staff.username),
    action: 'payment.fee.entered',
    subject: `fee:${id}`,
    detail: { ...b },
  });
  return toLedgerEntry((await feeById(d.sql, id))!);
}

export async function ledger(d: HubDeps, staff: Staff, period: string | undefined): Promise<FeeLedgerEntry[]> {
  await insertAudit(d.sql, {
    actor: participant.staff(staff.username),
    action: 'payment.ledger.read',
    subject: 'fee-ledger',
    detail: { period },
  });
  return (await feeLedger(d.sql, period)).map(toLedgerEntry);
}

export async function reconciliationList(d: HubDeps) {
  return (await reconciliation(d.sql)).map((r) => ({
    transactionRef: r.transaction_ref,
    amountVnd: r.amount_vnd,
    description: r.description,
    outcome: r.outcome,
    receivedAt: r.received_at.toISOString(),
    paymentReference: r.payment_reference,
  }));
}
