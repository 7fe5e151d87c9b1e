// The kiosk as a new resident meets it, through every real part: Chromium, the station agent with
// a real card reader stack (pcscd + vpcd + virtual CCCD) and booth devices on socat ptys driven by
// the device simulators, the hub, PostgreSQL and LiveKit. Walks each flow by visible text and
// roles, checks every screen with axe-core and screenshots it in both orientations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { freshDatabase, login, repoRoot, startTestHub } from '../../hub/test/support/env.ts';
import { launchChromium, screenshot, screenshotDir } from '../../hub/test/support/browser.ts';
import { startAgent, type RunningAgent } from '@tram/station-agent/gateway/server.ts';
import { VpcdCard } from '@tram/testing/card/vpcd-card.ts';
import { PtyRig } from '@tram/testing/devices/pty-rig.ts';
import { Cms50dLegacySimulator, GyMcu90614Simulator, Nibp2010Simulator } from '@tram/testing/devices/simulators.ts';
import { DEMO_PASSWORD } from '../../hub/src/seed.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';
import { assertNothingPersonal, checkScreen, loaded, PORTRAIT } from './kiosk-support.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let agent: RunningAgent;
let browser: Browser;
let dir: string;
let doctor: string;
const cleanups: (() => unknown)[] = [];
const vc = virtualCccd({ cardAccess: true });
const NAME = 'Nguyễn Thị Mai';
const GIVEN = 'Mai';
const vpcdPort = Number(process.env.TRAM_TEST_VPCD_PORT ?? 35963);

// PtyRig wants a TestContext only to register cleanup (and to skip without socat, which the preflight installs).
const rigContext = {
  skip: (m: string) => {
    throw new Error(m);
  },
  after: (f: () => unknown) => cleanups.push(f),
} as unknown as TestContext;

before(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), 'tram-kiosk-'));
  writeFileSync(join(dir, 'csca.pem'), vc.doc.cscaPem);
  hub = await startTestHub(db.url, { CSCA_PATHS: join(dir, 'csca.pem') });
  const [bp, ox, th] = [await PtyRig.create(rigContext), await PtyRig.create(rigContext), await PtyRig.create(rigContext)];
  // A fever (38.6 °C) so the summary has a flag; normal blood pressure and oxygen.
  bp!.attach(new Nibp2010Simulator({ systolic: 128, diastolic: 82, pulse: 74 }), 10);
  ox!.attach(new Cms50dLegacySimulator({ spo2: 97, pulseRate: 76, fingerInAtMs: 1500 }));
  th!.attach(new GyMcu90614Simulator({ objectCel: 38.6, ambientCel: 26 }));
  agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: hub.url,
    credential: db.demo.station.credential,
    dataDir: join(dir, 'agent'),
    uiDir: join(repoRoot, 'station-ui/dist'),
    cardReader: 'auto',
    devices: [
      { id: 'bp', kind: 'blood_pressure', protocol: 'nibp2010', path: bp!.hostPath, options: {} },
      { id: 'oximeter', kind: 'spo2', protocol: 'cms50d-legacy', path: ox!.hostPath, options: {} },
      { id: 'thermometer', kind: 'temperature', protocol: 'gy-mcu90614', path: th!.hostPath, options: {} },
      // configured but not plugged in: the kiosk must say so
      { id: 'scale', kind: 'weight', protocol: 'mt-sics', path: join(dir, 'no-such-port'), options: {} },
    ],
  });
  browser = await launchChromium();
  doctor = await login(hub.url, 'bacsi.dung', DEMO_PASSWORD);
  console.log(`screenshots: ${screenshotDir}`);
});
after(async () => {
  await browser?.close();
  await agent?.stop();
  for (const c of cleanups.reverse()) await c();
  await hub?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function kiosk(query = ''): Promise<Page> {
  const page = await (await browser.newContext({ viewport: PORTRAIT })).newPage();
  await page.goto(agent.url + query);
  await page.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 10_000 });
  await loaded(page);
  return page;
}

async function insertAndIdentify(page: Page): Promise<VpcdCard> {
  const card = new VpcdCard({ chip: vc.chip, port: vpcdPort });
  await card.insert();
  await page.getByRole('heading', { name: 'Nhập 6 số cuối của số thẻ căn cước' }).waitFor({ timeout: 10_000 });
  for (const d of vc.doc.can) await page.getByRole('button', { name: d, exact: true }).click();
  await page.getByRole('button', { name: 'Xác nhận' }).click();
  await page.getByRole('heading', { name: `Xin chào, ${GIVEN}` }).waitFor({ timeout: 10_000 });
  return card;
}

