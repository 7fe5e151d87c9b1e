// The police console in headless Chromium against the real hub and LiveKit: an SOS from a station
// where a resident had identified with their ID card rings two officers; the one who answers sees
// the verified name (audited), the colleague sees only "identified resident" and who took the
// call; a doctor's handover shows in the card; the action bar stays on screen at 1280×800 and
// 1600×1000; Alt+H hangs up and the outcome is required; the language switch shows one language;
// the call's room lost (its media server died): "media lost — call back", and calling back rejoins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { RoomServiceClient } from 'livekit-server-sdk';
import { freshDatabase, raiseSos, startTestHub } from './support/env.ts';
import { launchChromium, screenshot, staffPage } from './support/browser.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { startBus } from '../src/db/bus.ts';
import { upsertCitizen } from '../src/identity/store.ts';
import { openSession } from '../src/identity/service.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let browser: Browser;

before(async () => {
  db = await freshDatabase();
  // the media watch looks every second (a lost room is flagged within a few)
  hub = await startTestHub(db.url, { MEDIA_WATCH_S: '1' });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await hub?.stop();
  await db?.drop();
});

async function officer(username: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await staffPage(browser, `${hub.url}/police/`, username, DEMO_PASSWORD, viewport);
  await page.getByText('Trực tuyến', { exact: true }).waitFor();
  return page;
}

/** The element is wholly inside the viewport (not scrolled away, not cut off). */
async function onScreen(page: Page, selector: string) {
  const box = await page.locator(selector).boundingBox();
  const vp = page.viewportSize()!;
  assert.ok(box, `${selector} is rendered`);
  assert.ok(box.y >= 0 && box.y + box.height <= vp.height && box.x >= 0 && box.x + box.width <= vp.width, `${selector} is on screen`);
}

