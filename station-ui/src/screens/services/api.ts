// The kiosk's calls for public services and payments, through the station agent's relay (it adds
// the station credential); every command carries an idempotency key the page keeps for retries.
import type { PayableView, PaymentView, PrefillView, ReceiptStatusView, SubmissionView } from '@tram/contracts';
import { agentHeaders } from '../../clients/agent.ts';

export interface Issue {
  path: string;
  message: string;
}
export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown, key?: string): Promise<T> {
  const r = await fetch(path, {
    method,
    headers: { ...agentHeaders(), 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const j = await r.json().catch(() => null);
  if (!r.ok) throw new HubError(r.status, j?.error?.code ?? 'error', j?.error?.message ?? String(r.status), j?.error?.issues ?? []);
  return j as T;
}

export interface Photo {
  document: string;
  contentType: 'image/jpeg';
  data: string;
}

export const newKey = () => crypto.randomUUID();
export const getPrefill = () => call<{ prefill: PrefillView }>('GET', '/api/services/prefill').then((r) => r.prefill);
export const statusByReceipt = (receipt: string, token: string) =>
  call<{ submissions: ReceiptStatusView[] }>('POST', '/api/services/status', { receipt, token }).then((r) => r.submissions);
export const getMine = () => call<{ submissions: SubmissionView[] }>('GET', '/api/services/mine').then((r) => r.submissions);
export const submitForm = (key: string, service: string, fields: Record<string, unknown>, attachments: Photo[]) =>
  call<{ submission: SubmissionView }>('POST', '/api/services/submissions', { service, fields, attachments }, key).then(
    (r) => r.submission,
  );
export const resubmitForm = (id: string, fields: Record<string, unknown>, attachments: Photo[]) =>
  call<{ submission: SubmissionView }>('POST', `/api/services/submissions/${id}/resubmit`, { fields, attachments }).then(
    (r) => r.submission,
  );
export const getPayment = (id: string) => call<{ payment: PaymentView }>('GET', `/api/payments/${id}`).then((r) => r.payment);
export const getFees = () => call<{ payables: PayableView[] }>('GET', '/api/payments/fees').then((r) => r.payables);
export const lookupBills = (provider: string, customerCode: string) =>
  call<{ payables: PayableView[] }>('POST', '/api/payments/bills/lookup', { provider, customerCode }).then((r) => r.payables);
export const startPayment = (key: string, payable: string) =>
  call<{ payment: PaymentView }>('POST', '/api/payments', { payable }, key).then((r) => r.payment);
