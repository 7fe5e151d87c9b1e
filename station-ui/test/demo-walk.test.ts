// A newcomer's first hour, as a browser test: the system started through the same code path as
// `npm start` (scripts/system.ts) on demo data, so the demo station runs — the virtual card reader
// (pcscd + vpcd + the demo residents' cards) and the booth simulated on ptys behind the agent's
// real drivers. The test uses only what a person would: the demo control page, the kiosk, the
// clinician and the police consoles, in Chromium.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { growing, inbound, launchChromium, recordPeerConnections, screenshot, staffPage } from '../../hub/test/support/browser.ts';
import { emptyDatabase } from '../../hub/test/support/empty-database.ts';
import { DEMO_PASSWORD } from '../../hub/src/seed.ts';
import { freePort } from '../../scripts/ports.ts';
import { type RunningSystem, startSystem } from '../../scripts/system.ts';

let db: Awaited<ReturnType<typeof emptyDatabase>>;
let system: RunningSystem;
let browser: Browser;
let dir: string;
const shots: [string, Page][] = [];

before(async () => {
  db = await emptyDatabase();
  dir = mkdtempSync(join(tmpdir(), 'tram-demo-walk-'));
  system = await startSystem(
    {
      ...process.env,
      DATABASE_URL: db.url,
      // LiveKit (from the test stack) sends its webhooks to this port
      PORT: process.env.TRAM_TEST_HUB_PORT,
      AGENT_PORT: String(await freePort()),
      DEMO_PORT: String(await freePort()),
      DEMO_DIR: join(dir, 'demo'),
      AGENT_DATA_DIR: join(dir, 'agent'),
      LOG_LEVEL: 'warn',
    },
    ['--demo'],
  );
  browser = await launchChromium();
});
after(async () => {
  for (const [n, p] of shots) await screenshot(p, `demo-walk-${n}`).catch(() => {});
  await browser?.close();
  await system?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function open(name: string, url: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await recordPeerConnections(page);
  await page.goto(url);
  shots.push([name, page]);
  return page;
}

test('the demo station: insert a demo card, greeted by name, a full health check with a hypertensive crisis, a doctor by video, then SOS to the police', async (t) => {
  const d = system.demoStation;
  assert.ok(d, `the demo station runs (${system.demoOff})`);
  const hoa = d.residents.find((r) => r.fullName === 'Lê Thị Hoa')!;

  const control = await open('control', d.controlUrl);
  const kiosk = await open('kiosk', system.kioskUrl!, { width: 1080, height: 1920 });
  const doctor = await staffPage(browser, `${system.hubUrl}/clinician/`, 'bacsi.dung', DEMO_PASSWORD, { width: 1400, height: 1000 });
  shots.push(['clinician', doctor]);
  const police = await staffPage(browser, `${system.hubUrl}/police/`, 'canbo.an', DEMO_PASSWORD);
  shots.push(['police', police]);

  // the card: inserted from the control page, the CAN typed on the kiosk
  await kiosk.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 15_000 });
  await control
    .locator('li', { hasText: hoa.fullName })
    .getByRole('button', { name: /Đưa thẻ vào/ })
    .click();
  await control.getByText(`Thẻ trong đầu đọc: ${hoa.fullName}`).waitFor({ timeout: 5000 });
  await kiosk.getByRole('heading', { name: 'Nhập 6 số cuối của số thẻ căn cước' }).waitFor({ timeout: 15_000 });
  for (const digit of hoa.can) await kiosk.getByRole('button', { name: digit, exact: true }).click();
  await kiosk.getByRole('button', { name: 'Xác nhận' }).click();
  // greeted by the given name only: the full name is not put up in a lobby
  await kiosk.getByRole('heading', { name: `Xin chào, ${hoa.fullName.split(' ').at(-1)}` }).waitFor({ timeout: 20_000 });
  assert.equal(await kiosk.getByText(hoa.fullName).count(), 0, 'the full name is not on the lobby screen');
  await screenshot(kiosk, 'demo-walk-greeted');

  // the health check, with the crisis values chosen on the control page
  await control.getByLabel(/Cơn tăng huyết áp/).check();
  await kiosk.getByRole('button', { name: /Khám sức khỏe/ }).click();
  await kiosk.getByRole('heading', { name: 'Đo huyết áp' }).waitFor();
  await kiosk.getByRole('button', { name: 'Bắt đầu đo' }).click();
  await kiosk.getByText('188/122 mmHg').first().waitFor({ timeout: 30_000 });
  await kiosk.getByRole('button', { name: 'Bước tiếp theo' }).click();

  await kiosk.getByRole('heading', { name: 'Đo oxy máu và nhịp tim' }).waitFor();
  await control.getByRole('button', { name: /Kẹp máy đo SpO₂/ }).click();
  await kiosk.getByText('97 %').first().waitFor({ timeout: 15_000 });
  await kiosk.getByRole('button', { name: 'Bước tiếp theo' }).click();

  await kiosk.getByRole('heading', { name: 'Đo nhiệt độ' }).waitFor();
  await control.getByRole('button', { name: /Đưa trán lại gần nhiệt kế/ }).click();
  await kiosk.getByText('36,8 °C').first().waitFor({ timeout: 15_000 });
  await kiosk.getByRole('button', { name: 'Bước tiếp theo' }).click();

  await kiosk.getByRole('heading', { name: 'Đo cân nặng' }).waitFor();
  await control.getByRole('button', { name: /Bước lên cân/ }).click();
  await kiosk.getByText('62,4 kg').first().waitFor({ timeout: 15_000 });
  await kiosk.getByRole('button', { name: 'Bước tiếp theo' }).click();

  await kiosk.getByRole('heading', { name: 'Đo chiều cao' }).waitFor();
  await control.getByRole('button', { name: /Đứng dưới cảm biến chiều cao/ }).click();
  await kiosk
    .getByText(/16[23] cm/)
    .first()
    .waitFor({ timeout: 15_000 });
  await kiosk.getByRole('button', { name: 'Xem kết quả' }).click();

  await kiosk.getByRole('heading', { name: 'Kết quả khám sức khỏe' }).waitFor();
  await kiosk
    .getByText(/cơn tăng huyết áp/)
    .first()
    .waitFor({ timeout: 15_000 });
  await kiosk.getByRole('row', { name: /Huyết áp.*188\/122 mmHg/ }).waitFor();
  await screenshot(kiosk, 'demo-walk-summary');

  // a doctor: on duty in the clinician console, accepts the resident's request, video both ways
  const toggle = doctor.getByRole('switch', { name: /Sẵn sàng nhận ca/ });
  if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
  await doctor.locator('[role=switch][aria-checked=true]').waitFor({ timeout: 5000 });
  await kiosk.getByRole('button', { name: 'Gặp bác sĩ ngay' }).click();
  await kiosk.getByRole('heading', { name: 'Bạn muốn gặp bác sĩ vì lý do gì?' }).waitFor();
  await kiosk.getByRole('button', { name: 'Chóng mặt', exact: true }).click();
  await kiosk.getByRole('heading', { name: 'Phòng chờ gặp bác sĩ' }).waitFor({ timeout: 10_000 });
  const entry = doctor.locator('article[data-consult-id]', { hasText: hoa.fullName });
  await entry.waitFor({ timeout: 10_000 });
  await entry.getByRole('button', { name: /Nhận khám/ }).click();
  await doctor.getByRole('region', { name: /Buổi khám/ }).waitFor({ timeout: 10_000 });
  await kiosk.getByText(/(Đang kết nối video|Đang nói chuyện) với BS. Hoàng Thị Dung/).waitFor({ timeout: 10_000 });
  await doctor.waitForFunction(() => [...document.querySelectorAll('video')].some((v) => v.videoWidth > 0), null, { timeout: 20_000 });
  const frames = await growing(async () => (await inbound(doctor, 'video')).framesDecoded, 'frames of the resident decoded by the doctor');
  t.diagnostic(`the doctor decoded ${frames} frames of the kiosk's video in 2 s`);
  await screenshot(doctor, 'demo-walk-doctor-in-call');

  // SOS from the call: one tap ends the consult and rings the ward's police
  await police.getByText('Trực tuyến', { exact: true }).waitFor({ timeout: 10_000 });
  await kiosk
    .getByRole('button', { name: /GỌI KHẨN CẤP/ })
    .first()
    .click();
  const ringing = police.locator('article.call');
  await ringing.waitFor({ timeout: 10_000 });
  await ringing.getByRole('button', { name: /Trả lời/ }).click();
  await kiosk.getByText(/Thiếu úy Nguyễn Văn An đã trả lời/).waitFor({ timeout: 10_000 });
  await police.waitForFunction(() => [...document.querySelectorAll('video')].some((v) => v.videoWidth > 0), null, { timeout: 20_000 });
  await screenshot(police, 'demo-walk-police-in-call');
  await police.getByRole('button', { name: /Kết thúc/ }).click();
  await kiosk.getByText('Cuộc gọi đã kết thúc').waitFor({ timeout: 10_000 });
  await kiosk.getByRole('button', { name: 'Về trang đầu' }).click();

  // the card out: the kiosk forgets the resident
  await control.getByRole('button', { name: /Rút thẻ/ }).click();
  await kiosk.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 20_000 });
  assert.equal(await kiosk.getByText(hoa.fullName).count(), 0, 'no name left on the kiosk');
});
