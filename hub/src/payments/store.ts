// All SQL of payments: the apartment-fee ledger, payment requests (shown as VietQR codes) and
// bank-transfer notifications (each applied once, the rest kept for reconciliation).
import type { Sql, Tx } from '../db/client.ts';
import type { FeeLedgerEntry } from '@tram/contracts';

export interface PaymentRow {
  id: string;
  reference: string;
  station_id: string;
  citizen_id: string;
  payable: string;
  fee_id: string | null;
  amount_vnd: number;
  status: 'pending' | 'paid';
  created_at: Date;
  paid_at: Date | null;
}

export interface FeeRow {
  id: string;
  building: string;
  apartment: string;
  period: string;
  amount_vnd: number;
  resident_id_number: string;
  paid_at: Date | null;
  reference: string | null;
}

const FEES = (sql: Sql | Tx) => sql`
  SELECT f.id, f.building, f.apartment, f.period, f.amount_vnd, f.resident_id_number, p.paid_at, p.reference
  FROM apartment_fees f LEFT JOIN payment_requests p ON p.fee_id = f.id AND p.status = 'paid'`;

export async function upsertFee(
  sql: Sql,
  f: { building: string; apartment: string; period: string; amountVnd: number; residentIdNumber: string; enteredBy: string },
): Promise<string> {
  const [r] = await sql<{ id: string }[]>`
    INSERT INTO apartment_fees (building, apartment, period, amount_vnd, resident_id_number, entered_by)
    VALUES (${f.building}, ${f.apartment}, ${f.period}, ${f.amountVnd}, ${f.residentIdNumber}, ${f.enteredBy})
    ON CONFLICT (building, apartment, period) DO UPDATE SET amount_vnd = EXCLUDED.amount_vnd,
      resident_id_number = EXCLUDED.resident_id_number, entered_by = EXCLUDED.entered_by
    RETURNING id`;
  return r!.id;
}

export const feeLedger = (sql: Sql, period: string | undefined) =>
  sql<
    FeeRow[]
  >`${FEES(sql)} ${period ? sql`WHERE f.period = ${period}` : sql``} ORDER BY f.period DESC, f.building, f.apartment LIMIT 2000`;

export const feesOfResident = (sql: Sql, idNumber: string) =>
  sql<FeeRow[]>`${FEES(sql)} WHERE f.resident_id_number = ${idNumber} ORDER BY f.period DESC LIMIT 24`;

export async function feeById(sql: Sql | Tx, id: string): Promise<FeeRow | null> {
  const [r] = await sql<FeeRow[]>`${FEES(sql)} WHERE f.id = ${id}`;
  return r ?? null;
}

export const toLedgerEntry = (r: FeeRow): FeeLedgerEntry => ({
  id: r.id,
  building: r.building,
  apartment: r.apartment,
  period: r.period,
  amountVnd: r.amount_vnd,
  residentIdNumber: r.resident_id_number,
  paidAt: r.paid_at?.toISOString() ?? null,
  reference: r.reference,
});

export async function paymentByKey(sql: Sql, stationId: string, key: string): Promise<PaymentRow | null> {
  const [r] = await sql<PaymentRow[]>`SELECT * FROM payment_requests WHERE station_id = ${stationId} AND idempotency_key = ${key}`;
  return r ?? null;
}

export async function paymentById(sql: Sql, id: string): Promise<PaymentRow | null> {
  const [r] = await sql<PaymentRow[]>`SELECT * FROM payment_requests WHERE id = ${id}`;
  return r ?? null;
}

export async function insertPayment(
  sql: Sql,
  p: { reference: string; stationId: string; citizenId: string; key: string; payable: string; feeId: string | null; amountVnd: number },
): Promise<PaymentRow | null> {
  const [r] = await sql<PaymentRow[]>`
    INSERT INTO payment_requests (reference, station_id, citizen_id, idempotency_key, payable, fee_id, amount_vnd, status)
    VALUES (${p.reference}, ${p.stationId}, ${p.citizenId}, ${p.key}, ${p.payable}, ${p.feeId}, ${p.amountVnd}, 'pending')
    ON CONFLICT (station_id, idempotency_key) DO NOTHING RETURNING *`;
  return r ?? null;
}

