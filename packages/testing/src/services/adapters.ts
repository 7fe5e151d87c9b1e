// Test adapters for public services, speaking the formats of docs/services.md over HTTP: the
// forwarding adapter (POST /submissions → {reference}), the bill-lookup adapter (POST
// /bills/lookup → {bills}), and a payOS-like aggregator that signs its payment notifications
// (HMAC-SHA256 over the sorted key=value of `data`) and retries them until the hub answers 2xx.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

const readJson = (req: IncomingMessage): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });

export interface ReceivedSubmission {
  idempotencyKey: string;
  authorization: string | undefined;
  body: {
    receipt: string;
    service: string;
    applicant: { idNumber: string; fullName: string };
    fields: Record<string, unknown>;
    attachments: { document: string; contentType: string; data: string }[];
  };
}

export interface Bill {
  billId: string;
  period: string;
  amountVnd: number;
  description: string;
}

/** A paid bill reported back (POST /bills/paid), as the adapter received it. */
export interface ReceivedReport {
  idempotencyKey: string;
  body: {
    provider: string;
    customerCode: string;
    billId: string;
    amountVnd: number;
    reference: string;
    transactionRef: string;
    paidAt: string;
  };
}

/** One HTTP server playing the forwarding adapter and the bill adapter (lookup and paid reports). */
export async function startServiceAdapters(o: { bills?: Record<string, Bill[]>; failFirst?: number; failReportsFirst?: number } = {}) {
  const received: ReceivedSubmission[] = [];
  /** Every paid-bill report, once per idempotency key; `reportCalls` counts the attempts. */
  const reports: ReceivedReport[] = [];
  const confirmations = new Map<string, string>();
  const counts = { reportCalls: 0 };
  let reportFailures = o.failReportsFirst ?? 0;
  const references = new Map<string, string>();
  let failures = o.failFirst ?? 0;
  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    try {
      if (req.method === 'POST' && req.url === '/submissions') {
        const body = (await readJson(req)) as ReceivedSubmission['body'];
        if (failures > 0) {
          failures--;
          return send(503, { error: 'try later' });
        }
        const key = String(req.headers['idempotency-key']);
        if (!references.has(key)) {
          references.set(key, `LT-${randomUUID().slice(0, 8).toUpperCase()}`);
          received.push({ idempotencyKey: key, authorization: req.headers.authorization, body });
        }
        return send(201, { reference: references.get(key) });
      }
      if (req.method === 'POST' && req.url === '/bills/paid') {
        const body = (await readJson(req)) as ReceivedReport['body'];
        counts.reportCalls++;
        if (reportFailures > 0) {
          reportFailures--;
          return send(503, { error: 'try later' });
        }
        const key = String(req.headers['idempotency-key']);
        if (confirmations.has(key)) return send(409, { confirmation: confirmations.get(key) });
        confirmations.set(key, `XN-${randomUUID().slice(0, 8).toUpperCase()}`);
        reports.push({ idempotencyKey: key, body });
        return send(201, { confirmation: confirmations.get(key) });
      }
      if (req.method === 'POST' && req.url === '/bills/lookup') {
        const b = (await readJson(req)) as { provider: string; customerCode: string };
        const bills = o.bills?.[`${b.provider}:${b.customerCode}`];
        if (!bills) return send(404, { error: 'no such customer' });
        return send(200, { customerName: 'NGUYEN VAN A', bills });
      }
      send(404, { error: 'not found' });
    } catch {
      send(400, { error: 'bad request' });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, reports, counts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const signaturePayload = (data: Record<string, unknown>) =>
  Object.keys(data)
    .sort()
    .map(
      (k) =>
        `${k}=${data[k] === null || data[k] === undefined ? '' : typeof data[k] === 'object' ? JSON.stringify(data[k]) : String(data[k])}`,
    )
    .join('&');

/** A payOS payment notification, signed with `checksumKey` (or `forgeWith` another key). */
export function payosNotification(
  checksumKey: string,
  o: { amount: number; description: string; reference?: string; orderCode?: number },
  forgeWith?: string,
) {
  const data = {
    orderCode: o.orderCode ?? Math.floor(Math.random() * 1e9),
    amount: o.amount,
    description: o.description,
    accountNumber: '113366668888',
    reference: o.reference ?? `FT${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    transactionDateTime: new Date().toISOString().replace('T', ' ').slice(0, 19),
    currency: 'VND',
    paymentLinkId: randomUUID().replace(/-/g, ''),
    code: '00',
    desc: 'success',
    counterAccountBankId: '970415',
    counterAccountBankName: 'VietinBank',
    counterAccountName: 'NGUYEN VAN A',
    counterAccountNumber: '0011001932418',
    virtualAccountName: null,
    virtualAccountNumber: null,
  };
  const signature = createHmac('sha256', forgeWith ?? checksumKey)
    .update(signaturePayload(data))
    .digest('hex');
  return { code: '00', desc: 'success', success: true, data, signature };
}

/** Delivers a notification like the aggregator does: retried (backoff) until a 2xx answer. */
export async function deliverWithRetries(url: string, body: unknown, o: { tries?: number; delayMs?: number } = {}) {
  let last = 0;
  for (let i = 0; i < (o.tries ?? 20); i++) {
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      last = r.status;
      const j = await r.json().catch(() => null);
      if (r.ok) return { status: r.status, body: j, attempts: i + 1 };
    } catch {
      last = 0;
    }
    await new Promise((r) => setTimeout(r, o.delayMs ?? 200));
  }
  return { status: last, body: null, attempts: o.tries ?? 20 };
}