const staffApi = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(hub.url + path, {
    method,
    headers: { cookie: doctor, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json().catch(() => null)) as any };
};
const presence = (available: boolean) => staffApi('PUT', '/api/consults/presence', { available });

test('home, services and bills, in Vietnamese and in English; the card is asked for, with the reason', async () => {
  const page = await kiosk();
  await page.getByRole('button', { name: /GỌI KHẨN CẤP/ }).waitFor();
  for (const tile of ['Khám sức khỏe', 'Gặp bác sĩ', 'Dịch vụ công', 'Thanh toán hóa đơn'])
    await page.getByRole('button', { name: new RegExp(tile) }).waitFor();
  await checkScreen(page, 'home-vi');
  // spoken guidance: generated files are shipped and served; one tap mutes it
  const manifest = (await (await fetch(`${agent.url}/voice/manifest.json`)).json()) as Record<string, string>;
  assert.ok(Object.keys(manifest).length >= 8, 'every spoken line has a file');
  for (const file of Object.values(manifest)) {
    const r = await fetch(`${agent.url}/voice/${file}`);
    assert.equal(r.headers.get('content-type'), 'audio/wav');
    assert.equal(
      Buffer.from(await r.arrayBuffer())
        .subarray(0, 4)
        .toString(),
      'RIFF',
    );
  }
  await page.getByRole('button', { name: /Giọng nói: bật/, pressed: true }).click();
  await page.getByRole('button', { name: /Giọng nói: tắt/, pressed: false }).click();
  await page.getByRole('button', { name: /Giọng nói: bật/, pressed: true }).waitFor();

  await page.getByRole('button', { name: 'English', exact: true }).click();
  await page.getByRole('heading', { name: 'Please insert your citizen ID card into the reader' }).waitFor();
  await page.getByRole('button', { name: /EMERGENCY CALL/ }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await checkScreen(page, 'home-en');
  await page.getByRole('button', { name: /Public services/ }).click();
  await page.getByRole('heading', { name: 'Your citizen ID card is needed' }).waitFor();
  await page.getByText('Service forms are filled in from your card').waitFor();
  await page.getByText('Emergency calls need no card.', { exact: true }).waitFor();
  await page.getByRole('button', { name: /EMERGENCY CALL/ }).waitFor(); // one tap away here too
  await checkScreen(page, 'need-card-en');
  await page.getByRole('button', { name: 'Tiếng Việt', exact: true }).click();
  await page.getByRole('heading', { name: 'Cần thẻ Căn cước công dân' }).waitFor();
  await page.getByText('Hồ sơ dịch vụ công được điền sẵn từ thẻ').waitFor();
  await checkScreen(page, 'need-card-vi');

  await page.getByRole('button', { name: /Trang đầu/ }).click();
  await page.getByRole('button', { name: /Thanh toán hóa đơn/ }).click();
  // paying needs the card (it tells the station which fees are the resident's)
  await page.getByRole('heading', { name: 'Cần thẻ Căn cước công dân' }).waitFor();
  await page.getByText('thanh toán bằng mã VietQR').waitFor();
  await checkScreen(page, 'bills-vi');
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await page.getByText('you pay with a VietQR code').waitFor();
  await checkScreen(page, 'bills-en');
  await page.context().close();
});

test('card -> greeting -> guided health check with the booth devices -> summary with the fever flag -> see a doctor; card removed mid-flow -> reset, nothing personal left', async (t) => {
  const page = await kiosk();
  t.after(() => screenshot(page, 'kiosk-flow-last').catch(() => {}));
  assert.equal((await presence(true)).status, 200);
  const card = await insertAndIdentify(page);
  try {
    await checkScreen(page, 'greeting-vi');
    await page.getByRole('button', { name: /Khám sức khỏe/ }).click();

    // step 1: the cuff. The resident presses "start measuring"; the agent sends the board its start frame.
    await page.getByRole('heading', { name: 'Đo huyết áp' }).waitFor();
    await page.getByText('Bước 1 trên 4').waitFor();
    await page.getByText('bấm nút Bắt đầu đo bên dưới').waitFor();
    await checkScreen(page, 'health-step-bp-vi');
    await page.getByRole('button', { name: 'Bắt đầu đo' }).click();
    await page.getByText(/Đang đo… áp lực vòng bít \d+ mmHg/).waitFor({ timeout: 5000 });
    await page.getByText('128/82 mmHg').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Bước tiếp theo' }).click();

    // step 2: the oximeter streams by itself
    await page.getByRole('heading', { name: 'Đo oxy máu và nhịp tim' }).waitFor();
    await page.getByText('97 %').waitFor({ timeout: 10_000 });
    await page.getByText('76 lần/phút').waitFor({ timeout: 5000 });
    await checkScreen(page, 'health-step-oximeter-vi');
    await page.getByRole('button', { name: 'Bước tiếp theo' }).click();

    // step 3: the thermometer, in English
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: 'Temperature', exact: true }).waitFor();
    await page.getByText('38.6 °C').waitFor({ timeout: 5000 });
    await checkScreen(page, 'health-step-temperature-en');
    await page.getByRole('button', { name: 'Tiếng Việt', exact: true }).click();
    await page.getByText('38,6 °C').waitFor();
    await page.getByRole('button', { name: 'Bước tiếp theo' }).click();

    // step 4: the scale is configured but not plugged in
    await page.getByRole('heading', { name: 'Đo cân nặng' }).waitFor();
    await page.getByText('Cân đang tạm hỏng — bác bấm Tiếp tục').waitFor();
    await checkScreen(page, 'health-step-missing-device-vi');
    // the words say "Tiếp tục" and so does the button
    await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();

    // summary: the hub stored the readings and flagged the fever
    await page.getByRole('heading', { name: 'Kết quả khám sức khỏe' }).waitFor();
    await page.getByText('bạn đang sốt').waitFor({ timeout: 10_000 });
    await page.getByText('Kết quả đã được lưu vào hồ sơ sức khỏe của bạn.').waitFor({ timeout: 10_000 });
    await page.getByRole('row', { name: /Nhiệt độ.*38,6 °C.*Cao/ }).waitFor();
    await page.getByRole('row', { name: /Huyết áp.*128\/82 mmHg.*Bình thường/ }).waitFor();
    await checkScreen(page, 'health-summary-vi');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByText('you have a fever').waitFor();
    await checkScreen(page, 'health-summary-en');
    await page.getByRole('button', { name: 'Tiếng Việt', exact: true }).click();
    const stored = (await db.sql`SELECT count(*)::int AS n FROM fhir_observations`)[0]!.n;
    assert.ok(stored >= 4, `the hub stored the readings (${stored})`);

    // see a doctor now
    await page.getByRole('button', { name: 'Gặp bác sĩ ngay' }).click();
    await page.getByRole('heading', { name: 'Bạn muốn gặp bác sĩ vì lý do gì?' }).waitFor();
    await page.getByText('Hiện có 1 bác sĩ đang trực').waitFor();
    await checkScreen(page, 'consult-reason-vi');
  } finally {
    await card.remove();
  }
  // the card left mid-flow: back to the start, nothing of the resident left
  await page.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 10_000 });
  await assertNothingPersonal(page, [NAME, '38,6', 'bạn đang sốt', '128/82']);
  await page.context().close();
});