export async function lockPaymentByReference(tx: Tx, reference: string): Promise<PaymentRow | null> {
  const [r] = await tx<PaymentRow[]>`SELECT * FROM payment_requests WHERE reference = ${reference} FOR UPDATE`;
  return r ?? null;
}

export async function feeAlreadyPaid(tx: Tx, feeId: string): Promise<boolean> {
  const [r] = await tx`SELECT 1 FROM payment_requests WHERE fee_id = ${feeId} AND status = 'paid'`;
  return !!r;
}

/** Records a notification once; false when this transaction reference was seen before (a retry). */
export async function insertTransfer(
  tx: Tx,
  t: { ref: string; provider: string; amountVnd: number; description: string; paymentId: string | null; outcome: string; payload: unknown },
): Promise<boolean> {
  const rows = await tx`
    INSERT INTO bank_transfers (transaction_ref, provider, amount_vnd, description, payment_id, outcome, payload)
    VALUES (${t.ref}, ${t.provider}, ${t.amountVnd}, ${t.description}, ${t.paymentId}, ${t.outcome}, ${tx.json(t.payload as never)})
    ON CONFLICT (transaction_ref) DO NOTHING RETURNING transaction_ref`;
  return rows.length === 1;
}

export async function markPaid(tx: Tx, id: string, transactionRef: string): Promise<PaymentRow | null> {
  const [r] = await tx<PaymentRow[]>`
    UPDATE payment_requests SET status = 'paid', paid_at = now(), transaction_ref = ${transactionRef}
    WHERE id = ${id} AND status = 'pending' RETURNING *`;
  return r ?? null;
}

export const reconciliation = (sql: Sql) =>
  sql<
    {
      transaction_ref: string;
      amount_vnd: number;
      description: string;
      outcome: string;
      received_at: Date;
      payment_reference: string | null;
    }[]
  >`
    SELECT t.transaction_ref, t.amount_vnd, t.description, t.outcome, t.received_at, p.reference AS payment_reference
    FROM bank_transfers t LEFT JOIN payment_requests p ON p.id = t.payment_id
    WHERE t.outcome <> 'applied' ORDER BY t.received_at DESC LIMIT 500`;

// --- reporting paid bills back to their provider (outbox) ---

export async function enqueueReport(tx: Tx, paymentId: string) {
  await tx`INSERT INTO payment_reports (payment_id) VALUES (${paymentId}) ON CONFLICT DO NOTHING`;
}

/** Takes one due report (SKIP LOCKED: any hub instance may send it, never two at once). */
export async function takeDueReport(tx: Tx): Promise<(PaymentRow & { attempts: number; transaction_ref: string }) | null> {
  const [r] = await tx<(PaymentRow & { attempts: number; transaction_ref: string })[]>`
    SELECT p.*, o.attempts FROM payment_reports o JOIN payment_requests p ON p.id = o.payment_id
    WHERE o.reported_at IS NULL AND o.next_at <= now()
    ORDER BY o.next_at LIMIT 1 FOR UPDATE OF o SKIP LOCKED`;
  return r ?? null;
}

export async function markReported(tx: Tx, paymentId: string, confirmation: string) {
  await tx`UPDATE payment_reports SET reported_at = now(), attempts = attempts + 1, last_error = NULL, confirmation = ${confirmation}
    WHERE payment_id = ${paymentId}`;
}

export async function markReportFailed(tx: Tx, paymentId: string, error: string, retryInS: number) {
  await tx`UPDATE payment_reports SET attempts = attempts + 1, last_error = ${error.slice(0, 500)},
    next_at = now() + make_interval(secs => ${retryInS}) WHERE payment_id = ${paymentId}`;
}

export async function reportedAt(sql: Sql, paymentId: string): Promise<Date | null> {
  const [r] = await sql<{ reported_at: Date | null }[]>`SELECT reported_at FROM payment_reports WHERE payment_id = ${paymentId}`;
  return r?.reported_at ?? null;
}
