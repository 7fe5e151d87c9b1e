// The officer's side of public services in the real police console (headless Chromium): the
// ward police officer sees the application with the resident's photo, returns it with a reason,
// approves the corrected one and marks it done with a reference; a commune officer sees only the
// commune's applications; the building manager enters a fee and sees it paid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { freshDatabase, startTestHub } from './support/env.ts';
import { launchChromium, screenshot, staffPage } from './support/browser.ts';
import { citizenSession } from './vitals-fixtures.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { createStaff } from '../src/auth/service.ts';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('PHOTO '.repeat(50)), Buffer.from([0xff, 0xd9])]);
let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let browser: Browser;

before(async () => {
  db = await freshDatabase();
  await createStaff(db.sql, {
    username: 'canbo.xa',
    displayName: 'Cán bộ xã',
    role: 'commune_officer',
    password: DEMO_PASSWORD,
    wardIds: [db.demo.wardId],
  });
  await createStaff(db.sql, { username: 'bql.toa', displayName: 'BQL tòa A', role: 'building_manager', password: DEMO_PASSWORD });
  hub = await startTestHub(db.url, { RATE_LIMIT_BURST: '10000' });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await hub?.stop();
  await db?.drop();
});

const station = (method: string, path: string, body?: unknown) =>
  fetch(`${hub.url}${path}`, {
    method,
    headers: {
      authorization: `Station ${db.demo.station.credential}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

test('police console: review queue — photo, return with a reason, approve, done with a reference', async (t) => {
  await citizenSession(db, db.demo.station.id, '079160001234');
  const r = await station('POST', '/api/services/submissions', {
    service: 'temporary_residence',
    fields: {
      address: 'Căn hộ A-1203',
      headName: 'Trần Văn Bình',
      relationship: 'parent',
      headIdNumber: '079080009999',
      request: 'Tạm trú cho mẹ',
      phone: '0903123456',
    },
    attachments: [{ document: 'residence_proof', contentType: 'image/jpeg', data: JPEG.toString('base64') }],
  });
  const { submission } = await r.json();
  assert.equal(r.status, 201);
  const page = await staffPage(browser, `${hub.url}/police/`, 'canbo.an', DEMO_PASSWORD);
  // an officer's console opens on calls; applications have their own tab
  await page.getByRole('button', { name: 'Hồ sơ dịch vụ công' }).click();
  t.after(() => screenshot(page, 'police-declarations-last').catch(() => {}));
  const app = page.locator(`[data-receipt="${submission.receipt}"]`);
  await app.getByText('Nguyễn Thị Mai (079160001234)').waitFor({ timeout: 15_000 });
  await app.getByText('Trần Văn Bình').waitFor();
  assert.equal(await app.locator('img.attachment').count(), 1);
  await app.getByLabel(/Lý do trả lại/).fill('Thiếu số định danh đúng của chủ hộ');
  await app.getByRole('button', { name: /Trả lại/ }).click();
  await page.locator(`[data-receipt="${submission.receipt}"][data-status="returned"]`).waitFor();
  await screenshot(page, 'police-declarations-returned');
  // the resident fixes it at the kiosk
  assert.equal(
    (await station('POST', `/api/services/submissions/${submission.id}/resubmit`, { fields: { headIdNumber: '079080001111' } })).status,
    200,
  );
  await page.reload();
  await page.getByRole('button', { name: 'Hồ sơ dịch vụ công' }).click();
  await app.getByRole('button', { name: /Duyệt/ }).click();
  await page.locator(`[data-receipt="${submission.receipt}"][data-status="approved"]`).waitFor();
  await app.getByLabel(/Số văn bản/).fill('XN-123/2025');
  await app.getByRole('button', { name: /Xong/ }).click();
  await page.locator(`[data-receipt="${submission.receipt}"][data-status="done"]`).waitFor();
  const actions = await db.sql<
    { action: string }[]
  >`SELECT action FROM audit_log WHERE subject = ${`service:${submission.id}`} ORDER BY id`;
  assert.ok(
    actions.some((a) => a.action === 'service.attachment.read'),
    'the photo view is audited',
  );
  assert.deepEqual(
    actions.filter((a) => a.action !== 'service.attachment.read').map((a) => a.action),
    ['service.returned', 'service.approved', 'service.done'],
  );
  // the commune officer does not see the police's application
  const commune = await staffPage(browser, `${hub.url}/police/`, 'canbo.xa', DEMO_PASSWORD);
  await commune.getByText('Không có hồ sơ').waitFor({ timeout: 15_000 });
  await commune.context().close();
  await page.context().close();
});

test('commune officer: a new and a resubmitted application appear live, without a reload', async (t) => {
  const page = await staffPage(browser, `${hub.url}/police/`, 'canbo.xa', DEMO_PASSWORD);
  // node:test runs these in the order they are added: the screenshot before the page closes
  t.after(() => screenshot(page, 'commune-live-last').catch(() => {}));
  t.after(() => page.context().close());
  await page.getByText('Không có hồ sơ').waitFor({ timeout: 15_000 });
  await citizenSession(db, db.demo.station.id, '079160001234');
  const r = await station('POST', '/api/services/submissions', {
    service: 'marital_status',
    fields: { status: 'single', purpose: 'Đăng ký kết hôn', phone: '0903123456' },
  });
  assert.equal(r.status, 201);
  const { submission } = await r.json();
  // the queue refetches every 15 s; the event makes it appear far sooner
  const app = page.locator(`[data-receipt="${submission.receipt}"][data-status="submitted"]`);
  const t0 = Date.now();
  await app.waitFor({ timeout: 5000 });
  t.diagnostic(`submitted → on the commune officer's screen: ${Date.now() - t0} ms`);
  await app.getByLabel(/Lý do trả lại/).fill('Ghi rõ mục đích sử dụng');
  await app.getByRole('button', { name: /Trả lại/ }).click();
  await page.locator(`[data-receipt="${submission.receipt}"][data-status="returned"]`).waitFor();
  const fix = await station('POST', `/api/services/submissions/${submission.id}/resubmit`, {
    fields: { purpose: 'Đăng ký kết hôn tại UBND phường' },
  });
  assert.equal(fix.status, 200);
  await page.locator(`[data-receipt="${submission.receipt}"][data-status="submitted"]`).waitFor({ timeout: 5000 });
  await page.getByText('Đăng ký kết hôn tại UBND phường').waitFor({ timeout: 5000 });
  await screenshot(page, 'commune-live');
});

test('building manager: enters a month’s fee and sees who paid', async () => {
  const page = await staffPage(browser, `${hub.url}/police/`, 'bql.toa', DEMO_PASSWORD);
  await page.getByRole('heading', { name: /Phí quản lý chung cư/ }).waitFor({ timeout: 15_000 });
  await page.getByLabel(/Tháng/).fill('2025-11');
  await page.getByLabel('Tòa', { exact: true }).fill('A');
  await page.getByLabel('Căn hộ', { exact: true }).fill('A-1203');
  await page.getByLabel('Số tiền', { exact: true }).fill('850000');
  await page.getByLabel('Số định danh', { exact: true }).fill('079160001234');
  await page.getByRole('button', { name: /Ghi phí/ }).click();
  await page.locator('[data-apartment="A-1203"]').getByText('Chưa', { exact: true }).waitFor();
  await screenshot(page, 'police-fee-ledger');
  await page.context().close();
});