test('see a doctor: reason -> waiting room -> the doctor accepts -> full-screen call with her name -> advice with print -> done resets', async (t) => {
  const page = await kiosk();
  t.after(() => screenshot(page, 'kiosk-consult-last').catch(() => {}));
  assert.equal((await presence(true)).status, 200);
  const card = await insertAndIdentify(page);
  try {
    await page.getByRole('button', { name: /Gặp bác sĩ/ }).click();
    await page.getByRole('heading', { name: 'Bạn muốn gặp bác sĩ vì lý do gì?' }).waitFor();
    await page.getByRole('button', { name: 'Sốt', exact: true }).click();
    await page.getByRole('heading', { name: 'Phòng chờ gặp bác sĩ' }).waitFor({ timeout: 5000 });
    await page.getByText(/Bạn là người tiếp theo|Bạn đang ở vị trí số 1/).waitFor();
    await page.getByText(/Thời gian chờ ước tính: khoảng \d+ phút|Chưa ước tính được thời gian chờ/).waitFor();
    await checkScreen(page, 'consult-waiting-vi');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: 'Waiting room' }).waitFor();
    await checkScreen(page, 'consult-waiting-en');
    await page.getByRole('button', { name: 'Tiếng Việt', exact: true }).click();
    const [consult] = await db.sql<{ id: string; status: string }[]>`SELECT id, status FROM consults`;
    assert.equal(consult!.status, 'waiting');

    // the doctor accepts: the call opens full screen with her name and a big end button (her video
    // never comes here: the kiosk says it is connecting with her, not that they are talking)
    assert.equal((await staffApi('POST', `/api/consults/${consult!.id}/accept`)).status, 200);
    await page.getByText('Đang kết nối video với BS. Hoàng Thị Dung').waitFor({ timeout: 5000 });
    await page.getByText('Bác sĩ', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Kết thúc cuộc gọi' }).waitFor();
    await page.waitForFunction(
      () => {
        const v = document.querySelector('video.local') as HTMLVideoElement | null;
        return !!v && v.videoWidth > 0;
      },
      null,
      { timeout: 15_000 },
    );
    await checkScreen(page, 'consult-call-vi');

    // the doctor saves the note, then ends the consult: the advice, with a print button
    const note = await staffApi('PUT', `/api/consults/${consult!.id}/note`, {
      reason: 'Sốt',
      findings: 'Sốt 38,6 °C',
      advice: 'Uống nhiều nước, nghỉ ngơi, dùng paracetamol khi sốt trên 38,5 °C.',
      referral: 'none',
    });
    assert.equal(note.status, 200, JSON.stringify(note.body));
    const end = await staffApi('POST', `/api/consults/${consult!.id}/end`);
    assert.equal(end.status, 200, JSON.stringify(end.body));
    await page.getByRole('heading', { name: 'Lời khuyên của bác sĩ' }).waitFor({ timeout: 5000 });
    await page.getByText('Uống nhiều nước, nghỉ ngơi').waitFor();
    await page.getByRole('button', { name: 'In lời khuyên' }).waitFor();
    await checkScreen(page, 'consult-advice-vi');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: "The doctor's advice" }).waitFor();
    await checkScreen(page, 'consult-advice-en');

    // done: back to the start, the session closed on the page even with the card still in
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByText('Phiên đã kết thúc để bảo vệ thông tin của bạn').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');
    await assertNothingPersonal(page, [NAME, 'Uống nhiều nước', '38,6']);
    await checkScreen(page, 'session-closed-vi');
  } finally {
    await card.remove();
  }
  await page.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 10_000 });
  await page.context().close();
});

