// Paid bills reported back to their provider by two hubs on one database: each paid bill reaches
// the provider's adapter exactly once (the outbox rows are taken FOR UPDATE SKIP LOCKED), and every
// one of them is reported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, startTestHub } from './support/env.ts';
import { citizenSession } from './vitals-fixtures.ts';
import { payosNotification, startServiceAdapters } from '@tram/testing/services/adapters.ts';

const PAYOS_KEY = 'test-payos-checksum-key-reports-01';
const N = 12;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let hubs: Awaited<ReturnType<typeof startTestHub>>[] = [];
let adapters: Awaited<ReturnType<typeof startServiceAdapters>>;

before(async () => {
  db = await freshDatabase();
  const bills: Record<string, { billId: string; period: string; amountVnd: number; description: string }[]> = {};
  for (let i = 0; i < N; i++)
    bills[`water:NW${String(i).padStart(6, '0')}`] = [
      { billId: `HD-${i}`, period: '11/2025', amountVnd: 100_000 + i, description: `Tiền nước ${i}` },
    ];
  adapters = await startServiceAdapters({ bills });
  const env = { PAYOS_CHECKSUM_KEY: PAYOS_KEY, BILL_LOOKUP_URL: adapters.url, SERVICES_TICK_MS: '20', RATE_LIMIT_BURST: '10000' };
  // the second hub on a port of its own (LiveKit's webhooks go to the first)
  hubs = [await startTestHub(db.url, env), await startTestHub(db.url, { ...env, PORT: '0' })];
});
after(async () => {
  for (const h of hubs) await h.stop();
  await adapters?.close();
  await db?.drop();
});

test('two hubs report each paid bill to its provider exactly once', async () => {
  await citizenSession(db, db.demo.station.id, '079160001234');
  const station = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${hubs[0]!.url}${path}`, {
      method,
      headers: { authorization: `Station ${db.demo.station.credential}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const references: string[] = [];
  for (let i = 0; i < N; i++) {
    const { payables } = await (
      await station('POST', '/api/payments/bills/lookup', { provider: 'water', customerCode: `NW${String(i).padStart(6, '0')}` })
    ).json();
    const { payment } = await (
      await station('POST', '/api/payments', { payable: payables[0].id }, { 'idempotency-key': randomUUID() })
    ).json();
    references.push(payment.reference);
  }
  // the notifications arrive at either hub
  await Promise.all(
    references.map(async (ref, i) => {
      const r = await fetch(`${hubs[i % 2]!.url}/api/payments/payos/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payosNotification(PAYOS_KEY, { amount: 100_000 + i, description: ref })),
      });
      assert.equal(r.status, 200);
    }),
  );
  const deadline = Date.now() + 20_000;
  while (adapters.reports.length < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500)); // time for a second, wrong report to arrive
  assert.deepEqual(adapters.reports.map((r) => r.idempotencyKey).sort(), [...references].sort(), 'every paid bill reported');
  assert.equal(adapters.counts.reportCalls, N, 'and each exactly once: no hub sent one another hub was sending');
  const [open] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM payment_reports WHERE reported_at IS NULL`;
  assert.equal(open!.n, 0);
});
