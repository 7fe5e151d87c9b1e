// Public services and a payment as an elderly resident meets them, through every real part: the
// kiosk in Chromium (fake camera), the station agent, pcscd with a virtual CCCD, the hub and
// PostgreSQL. Temporary residence for a relative with one photo → a wrong phone number is shown
// next to its field and nothing is stored → receipt with a QR → the officer returns it with a
// reason → the resident fixes it and sends it again → approved → the status at the next card
// insert. Then the apartment fee paid by VietQR: "Đã thanh toán" within a second of the bank's
// signed notification.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { type freshDatabase, login, type startTestHub } from '../../hub/test/support/env.ts';
import { screenshot } from '../../hub/test/support/browser.ts';
import type { RunningAgent } from '@tram/station-agent/gateway/server.ts';
import { VpcdCard } from '@tram/testing/card/vpcd-card.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';
import { startCardKiosk } from './kiosk-support.ts';
import { payosNotification } from '@tram/testing/services/adapters.ts';
import { DEMO_PASSWORD } from '../../hub/src/seed.ts';
import { createStaff } from '../../hub/src/auth/service.ts';

const PAYOS_KEY = 'kiosk-test-payos-checksum-key-01';
let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let agent: RunningAgent;
let browser: Browser;
let page: Page;
let police: string;
const vc = virtualCccd({ cardAccess: true });
const vpcdPort = Number(process.env.TRAM_TEST_VPCD_PORT ?? 35963);

let stack: Awaited<ReturnType<typeof startCardKiosk>>;
before(async () => {
  stack = await startCardKiosk('kiosk-svc', vc.doc.cscaPem, {
    hubEnv: { PAYOS_CHECKSUM_KEY: PAYOS_KEY, RATE_LIMIT_BURST: '10000' },
    beforeHub: async (fresh: { sql: Parameters<typeof createStaff>[0] }) => {
      await createStaff(fresh.sql, { username: 'bql.toa', displayName: 'BQL tòa A', role: 'building_manager', password: DEMO_PASSWORD });
    },
  });
  ({ db, hub, agent, browser } = stack);
  police = await login(hub.url, 'canbo.an', DEMO_PASSWORD);
  page = await (await browser.newContext({ viewport: { width: 1080, height: 1920 } })).newPage();
  await page.goto(agent.url);
});
after(() => stack?.stop());