test('card removed in the waiting room: back to the start with nothing personal left, the consult ends', async (_t) => {
  const page = await kiosk();
  await presence(true);
  const card = await insertAndIdentify(page);
  let removed = false;
  try {
    await page.getByRole('button', { name: /Gặp bác sĩ/ }).click();
    await page.getByRole('button', { name: 'Chóng mặt' }).click();
    await page.getByRole('heading', { name: 'Phòng chờ gặp bác sĩ' }).waitFor({ timeout: 5000 });
    await card.remove();
    removed = true;
    await page.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: /GỌI KHẨN CẤP/ }).waitFor();
    await assertNothingPersonal(page, [NAME, 'Phòng chờ', 'Chóng mặt']);
    const deadline = Date.now() + 5000;
    let status = '';
    while (Date.now() < deadline) {
      status = (await db.sql<{ status: string }[]>`SELECT status FROM consults WHERE reason = 'dizziness'`)[0]?.status ?? '';
      if (status !== 'waiting') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(['abandoned', 'cancelled'].includes(status), `the consult ended (${status})`);
  } finally {
    if (!removed) await card.remove();
  }
  await page.context().close();
});

test('SOS during a doctor video call: one tap ends the consult and calls the ward police', async () => {
  const page = await kiosk();
  await presence(true);
  const card = await insertAndIdentify(page);
  try {
    await page.getByRole('button', { name: /Gặp bác sĩ/ }).click();
    await page.getByRole('button', { name: 'Khó thở', exact: true }).click();
    // breathing trouble: the 115 question first; the resident chooses the video doctor
    await page.getByRole('heading', { name: 'Gọi cấp cứu 115?' }).waitFor();
    await page.getByRole('button', { name: 'Không cấp cứu — gặp bác sĩ qua video' }).click();
    await page.getByRole('heading', { name: 'Phòng chờ gặp bác sĩ' }).waitFor({ timeout: 5000 });
    const [c] = await db.sql<{ id: string }[]>`SELECT id FROM consults WHERE reason = 'breathing' AND status = 'waiting'`;
    assert.equal((await staffApi('POST', `/api/consults/${c!.id}/accept`)).status, 200);
    await page.getByText('Đang kết nối video với BS. Hoàng Thị Dung').waitFor({ timeout: 5000 });
    const callsBefore = (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM calls`)[0]!.n;
    await page.getByRole('button', { name: /GỌI KHẨN CẤP/ }).click();
    // the countdown first; the consult goes on until the call really goes out
    await page.getByRole('alertdialog', { name: /Sẽ gọi công an sau/ }).waitFor();
    await page.getByRole('alertdialog').waitFor({ state: 'detached', timeout: 6000 });
    await page.getByText('Đang chờ cán bộ trả lời', { exact: false }).waitFor({ timeout: 10_000 });
    assert.equal((await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM calls`)[0]!.n, callsBefore + 1, 'one emergency call');
    const [after] = await db.sql<{ status: string }[]>`SELECT status FROM consults WHERE id = ${c!.id}`;
    assert.equal(after!.status, 'abandoned', 'the consult ended');
    const [call] = await db.sql<{ id: string }[]>`SELECT id FROM calls ORDER BY created_at DESC LIMIT 1`;
    const end = await fetch(`${agent.url}/api/calls/${call!.id}/end`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tram-agent-key': agent.key },
      body: '{"reason":"cancelled"}',
    });
    assert.equal(end.status, 200);
  } finally {
    await card.remove();
  }
  await page.context().close();
});