test('identified resident: only the answering officer sees the verified name; doctor handover; action bar on screen; outcome required', async (t) => {
  const bus = await startBus(db.url, () => {});
  const citizenId = await upsertCitizen(db.sql, {
    idNumber: '079190003344',
    fullName: 'Lê Thị Hạnh',
    dateOfBirth: '02/09/1955',
    sex: 'Nữ',
  });
  await db.sql.begin((tx) =>
    openSession(tx, bus, db.demo.station.id, citizenId, {
      access: 'BAC',
      passiveAuthentication: 'passed',
      activeAuthentication: 'not_supported',
    }),
  );
  await bus.close();

  const an = await officer('canbo.an');
  const binh = await officer('canbo.binh', { width: 1600, height: 1000 });
  t.after(async () => {
    for (const [n, p] of Object.entries({ an, binh })) await screenshot(p, `police-console-${n}`).catch(() => {});
  });

  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json();
  // a doctor's handover on this call (as a consult escalation leaves it)
  const [consult] = await db.sql`
    INSERT INTO consults (station_id, session_id, citizen_id, idempotency_key, reason, status, room_name)
    SELECT ${db.demo.station.id}, id, ${citizenId}, 'k-handover', 'chest_pain', 'completed', 'room-handover'
    FROM citizen_sessions WHERE citizen_id = ${citizenId} RETURNING id`;
  const [doctor] = await db.sql`SELECT id FROM staff WHERE username = 'bacsi.dung'`;
  const vitals = [
    { kind: 'bp', values: { systolic: 190, diastolic: 120 }, unit: 'mm[Hg]', at: new Date().toISOString(), flag: 'hypertensive_crisis' },
    { kind: 'spo2', value: 95, unit: '%', at: new Date().toISOString() },
  ];
  await db.sql`INSERT INTO call_medical_handovers (call_id, consult_id, citizen_id, clinician_id, vitals)
               VALUES (${call.id}, ${consult!.id}, ${citizenId}, ${doctor!.id}, ${db.sql.json({ list: vitals } as never)})`;

  for (const p of [an, binh]) {
    const row = p.locator('article.call', { hasText: 'Trạm công dân Đảo Kim Cương' });
    await row.waitFor({ timeout: 3000 });
    await row.getByText('Cư dân đã xác thực danh tính', { exact: false }).waitFor();
    await row.locator('.ward', { hasText: 'Phường Bình Trưng' }).waitFor();
    await row.getByText('Phường', { exact: true }).waitFor(); // the level, in words
  }
  // time since ringing turns red after 15 s
  await db.sql`UPDATE calls SET created_at = now() - interval '20 seconds' WHERE id = ${call.id}`;
  await an.reload();
  await an.locator('article.call.late').waitFor({ timeout: 5000 });
  await onScreen(an, '[data-testid=action-bar] .answer');

  // answering from the pinned action bar with the keyboard
  await an.keyboard.press('Alt+A');
  await an.getByText('Lê Thị Hạnh').first().waitFor({ timeout: 5000 });
  await an.getByText(/BAC ✓/).waitFor();
  // the doctor's handover: clinician and flagged vitals
  const handover = an.getByRole('region', { name: /Bàn giao y tế/ });
  await handover.getByText(/BS. Hoàng Thị Dung/).waitFor({ timeout: 5000 });
  await handover.getByText(/190\/120/).waitFor();
  await handover.getByText(/hypertensive_crisis/).waitFor();
  await handover.getByText('Lý do gặp bác sĩ: Đau ngực').waitFor();

  // the colleague: who took it, never who is calling
  await binh.getByText('Đang xử lý: Thiếu úy Nguyễn Văn An').waitFor({ timeout: 5000 });
  await binh.locator('article.call').waitFor({ state: 'detached', timeout: 3000 });
  assert.equal(await binh.getByText('Lê Thị Hạnh').count(), 0, 'the colleague does not see the name');
  const card = await (await binh.request.get(`${hub.url}/api/calls/${call.id}/card`)).json();
  assert.deepEqual(card.resident, { identified: true, person: null });

  const reads = await db.sql`SELECT actor FROM audit_log WHERE action = 'call.resident.read' AND subject = ${`citizen:${citizenId}`}`;
  assert.ok(reads.length >= 1);
  assert.deepEqual([...new Set(reads.map((r) => r.actor))], ['staff:canbo.an']);

  // in a call at 1280×800 the hang-up button is on screen; at 1600×1000 too
  await onScreen(an, '[data-testid=action-bar] .hangup');
  await screenshot(an, 'police-console-1280x800-in-call');
  await onScreen(binh, '[data-testid=action-bar] .hangup');
  await screenshot(binh, 'police-console-1600x1000');

  // Alt+H hangs up; the outcome is required before saving
  await an.keyboard.press('Alt+H');
  await an.getByRole('form', { name: /Kết quả xử lý/ }).waitFor({ timeout: 5000 });
  await an.getByRole('button', { name: 'Lưu kết quả' }).click();
  await an.getByRole('alert').getByText('Chọn kết quả trước khi lưu').waitFor();
  await an.getByLabel('Chuyển cấp cứu 115').check();
  await an.getByLabel('Báo cáo').fill('Cư dân khó thở, đã chuyển 115.');
  await an.getByRole('button', { name: 'Lưu kết quả' }).click();
  await an
    .getByRole('status')
    .getByText(/Đã lưu/)
    .waitFor({ timeout: 5000 });
  const [row] = await db.sql`SELECT status, outcome, report FROM calls WHERE id = ${call.id}`;
  assert.deepEqual({ ...row }, { status: 'ended', outcome: 'handed_to_115', report: 'Cư dân khó thở, đã chuyển 115.' });
  // the timeline in plain words
  await an.getByText('Cư dân bấm SOS tại trạm').waitFor();
  await an.getByText('Thiếu úy Nguyễn Văn An đã trả lời').waitFor();
  await screenshot(an, 'police-console-1280x800-after-call');

  // one language at a time
  await an.getByRole('button', { name: 'English' }).click();
  await an.getByText('On duty', { exact: true }).waitFor();
  assert.equal(await an.getByText('Trực tuyến', { exact: true }).count(), 0);
  // the follow-up list beside the calls and the applications tab follow the switch too
  await an
    .getByRole('region', { name: 'Missed calls' })
    .getByRole('heading', { name: /^Missed calls — call back \(\d+\)$/ })
    .waitFor();
  assert.equal(await an.getByText(/Cuộc gọi nhỡ/).count(), 0);
  await an.getByRole('button', { name: 'Public-service applications' }).click();
  await an.getByRole('heading', { name: /^Applications \(\d+\)$/ }).waitFor();
  assert.equal(await an.getByText(/^(Hồ sơ dịch vụ công|Không có hồ sơ)/).count(), 0);
  await an.getByRole('button', { name: 'Calls', exact: true }).click();
  await an.getByRole('button', { name: 'Tiếng Việt' }).click();
  await an.getByText('Trực tuyến', { exact: true }).waitFor();
});