const staffCall = (cookie: string, method: string, path: string, body?: unknown) =>
  fetch(`${hub.url}${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function identify(card: VpcdCard) {
  await card.insert();
  await page.getByRole('heading', { name: 'Nhập 6 số cuối của số thẻ căn cước' }).waitFor({ timeout: 15_000 });
  for (const d of vc.doc.can) await page.getByRole('button', { name: d, exact: true }).click();
  await page.getByRole('button', { name: 'Xác nhận' }).click();
  await page.getByRole('heading', { name: /Xin chào/ }).waitFor({ timeout: 15_000 });
}

const next = () => page.locator('button.next').click();
const submissions = async () => (await db.sql`SELECT count(*)::int AS n FROM service_submissions`)[0]!.n as number;

test('temporary residence for a relative: wrong phone shown at its field, receipt, returned, fixed, approved, status at the next visit', async (t) => {
  t.after(() => screenshot(page, 'kiosk-services-last').catch(() => {}));
  const card = new VpcdCard({ chip: vc.chip, port: vpcdPort });
  await page.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 15_000 });
  await identify(card);
  try {
    await page
      .getByRole('button', { name: /Dịch vụ công/ })
      .first()
      .click();
    // the category view, then search with the on-screen keyboard in Telex: "taj" → "tạ"
    await page.getByRole('button', { name: 'Cư trú' }).click();
    await page.getByRole('textbox', { name: 'Tìm dịch vụ' }).click();
    for (const k of 'taj') await page.locator(`.search .osk-key[data-key="${k}"]`).click();
    assert.equal(await page.getByRole('textbox', { name: 'Tìm dịch vụ' }).inputValue(), 'Tạ');
    await page.locator('[data-service="temporary_residence"]').click();
    // two sentences before any form
    await page.getByText('Đăng ký tạm trú cho bạn hoặc người thân').waitFor();
    await page.getByText('3 ngày làm việc').first().waitFor();
    await page.getByRole('button', { name: 'Bắt đầu' }).click();
    // prefilled from the chip, not asked
    await page.getByText('Lấy từ thẻ căn cước của bạn').waitFor();
    await page.getByText('001195001234').waitFor();
    // one question per screen
    await page.locator('#f-address').fill('Căn hộ A-1203, 12 Nguyễn Huệ');
    await next();
    // the household head's name typed on the on-screen keyboard in Telex
    await page.locator('#f-headName').click();
    for (const k of 'Traanf Vawn Binhf') {
      if (k === ' ') await page.locator('.osk-key.space').click();
      else {
        const key = page.locator(`.osk-key[data-key="${k.toLowerCase()}"]`);
        const shifted = (await key.textContent()) === k.toLowerCase().toUpperCase();
        // the keyboard starts a field in capitals; ⇧ toggles for one letter
        if ((k === k.toUpperCase()) !== shifted) await page.locator('.osk-key.wide-key', { hasText: '⇧' }).click();
        await key.click();
      }
    }
    assert.equal(await page.locator('#f-headName').inputValue(), 'Trần Văn Bình');
    await next();
    await page.getByRole('button', { name: 'Bố/mẹ' }).click();
    await next();
    await page.locator('#f-headIdNumber').fill('079080009999');
    await next();
    await page.locator('#f-request').fill('Đăng ký tạm trú cho mẹ ở cùng');
    await next();
    await next(); // no members changing together
    await page.locator('#f-phone').fill('12345'); // wrong: the hub says so next to the field
    await next();
    await page.getByRole('button', { name: 'Chụp' }).click();
    await page.locator('img.photo-taken').waitFor();
    await next();
    await page.getByRole('heading', { name: 'Kiểm tra lại trước khi nộp' }).waitFor();
    await page.getByText('Trần Văn Bình').waitFor();
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await page.locator('[data-field="phone"] .field-error').getByText('Số điện thoại gồm 10 chữ số').waitFor();
    await screenshot(page, 'kiosk-services-bad-phone');
    assert.equal(await submissions(), 0, 'nothing stored for a bad form');
    await page.locator('#f-phone').fill('0903123456');
    await next();
    await next(); // the photo is still there
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await page.getByRole('heading', { name: 'Đã nộp hồ sơ' }).waitFor();
    const receipt = (await page.locator('.receipt-no').textContent())!;
    assert.match(receipt, /^TR-\d{6}-[A-Z0-9]{6}$/);
    assert.equal(await page.locator('svg.qr').getAttribute('data-qr'), `TRAM:${receipt}`);
    await screenshot(page, 'kiosk-services-receipt');
    assert.equal(await submissions(), 1);

    // the officer returns it with a reason
    const q = await (await staffCall(police, 'GET', '/api/services/queue')).json();
    const sub = q.submissions.find((x: { receipt: string }) => x.receipt === receipt);
    assert.equal(sub.attachments.length, 1);
    assert.equal(
      (
        await staffCall(police, 'POST', `/api/services/submissions/${sub.id}/decision`, {
          decision: 'return',
          reason: 'Số định danh chủ hộ chưa đúng',
        })
      ).status,
      200,
    );
    // the resident sees it, fixes it and sends it again
    await page.getByRole('button', { name: 'Xong' }).click();
    await page.getByRole('button', { name: 'Hồ sơ của tôi' }).click();
    const item = page.locator(`[data-receipt="${receipt}"]`);
    await item.getByText('Cần bổ sung').waitFor();
    await item.getByText('Số định danh chủ hộ chưa đúng').first().waitFor();
    await item.getByRole('button', { name: 'Sửa và nộp lại' }).click();
    await page.getByText('Lý do: Số định danh chủ hộ chưa đúng').waitFor();
    for (let i = 0; i < 3; i++) await next();
    await page.locator('#f-headIdNumber').fill('079080001111');
    for (let i = 0; i < 5; i++) await next();
    await page.getByRole('heading', { name: 'Kiểm tra lại trước khi nộp' }).waitFor();
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await page.getByRole('heading', { name: 'Đã nộp hồ sơ' }).waitFor();
    assert.equal(await page.locator('.receipt-no').textContent(), receipt);
    assert.equal((await staffCall(police, 'POST', `/api/services/submissions/${sub.id}/decision`, { decision: 'approve' })).status, 200);
  } finally {
    await card.remove();
  }
  await page.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 10_000 });
  // the next visit
  await identify(card);
  try {
    await page
      .getByRole('button', { name: /Dịch vụ công/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Hồ sơ của tôi' }).click();
    const item = page.locator('.submission').first();
    await item.getByText('Đã duyệt').waitFor();
    for (const step of ['submitted', 'returned', 'resubmitted', 'approved']) await item.locator(`[data-kind="${step}"]`).waitFor();
    await screenshot(page, 'kiosk-services-status');
  } finally {
    await card.remove();
  }
});

test('apartment fee by VietQR: "Đã thanh toán" within a second of the signed notification', async (t) => {
  t.after(() => screenshot(page, 'kiosk-bills-last').catch(() => {}));
  const manager = await login(hub.url, 'bql.toa', DEMO_PASSWORD);
  assert.equal(
    (
      await staffCall(manager, 'POST', '/api/payments/ledger', {
        building: 'A',
        apartment: 'A-1203',
        period: '2025-11',
        amountVnd: 850_000,
        residentIdNumber: vc.doc.person.idNumber,
      })
    ).status,
    201,
  );
  const card = new VpcdCard({ chip: vc.chip, port: vpcdPort });
  await page.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 15_000 });
  await identify(card);
  try {
    await page
      .getByRole('button', { name: /Thanh toán hóa đơn/ })
      .first()
      .click();
    await page.getByText('A · A-1203').waitFor();
    await page.getByRole('button', { name: 'Thanh toán', exact: true }).click();
    const qr = page.locator('.payment svg.qr');
    await qr.waitFor();
    const payload = (await qr.getAttribute('data-qr'))!;
    const reference = (await page.locator('.payment .reference').textContent())!;
    assert.match(payload, /^00020101021238/);
    assert.ok(payload.includes('5406850000') && payload.includes(reference));
    await screenshot(page, 'kiosk-bills-vietqr');
    const t0 = Date.now();
    const r = await fetch(`${hub.url}/api/payments/payos/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payosNotification(PAYOS_KEY, { amount: 850_000, description: `CK ${reference}` })),
    });
    assert.equal(r.status, 200);
    await page.getByText('Đã thanh toán').first().waitFor({ timeout: 1000 });
    t.diagnostic(`notification → kiosk "paid": ${Date.now() - t0} ms`);
    await screenshot(page, 'kiosk-bills-paid');
  } finally {
    await card.remove();
  }
});