test('no doctor on duty: said plainly, with SOS and 115 offered', async () => {
  const page = await kiosk();
  await presence(false);
  const card = await insertAndIdentify(page);
  try {
    await page.getByRole('button', { name: /Gặp bác sĩ/ }).click();
    await page.getByRole('heading', { name: 'Hiện chưa có bác sĩ trực' }).waitFor({ timeout: 5000 });
    await page.getByText('115', { exact: true }).waitFor();
    await page.getByRole('button', { name: /GỌI KHẨN CẤP/ }).waitFor();
    await checkScreen(page, 'consult-no-doctor-vi');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: 'No doctor is available right now' }).waitFor();
    await checkScreen(page, 'consult-no-doctor-en');
  } finally {
    await card.remove();
  }
  await page.context().close();
});

test('idle: a visible countdown, "I\'m still here" keeps the session, then the reset hides everything', async () => {
  // 24 s: the warning shows for the last 12 s, time enough for the screenshots and axe on a busy machine
  const page = await kiosk('/?idle=24');
  const card = await insertAndIdentify(page);
  try {
    await page.getByRole('button', { name: /Dịch vụ công/ }).click();
    await page.getByRole('heading', { name: 'Dịch vụ công' }).waitFor();
    await page.getByText('Đăng ký tạm trú (CT01)').waitFor();
    assert.ok((await page.locator('[data-service]').count()) >= 15, 'the catalogue lists every service');
    await checkScreen(page, 'services-vi');
    await page.getByRole('alertdialog', { name: 'Bạn còn ở đây không?' }).waitFor({ timeout: 20_000 });
    await page.getByText(/trở về trang đầu sau \d+ giây/).waitFor();
    await checkScreen(page, 'idle-countdown-vi');
    // the countdown never hides the emergency button: a tap there reaches it
    assert.ok(
      await page.evaluate(() => {
        const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.includes('GỌI KHẨN CẤP'))!;
        const r = b.getBoundingClientRect();
        return b.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
      }),
      'SOS is on top of the idle countdown',
    );
    await page.getByRole('button', { name: 'Tôi vẫn ở đây' }).click();
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Dịch vụ công' }).waitFor();
    // now leave it alone
    const t0 = Date.now();
    await page.getByRole('heading', { name: 'Dịch vụ công' }).waitFor({ state: 'detached', timeout: 30_000 });
    assert.ok(Date.now() - t0 > 5000, 'the reset waits the whole idle time');
    await page.getByText('Phiên đã kết thúc để bảo vệ thông tin của bạn').waitFor();
    await assertNothingPersonal(page, [NAME]);
    // the card is still in: a full-screen "XIN RÚT THẺ" that stays until it is out
    await page.getByRole('alertdialog', { name: 'XIN RÚT THẺ' }).waitFor({ timeout: 5000 });
    await checkScreen(page, 'card-reminder-vi');
    await page.waitForTimeout(3000);
    assert.equal(await page.getByRole('alertdialog', { name: 'XIN RÚT THẺ' }).isVisible(), true, 'still there while the card is in');
    // the emergency button stays on it
    await page
      .getByRole('alertdialog', { name: 'XIN RÚT THẺ' })
      .getByRole('button', { name: /GỌI KHẨN CẤP/ })
      .waitFor();
  } finally {
    await card.remove();
  }
  await page.getByRole('alertdialog', { name: 'XIN RÚT THẺ' }).waitFor({ state: 'detached', timeout: 10_000 });
  await page.getByRole('heading', { name: 'Mời cắm thẻ Căn cước công dân vào đầu đọc' }).waitFor({ timeout: 10_000 });
  await page.context().close();
});
