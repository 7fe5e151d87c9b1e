// Public services and a payment as an elderly resident meets them, through every real part: the
// kiosk in Chromium (fake camera), the station agent, pcscd with a virtual CCCD, the hub and
// PostgreSQL. Temporary residence for a relative with one photo → a wrong phone number is shown
// next to its field and nothing is stored → receipt with a QR → the officer returns it with a
// reason → the resident fixes it and sends it again → approved → the status at the next card
// insert. The receipt is printed on the booth's printer (a real pty: the ESC/POS raster is decoded
// and its QR read back) and, at a later visit without the card, the paper's QR held at the kiosk
// camera (Chromium plays a video of it) shows the receipt's progress. Then the apartment fee paid
// by VietQR: "Đã thanh toán" within a second of the bank's signed notification, and its e-receipt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import jsQR from 'jsqr';
import qrcode from 'qrcode-generator';
import { PtyRig, until } from '@tram/testing/devices/pty-rig.ts';
import { decodeEscPos } from '@tram/testing/devices/escpos-decoder.ts';
import { receiptBytes } from '@tram/station-agent/devices/printer/printer.ts';
import { receiptInput } from '@tram/station-agent/devices/printer/print-job.ts';
import { type freshDatabase, login, type startTestHub } from '../../hub/test/support/env.ts';
import { launchChromium, screenshot } from '../../hub/test/support/browser.ts';
import type { RunningAgent } from '@tram/station-agent/gateway/server.ts';
import { VpcdCard } from '@tram/testing/card/vpcd-card.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';
import { checkScreen, startCardKiosk } from './kiosk-support.ts';
import { payosNotification, startServiceAdapters } from '@tram/testing/services/adapters.ts';
import { DEMO_PASSWORD } from '../../hub/src/seed.ts';
import { createStaff } from '../../hub/src/auth/service.ts';
import { deferrer } from '@tram/testing/teardown.ts';

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
let printer: PtyRig;
let adapters: Awaited<ReturnType<typeof startServiceAdapters>>;
const cleanups: (() => unknown)[] = [];
before(async () => {
  // the electricity provider's bill adapter (lookup, and the paid bill reported back)
  adapters = await startServiceAdapters({
    bills: {
      'electricity:PE0100123456': [{ billId: 'HD-2025-11', period: '11/2025', amountVnd: 412_300, description: 'Tiền điện tháng 11/2025' }],
    },
  });
  cleanups.push(() => adapters.close());
  // the booth's receipt printer: the agent's serial port is one end of a pty pair
  const rig = await PtyRig.create({ skip: () => {}, after: (f: () => unknown) => cleanups.push(f) } as unknown as TestContext);
  if (!rig) throw new Error('socat is needed for the printer');
  printer = rig;
  stack = await startCardKiosk('kiosk-svc', vc.doc.cscaPem, {
    agent: { printer: { path: printer.hostPath, baudRate: 115200, paper: '58mm' } },
    hubEnv: { PAYOS_CHECKSUM_KEY: PAYOS_KEY, RATE_LIMIT_BURST: '10000', BILL_LOOKUP_URL: adapters.url, SERVICES_TICK_MS: '200' },
    beforeHub: async (fresh: { sql: Parameters<typeof createStaff>[0] }) => {
      await createStaff(fresh.sql, { username: 'bql.toa', displayName: 'BQL tòa A', role: 'building_manager', password: DEMO_PASSWORD });
    },
  });
  ({ db, hub, agent, browser } = stack);
  police = await login(hub.url, 'canbo.an', DEMO_PASSWORD);
  page = await (await browser.newContext({ viewport: { width: 1080, height: 1920 } })).newPage();
  await page.goto(agent.url);
});
after(async () => {
  await stack?.stop();
  for (const f of cleanups.reverse()) await f();
});

/** The next receipt the printer gets, decoded from the raster bytes (waits for the whole job). */
async function nextPrinted(from: number) {
  let img: ReturnType<typeof decodeEscPos> | undefined;
  await until(
    () => {
      try {
        img = decodeEscPos(Uint8Array.from(printer.hostWrites.slice(from)));
        return img.cut;
      } catch {
        return false;
      }
    },
    15_000,
    'a whole receipt at the printer',
  );
  return img!;
}

/** The QR code in a 1-bit image (printed dots), or null. */
function qrIn(img: { width: number; height: number; bits: Uint8Array }) {
  const rgba = new Uint8ClampedArray(img.width * img.height * 4).fill(255);
  for (let i = 0; i < img.bits.length; i++) if (img.bits[i]) rgba.fill(0, i * 4, i * 4 + 3);
  return jsQR(rgba, img.width, img.height)?.data ?? null;
}

