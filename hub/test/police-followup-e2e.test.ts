// End to end in headless Chromium (real hub, agent, LiveKit, PostgreSQL): the police follow-up of
// issue 12. A resident hangs up before anyone answers, the console lists the missed call, the
// officer calls back, the kiosk rings, the resident answers, both have media. The officer adds a
// colleague and a 115 medic (three more parties with media), hands the call over and leaves; the
// timeline lists it. Silent SOS: the resident cannot speak, sends quick replies, the officer
// answers in text and the kiosk shows it.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freshDatabase, repoRoot, startTestHub } from './support/env.ts';
import { growing, inbound, launchChromium, recordPeerConnections, screenshot, staffPage } from './support/browser.ts';
import { startAgent, type RunningAgent } from '@tram/station-agent/gateway/server.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { createStaff } from '../src/auth/service.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let agent: RunningAgent;
let browser: Browser;
let agentData: string;
const STATION = 'Trạm công dân Đảo Kim Cương';

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
  await createStaff(db.sql, { username: 'yte.115', displayName: 'Cấp cứu 115 Lan', role: 'medic', password: DEMO_PASSWORD });
  agentData = mkdtempSync(join(tmpdir(), 'tram-agent-'));
  agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: hub.url,
    credential: db.demo.station.credential,
    dataDir: agentData,
    uiDir: join(repoRoot, 'station-ui/dist'),
  });
  browser = await launchChromium();
});
// each test starts with no open call at the station (ended as the station would, so the agent hears it)
afterEach(async () => {
  for (const { id } of await db.sql<{ id: string }[]>`SELECT id FROM calls WHERE status <> 'ended'`)
    await fetch(`${hub.url}/api/calls/${id}/end`, {
      method: 'POST',
      headers: { authorization: `Station ${db.demo.station.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'hangup' }),
    });
});
after(async () => {
  await browser?.close();
  await agent?.stop();
  await hub?.stop();
  await db?.drop();
  rmSync(agentData, { recursive: true, force: true });
});

async function staff(username: string): Promise<Page> {
  const page = await staffPage(browser, `${hub.url}/police/`, username, DEMO_PASSWORD);
  await page.getByText('Trực tuyến', { exact: true }).waitFor();
  return page;
}
async function kioskPage(): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
  const kiosk = await ctx.newPage();
  await recordPeerConnections(kiosk);
  await kiosk.goto(`${agent.url}/?sos=0`); // no countdown: this test times the call itself
  return kiosk;
}
/**
 * Decoded video frames and audio samples keep increasing on this page. On this loaded machine
 * LiveKit may renegotiate a connection under the measurement (its counters restart): up to three
 * 2-second windows.
 */
async function hasMedia(page: Page, who: string) {
  await page
    .waitForFunction(() => !!document.querySelector('audio')?.srcObject, null, { timeout: 90_000 })
    .catch(async (e) => {
      // what the page had instead (seen once in CI: the kiosk never joined the room), for the next look
      const seen = await page
        .evaluate(() => ({
          peerConnections: (((window as any).__pcs ?? []) as RTCPeerConnection[]).map((pc) => pc.connectionState),
          audioElements: document.querySelectorAll('audio').length,
          status: document.querySelector('[role=status]')?.textContent,
        }))
        .catch(() => 'page gone');
      throw new Error(`${who}: no remote audio within 90 s; the page had ${JSON.stringify(seen)}: ${(e as Error).message}`);
    });
  for (const [kind, counter] of [
    ['video', 'framesDecoded'],
    ['audio', 'totalSamplesReceived'],
  ] as const) {
    for (let attempt = 1; ; attempt++) {
      try {
        await growing(async () => (await inbound(page, kind))[counter], `${kind} ${counter} at ${who}`);
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
  }
}
async function sosAnsweredBy(kiosk: Page, officer: Page) {
  await kiosk.getByRole('button', { name: /GỌI KHẨN CẤP/ }).click();
  await officer
    .locator('article.call', { hasText: STATION })
    .getByRole('button', { name: /Trả lời/ })
    .click();
  await kiosk.getByText(/Thiếu úy Nguyễn Văn An đã trả lời/).waitFor({ timeout: 5000 });
}
async function lastCallId() {
  const [row] = await db.sql<{ id: string }[]>`SELECT id FROM calls WHERE direction = 'inbound' ORDER BY created_at DESC LIMIT 1`;
  return row!.id;
}

test('missed call → the officer calls back → the kiosk rings → the resident answers → both have media', async (t) => {
  const an = await staff('canbo.an');
  const kiosk = await kioskPage();
  t.after(async () => {
    for (const [n, p] of Object.entries({ an, kiosk })) await screenshot(p, `followup-callback-${n}`).catch(() => {});
    await kiosk.context().close();
    await an.context().close();
  });
  await kiosk.getByRole('button', { name: /GỌI KHẨN CẤP/ }).click();
  await an.locator('article.call', { hasText: STATION }).waitFor({ timeout: 5000 });
  // the resident hangs up before anyone answers
  await kiosk.getByRole('button', { name: 'Kết thúc cuộc gọi' }).click();
  await kiosk.getByRole('button', { name: 'Có, kết thúc' }).click(); // ending a police call asks first
  const missed = an.locator('article.missed-call', { hasText: STATION });
  await missed.getByText(/Cuộc gọi nhỡ/).waitFor({ timeout: 5000 });
  await an.locator('article.call').waitFor({ state: 'detached', timeout: 5000 });
  const originalId = await lastCallId();

  const pressed = Date.now();
  await missed.getByRole('button', { name: /Gọi lại/ }).click();
  await kiosk.getByText('Công an Phường Bình Trưng đang gọi lại').waitFor({ timeout: 5000 });
  t.diagnostic(`call back -> kiosk ringing: ${Date.now() - pressed} ms`);
  await kiosk.getByText(/Thiếu úy Nguyễn Văn An gọi lại/).waitFor();
  await screenshot(kiosk, 'followup-kiosk-incoming');
  await kiosk.getByRole('button', { name: 'Trả lời', exact: true }).click();
  await kiosk.getByText('Đang nói chuyện với Thiếu úy Nguyễn Văn An').waitFor({ timeout: 5000 });
  await hasMedia(an, 'the police console');
  await hasMedia(kiosk, 'the kiosk');
  // called back: off the missed list; the SLA contract row is on the original call
  await missed.waitFor({ state: 'detached', timeout: 5000 });
  const kinds = (await db.sql<{ kind: string }[]>`SELECT kind FROM call_events WHERE call_id = ${originalId} ORDER BY id`).map(
    (r) => r.kind,
  );
  assert.ok(kinds.includes('callback') && kinds.includes('called_back'), kinds.join(','));
  await an.getByRole('button', { name: /Kết thúc cuộc gọi/ }).click();
  await kiosk.getByText('Cuộc gọi đã kết thúc').waitFor({ timeout: 5000 });
});

test('the officer adds a colleague and a 115 medic: they join with media, the kiosk sees them; warm transfer; the timeline lists it', async (t) => {
  const [an, binh, medic] = [await staff('canbo.an'), await staff('canbo.binh'), await staff('yte.115')];
  const kiosk = await kioskPage();
  t.after(async () => {
    for (const [n, p] of Object.entries({ an, binh, medic, kiosk })) await screenshot(p, `followup-responders-${n}`).catch(() => {});
    for (const p of [an, binh, medic, kiosk]) await p.context().close();
  });
  // a medic's console shows no ward calls, only its invitations
  await medic.getByText('Được mời vào cuộc gọi (0)').waitFor();
  assert.equal(await medic.locator('article.call').count(), 0);
  await sosAnsweredBy(kiosk, an);
  const add = async (username: string, note: string) => {
    await an.getByLabel('Tài khoản').fill(username);
    await an.getByLabel('Ghi chú bàn giao').fill(note);
    await an.getByRole('button', { name: /Thêm vào cuộc gọi/ }).click();
    await an.locator(`li[data-username="${username}"]`).waitFor({ timeout: 5000 });
  };
  await add('canbo.binh', 'Cần hỗ trợ tại sảnh / backup needed in the lobby');
  await add('yte.115', 'Người cao tuổi khó thở / elderly resident short of breath');
  const started = Date.now();
  for (const [p, note] of [
    [medic, 'Người cao tuổi khó thở'],
    [binh, 'Cần hỗ trợ tại sảnh'],
  ] as const) {
    const inv = p.locator('article.invitation', { hasText: STATION });
    await inv.getByText(note, { exact: false }).waitFor({ timeout: 5000 });
    await inv.getByRole('button', { name: /Tham gia/ }).click();
  }
  await hasMedia(medic, 'the medic');
  t.diagnostic(`join -> the medic has media: ${Date.now() - started} ms`);
  await hasMedia(binh, 'the second officer');
  await hasMedia(kiosk, 'the kiosk');
  await kiosk.getByText('Đã tham gia: Y tế 115 — Cấp cứu 115 Lan').waitFor({ timeout: 5000 });
  await kiosk.getByText('Đã tham gia: Công an — Trung úy Trần Thị Bình').waitFor({ timeout: 5000 });

  // warm transfer: the first officer hands over to the second and leaves; the call goes on
  const callId = await lastCallId();
  await an.getByRole('button', { name: /Chuyển giao cho Trung úy Trần Thị Bình/ }).click();
  await binh.getByText('Bạn đang phụ trách cuộc gọi').waitFor({ timeout: 5000 });
  await an.getByRole('region', { name: 'Cuộc gọi', exact: true }).waitFor({ state: 'detached', timeout: 5000 });
  const [owner] = await db.sql`SELECT s.username, c.status FROM calls c JOIN staff s ON s.id = c.answered_by WHERE c.id = ${callId}`;
  assert.deepEqual({ ...owner }, { username: 'canbo.binh', status: 'answered' });
  await hasMedia(kiosk, 'the kiosk after the transfer');
  await binh.getByRole('button', { name: 'Kết thúc', exact: true }).click();
  const timeline = binh.getByRole('region', { name: 'Diễn biến', exact: true });
  for (const k of ['responder_invited', 'responder_joined', 'transferred', 'ended'])
    await timeline.getByText(` ${k} `, { exact: false }).first().waitFor({ timeout: 5000 });
});

test('silent SOS: "Tôi không nói được", quick replies, the officer answers in text, the kiosk shows it', async (t) => {
  const an = await staff('canbo.an');
  const kiosk = await kioskPage();
  t.after(async () => {
    for (const [n, p] of Object.entries({ an, kiosk })) await screenshot(p, `followup-silent-${n}`).catch(() => {});
    await kiosk.context().close();
    await an.context().close();
  });
  await sosAnsweredBy(kiosk, an);
  await kiosk.getByRole('button', { name: 'Tôi không nói được' }).click();
  await an.getByText('Người dân không nói được').waitFor({ timeout: 5000 });
  for (const q of ['Có người ở đây', 'Cần cấp cứu y tế']) await kiosk.getByRole('button', { name: q, exact: true }).click();
  const chat = an.getByRole('complementary', { name: 'Tin nhắn' });
  await chat.getByText('Cần cấp cứu y tế').waitFor({ timeout: 5000 });
  await chat.getByText('Có người ở đây').waitFor();
  await chat.getByLabel('Trả lời').fill('Xe cấp cứu đang đến, hãy ở yên tại chỗ');
  await chat.getByRole('button', { name: /Gửi/ }).click();
  const shown = kiosk.locator('.silent-chat li.staff', { hasText: 'Xe cấp cứu đang đến, hãy ở yên tại chỗ' });
  await shown.waitFor({ timeout: 5000 });
  const size = await shown.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 28, `the officer's reply is large on the kiosk (${size}px)`);
  // video stays on
  await hasMedia(an, 'the police console in the silent call');
  // the chat survives a reload of the kiosk page
  await kiosk.reload();
  await kiosk.locator('.silent-chat li', { hasText: 'Cần cấp cứu y tế' }).waitFor({ timeout: 10_000 });
});