test('history: search and CSV export from the console; the export is audited', async () => {
  const page = await officer('chihuy');
  await page.getByRole('button', { name: 'Lịch sử' }).click();
  await page.getByRole('button', { name: 'Tìm' }).click();
  await page.locator('.history tbody tr[data-call-id]').first().waitFor({ timeout: 5000 });
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Xuất CSV' }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /\.csv$/);
  const [audit] = await db.sql`SELECT actor FROM audit_log WHERE action = 'call.history.export'`;
  assert.equal(audit!.actor, 'staff:chihuy');
  // open a past call's card and timeline
  await page.locator('.history tbody tr[data-call-id]').first().getByRole('button', { name: 'Xem' }).click();
  await page.getByRole('region', { name: 'Diễn biến cuộc gọi' }).waitFor({ timeout: 5000 });
  await page.getByRole('button', { name: 'Chất lượng phục vụ' }).click();
  await page.locator('.levels tr[data-ward-id=all]').waitFor({ timeout: 5000 });
  await screenshot(page, 'police-console-command-levels');
});

test('media lost: the officer is told in the console language and calls back; the console joins the room made anew', async (t) => {
  const page = await officer('canbo.an');
  t.after(() => page.context().close());
  const rooms = new RoomServiceClient(process.env.LIVEKIT_URL!, process.env.LIVEKIT_API_KEY!, process.env.LIVEKIT_API_SECRET!);
  const inRoom = async (room: string) => {
    for (const end = Date.now() + 15_000; Date.now() < end; await new Promise((r) => setTimeout(r, 200)))
      if ((await rooms.listParticipants(room)).some((p) => p.identity === 'staff:canbo.an')) return true;
    return false;
  };
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json();
  await page.locator('article.call', { hasText: 'Trạm công dân Đảo Kim Cương' }).getByRole('button', { name: 'Trả lời' }).click();
  const [row] = await db.sql<{ room_name: string }[]>`SELECT room_name FROM calls WHERE id = ${call.id}`;
  assert.ok(await inRoom(row!.room_name), 'the console joined the call');

  // The room is lost, as when the LiveKit node holding it dies and nobody brings it back: the call
  // now names a room LiveKit does not have. The hub's media watch notices; no webhook is involved.
  const gone = `sos-${randomUUID()}`;
  await db.sql`UPDATE calls SET room_name = ${gone} WHERE id = ${call.id}`;
  await page.getByRole('alert').filter({ hasText: 'Mất kết nối hình ảnh/âm thanh — hãy gọi lại' }).waitFor({ timeout: 10_000 });
  await page.getByText('Mất kết nối hình ảnh/âm thanh: máy chủ giữ phòng đã ngừng').waitFor({ timeout: 5000 }); // the timeline
  // one language at a time
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('alert').filter({ hasText: 'Media lost — call back' }).waitFor();
  assert.equal(await page.getByText(/Mất kết nối hình ảnh/).count(), 0);
  await screenshot(page, 'police-console-media-lost');

  await page.getByRole('button', { name: 'Call back', exact: true }).click();
  await page.getByText('Media lost — call back').waitFor({ state: 'detached', timeout: 10_000 });
  assert.ok(await inRoom(gone), 'the console joined the room made anew with its new grant');
  const kinds = (
    await db.sql<{ kind: string; actor: string }[]>`
    SELECT kind, actor FROM call_events WHERE call_id = ${call.id} AND kind IN ('media_lost', 'media_rejoined') ORDER BY id`
  ).map((r) => `${r.kind} ${r.actor}`);
  assert.deepEqual(kinds, ['media_lost hub', 'media_rejoined staff:canbo.an']);
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await page.keyboard.press('Alt+H');
  await page.getByRole('form', { name: /Kết quả xử lý/ }).waitFor({ timeout: 5000 });
});