/** A camera video (Y4M) of a paper receipt's QR code, for Chromium's fake camera. */
function qrVideo(text: string, dir: string): string {
  const q = qrcode(0, 'M');
  q.addData(text, 'Byte');
  q.make();
  const [W, H, scale] = [640, 480, 8];
  const n = q.getModuleCount();
  const left = (W - n * scale) >> 1;
  const top = (H - n * scale) >> 1;
  const y = Buffer.alloc(W * H, 235); // white paper
  for (let r = 0; r < n * scale; r++)
    for (let c = 0; c < n * scale; c++) if (q.isDark(Math.floor(r / scale), Math.floor(c / scale))) y[(top + r) * W + left + c] = 16;
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  const file = join(dir, 'receipt-qr.y4m');
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array(10).fill(frame)]));
  return file;
}
let printedQr = '';
let printedReceipt = '';

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
    const shownQr = (await page.locator('svg.qr').getAttribute('data-qr'))!;
    assert.match(shownQr, new RegExp(`^TRAM:${receipt}:[A-Za-z0-9_-]{22}$`), 'the status QR carries the receipt and its token');
    // printed on the booth's printer: the decoded paper's QR is the one on screen
    await page.locator('.print-status[data-print="printed"]').waitFor({ timeout: 15_000 });
    const paper = await nextPrinted(0);
    assert.equal(paper.width, 384);
    assert.equal(qrIn(paper), shownQr, 'the printed QR reads back as the receipt and its token');
    printedQr = shownQr;
    printedReceipt = receipt;
    await checkScreen(page, 'services-receipt-printed');
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
    const printedBefore = printer.hostWrites.length;
    await page.getByRole('heading', { name: 'Đã nộp hồ sơ' }).waitFor();
    assert.equal(await page.locator('.receipt-no').textContent(), receipt);
    // the fixed one prints a receipt again, with the same QR
    await page.locator('.print-status[data-print="printed"]').waitFor({ timeout: 15_000 });
    assert.equal(qrIn(await nextPrinted(printedBefore)), shownQr);
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
    const printedBefore = printer.hostWrites.length;
    await page.getByText('Đã thanh toán').first().waitFor({ timeout: 1000 });
    t.diagnostic(`notification → kiosk "paid": ${Date.now() - t0} ms`);
    // the e-receipt is printed: the paper is exactly the rendering of this payment's receipt
    await page.locator('.print-status[data-print="printed"]').waitFor({ timeout: 15_000 });
    const paper = await nextPrinted(printedBefore);
    const body = { kind: 'payment' as const, title: 'A · A-1203 · 2025-11', receipt: reference, amountVnd: 850_000 };
    const now = Date.now();
    const candidates = [now, now - 60_000].map((at) => receiptBytes(receiptInput(body, new Date(at)), '58mm'));
    assert.ok(
      candidates.some((c) => c.bitmap.height === paper.height && Buffer.from(c.bitmap.bits).equals(Buffer.from(paper.bits))),
      'the printed e-receipt is the rendering of this payment (reference, amount, "Đã thanh toán")',
    );
    assert.ok(candidates[0]!.layout.some((l) => l.text.includes(reference)));
    await screenshot(page, 'kiosk-bills-paid');
  } finally {
    await card.remove();
  }
});

test("a later visit without the card: the receipt's QR at the kiosk camera shows its progress and history", async (t) => {
  assert.ok(printedQr, 'the first walk printed a receipt');
  const defer = deferrer(t);
  const dir = mkdtempSync(join(tmpdir(), 'tram-qr-video-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  // a kiosk whose camera sees the paper receipt
  const scanner = await launchChromium([`--use-file-for-fake-video-capture=${qrVideo(printedQr, dir)}`]);
  defer(() => scanner.close());
  const kiosk = await (await scanner.newContext({ viewport: { width: 1080, height: 1920 } })).newPage();
  defer(() => screenshot(kiosk, 'kiosk-services-lookup-last').catch(() => {}));
  await kiosk.goto(agent.url);
  await kiosk.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 15_000 });
  await kiosk
    .getByRole('button', { name: /Dịch vụ công/ })
    .first()
    .click();
  await kiosk.getByRole('button', { name: 'Tra cứu hồ sơ bằng biên nhận (không cần thẻ)' }).click();
  const item = kiosk.locator(`.receipt-lookup [data-receipt="${printedReceipt}"]`);
  await item.waitFor({ timeout: 15_000 });
  await item.getByText('Đã duyệt').waitFor();
  for (const step of ['submitted', 'returned', 'resubmitted', 'approved']) await item.locator(`[data-kind="${step}"]`).waitFor();
  await item.getByText('Số định danh chủ hộ chưa đúng').first().waitFor();
  // nothing personal: the form's fields and the resident's ID number are not shown
  const html = await kiosk.content();
  for (const personal of [vc.doc.person.idNumber, 'Trần Văn Bình', '079080001111']) assert.equal(html.includes(personal), false, personal);
  await checkScreen(kiosk, 'services-lookup');
});

test('an electricity bill paid by VietQR is reported back to the provider: "Đã báo nhà cung cấp"', async (t) => {
  t.after(() => screenshot(page, 'kiosk-bill-reported-last').catch(() => {}));
  const card = new VpcdCard({ chip: vc.chip, port: vpcdPort });
  await page.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 15_000 });
  await identify(card);
  try {
    await page
      .getByRole('button', { name: /Thanh toán hóa đơn/ })
      .first()
      .click();
    await page.locator('[data-tab="electricity"]').click();
    await page.locator('#customer-code').fill('PE0100123456');
    await page.getByRole('button', { name: 'Tra cứu', exact: true }).click();
    await page.getByText('Tiền điện tháng 11/2025').waitFor();
    await page.getByRole('button', { name: 'Thanh toán', exact: true }).click();
    const reference = (await page.locator('.payment .reference').textContent())!;
    const r = await fetch(`${hub.url}/api/payments/payos/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payosNotification(PAYOS_KEY, { amount: 412_300, description: `CK ${reference}` })),
    });
    assert.equal(r.status, 200);
    await page.getByText('Đã thanh toán').first().waitFor({ timeout: 1000 });
    await page.locator('.reported[data-reported="yes"]').getByText('Đã báo nhà cung cấp').waitFor({ timeout: 10_000 });
    assert.equal(adapters.reports.length, 1);
    assert.equal(adapters.reports[0]!.body.reference, reference);
    assert.equal(adapters.reports[0]!.body.billId, 'HD-2025-11');
    await screenshot(page, 'kiosk-bill-reported');
  } finally {
    await card.remove();
  }
});
