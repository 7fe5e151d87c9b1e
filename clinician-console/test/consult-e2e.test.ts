// End to end in headless Chromium against the real hub, PostgreSQL and LiveKit: a resident with
// vitals asks for a doctor; the clinician console sees them live, one of two doctors wins the
// accept, the doctor sees the resident's video, asks the booth to re-measure blood pressure and
// sees the new value arrive, and closes with a note that the FHIR API returns. Then a resident
// who walks away mid-call, the emergency action, and a police account kept out of the queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freshDatabase, listen, login, repoRoot, startTestHub } from '../../hub/test/support/env.ts';
import { growing, inbound, launchChromium, screenshot, staffPage } from '../../hub/test/support/browser.ts';
import { citizenSession, postReadings, reading } from '../../hub/test/vitals-fixtures.ts';
import { DEMO_PASSWORD } from '../../hub/src/seed.ts';
import { createStaff } from '../../hub/src/auth/service.ts';
import { MEDICAL_EMERGENCY_NOTE } from '@tram/contracts';
import { joinAsStation, leaveRoom, stationMedia, stationMediaPage } from './support/station-media.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let browser: Browser;
let cred: string;
let winnerPage: Page; // the doctor who won the first accept, reused by the later tests
const shots: [string, Page][] = [];

before(async () => {
  db = await freshDatabase();
  await createStaff(db.sql, { username: 'bacsi.hoa', displayName: 'BS. Lý Thu Hòa', role: 'clinician', password: DEMO_PASSWORD });
  hub = await startTestHub(db.url);
  cred = db.demo.station.credential;
  browser = await launchChromium();
});
after(async () => {
  for (const [n, p] of shots) await screenshot(p, `consult-e2e-${n}`).catch(() => {});
  await browser?.close();
  await hub?.stop();
  await db?.drop();
});

async function consolePage(username: string, name: string): Promise<Page> {
  const page = await staffPage(browser, `${hub.url}/clinician/`, username, DEMO_PASSWORD, { width: 1400, height: 1000 });
  shots.push([name, page]);
  return page;
}
async function goAvailable(page: Page) {
  const toggle = page.getByRole('switch', { name: /Sẵn sàng nhận ca/ });
  if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
  await page.locator('[role=switch][aria-checked=true]').waitFor({ timeout: 3000 });
  await page.getByText(/Trực tuyến/).waitFor({ timeout: 3000 });
}
const requestConsult = async (reason: string) => {
  const r = await fetch(`${hub.url}/api/consults`, {
    method: 'POST',
    headers: { authorization: `Station ${cred}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    body: JSON.stringify({ reason }),
  });
  const b = await r.json();
  assert.equal(r.status, 201, JSON.stringify(b));
  return b.consult as { id: string };
};
/** The screen in both orientations, kept in test-output/screens/ for review (then back to the page's size). */
async function screens(page: Page, name: string) {
  const was = page.viewportSize();
  mkdirSync(join(repoRoot, 'test-output/screens'), { recursive: true });
  for (const [tag, size] of [
    ['landscape', { width: 1920, height: 1080 }],
    ['portrait', { width: 1080, height: 1920 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(repoRoot, 'test-output/screens', `${name}-${tag}.png`) });
  }
  if (was) await page.setViewportSize(was);
}

/** axe-core's serious and critical findings in the call's video and controls and the note (what this console's call changed). */
async function axeCall(page: Page) {
  // evaluated through the debugging protocol: the console's CSP allows no injected <script>
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const r = await (window as any).axe.run({ include: [['.media'], ['form.note']] }, { resultTypes: ['violations'] });
    return (r.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

const card = (page: Page, id: string) => page.locator(`article[data-consult-id="${id}"]`);

test('queue live with vitals, one winner, video, re-measure arrives live, note saved as FHIR', async (t) => {
  const resident = await citizenSession(db, db.demo.station.id, '079160001234');
  const ingest = await postReadings(hub.url, cred, {
    sessionId: resident.sessionId,
    readings: [
      reading('blood_pressure', { systolic: 148, diastolic: 92 }, new Date(Date.now() - 60_000)),
      reading('spo2', 91, new Date(Date.now() - 60_000)),
      reading('heart_rate', 88, new Date(Date.now() - 60_000)),
      reading('temperature', 37.4, new Date(Date.now() - 60_000)),
    ],
  });
  assert.equal(ingest.status, 200);

  const dung = await consolePage('bacsi.dung', 'dung');
  const hoa = await consolePage('bacsi.hoa', 'hoa');
  await goAvailable(dung);
  await goAvailable(hoa);
  await dung.getByText('Không có ai đang chờ').waitFor();
  await dung.evaluate(() => {
    (window as any).__chimes = 0;
  });

  // the request appears in both consoles without a reload, urgent (SpO2 91 is low), with its vitals
  const asked = Date.now();
  const consult = await requestConsult('breathing');
  await Promise.all([dung, hoa].map((p) => card(p, consult.id).waitFor({ timeout: 2000 })));
  t.diagnostic(`request -> visible in both consoles: ${Date.now() - asked} ms`);
  const entry = card(dung, consult.id);
  assert.match(await entry.innerText(), /Nguyễn Thị Mai/);
  assert.match(await entry.innerText(), /148\/92/);
  // out of the normal band is said in words too, not only in colour (WCAG 1.4.1)
  assert.match(await entry.locator('li[data-kind=blood_pressure]').innerText(), /148\/92 mmHg\s+↑ cao/);
  assert.match(await entry.locator('li[data-kind=spo2]').innerText(), /↓ thấp/);
  assert.match(await entry.innerText(), /91/);
  assert.match(await entry.innerText(), /SpO₂ thấp/);
  assert.match(await entry.innerText(), /Khó thở/);
  assert.match(await entry.innerText(), /KHẨN/);
  assert.match(await entry.innerText(), /\b\d+ tuổi/);
  // one language at a time: no English beside the Vietnamese
  assert.doesNotMatch(await entry.innerText(), /URGENT|Low SpO₂|Breathing|high|Waiting/);
  assert.match((await entry.getAttribute('class')) ?? '', /urgency2/);
  await dung.waitForFunction(() => (window as any).__chimes >= 1, null, { timeout: 2000 });
  await screenshot(dung, 'consult-e2e-queue');
  await screens(dung, 'clinician-queue');

  // both press accept at once: exactly one gets the call, the other is told who won
  await Promise.all(
    [dung, hoa].map((p) =>
      card(p, consult.id)
        .getByRole('button', { name: /Nhận khám/ })
        .click(),
    ),
  );
  const winner = await Promise.race([
    dung
      .getByRole('region', { name: /Buổi khám/ })
      .waitFor({ timeout: 5000 })
      .then(() => 'dung'),
    hoa
      .getByRole('region', { name: /Buổi khám/ })
      .waitFor({ timeout: 5000 })
      .then(() => 'hoa'),
  ]);
  const [doc, loser] = winner === 'dung' ? [dung, hoa] : [hoa, dung];
  winnerPage = doc;
  await loser
    .getByRole('alert')
    .filter({ hasText: /Bác sĩ khác đã nhận ca này/ })
    .waitFor({ timeout: 3000 });
  assert.equal(await loser.getByRole('region', { name: /Buổi khám/ }).count(), 0, 'the loser has no call screen');
  t.diagnostic(`winner: ${winner}; loser saw: ${await loser.getByRole('alert').innerText()}`);

  // the station joins the room as the kiosk would; the doctor decodes the resident's video
  const station = await stationMediaPage(browser, hub.url);
  shots.push(['station', station]);
  await joinAsStation(station, await stationMedia(hub.url, cred, consult.id));
  await doc.waitForFunction(
    () => {
      const v = document.querySelector('[data-testid=remote-video]') as HTMLVideoElement | null;
      return !!v && v.videoWidth > 0;
    },
    null,
    { timeout: 15_000 },
  );
  const decoded = await growing(
    async () => (await inbound(doc, 'video')).framesDecoded,
    'frames of the resident decoded by the clinician page',
  );
  t.diagnostic(`clinician page decoded ${decoded} frames in 2 s`);
  await growing(
    async () => (await inbound(doc, 'audio')).totalSamplesReceived,
    'audio samples of the resident received by the clinician page',
  );
  await station.waitForFunction(
    () => {
      const v = document.querySelector('[data-testid=station-remote-video]') as HTMLVideoElement | null;
      return !!v && v.videoWidth > 0;
    },
    null,
    { timeout: 15_000 },
  );

  // the vitals panel starts from the record; history lists the earlier readings
  assert.equal((await doc.getByTestId('latest-blood_pressure').innerText()).split(/\s/)[0], '148/92');
  await doc.getByTestId('chart-blood_pressure').locator('canvas').waitFor({ timeout: 3000 });
  await doc
    .getByTestId('live-state')
    .filter({ hasText: /Trực tiếp/ })
    .waitFor({ timeout: 5000 });
  assert.match(await doc.getByTestId('earlier-readings').innerText(), /148\/92/);
  // abnormal values carry a text flag on the live panel and in the earlier readings
  assert.equal((await doc.getByTestId('abnormal-blood_pressure').innerText()).trim(), '↑ cao');
  assert.equal((await doc.getByTestId('abnormal-spo2').innerText()).trim(), '↓ thấp');
  assert.match(await doc.getByTestId('earlier-readings').innerText(), /148\/92 mmHg ↑ cao/);

  // re-measure blood pressure: the booth is asked; its new reading shows within 2 s
  const kiosk = await listen(hub.url, { station: cred });
  try {
    await doc.getByRole('button', { name: /Đo lại Huyết áp/ }).click();
    const rm = await kiosk.next((e) => e.type === 'vitals.remeasure', 3000);
    assert.equal(rm.data.kind, 'blood_pressure');
  } finally {
    kiosk.close();
  }
  await doc
    .getByRole('button', { name: /Đo lại Huyết áp/ })
    .filter({ hasText: /Đang đo/ })
    .waitFor({ timeout: 2000 });
  const posted = Date.now();
  const r = await postReadings(hub.url, cred, {
    sessionId: resident.sessionId,
    readings: [reading('blood_pressure', { systolic: 163, diastolic: 101 })],
  });
  assert.equal(r.status, 200);
  await doc.getByTestId('latest-blood_pressure').filter({ hasText: '163/101' }).waitFor({ timeout: 2000 });
  t.diagnostic(`new BP reading -> on the clinician page: ${Date.now() - posted} ms`);
  // the chart got the point too (2 BP samples), and the button is free again
  await doc
    .getByRole('button', { name: /Đo lại Huyết áp/ })
    .filter({ hasText: /^Đo lại$/ })
    .waitFor({ timeout: 1000 });
  await screenshot(doc, 'consult-e2e-in-call');
  await screens(doc, 'clinician-in-call');

  // in-call controls: mute and camera reach the station as muted tracks (what the resident's
  // kiosk shows), operable from the keyboard; the call timer runs
  const doctorTrack = (kind: 'audio' | 'video') =>
    station.evaluate((k) => {
      for (const p of (window as any).__room.remoteParticipants.values())
        for (const pub of p.trackPublications.values()) if (pub.kind === k) return pub.isMuted as boolean;
      return null;
    }, kind);
  const waitTrack = async (kind: 'audio' | 'video', muted: boolean) => {
    const deadline = Date.now() + 5000;
    while ((await doctorTrack(kind)) !== muted) {
      if (Date.now() > deadline) throw new Error(`the station never saw the doctor's ${kind} ${muted ? 'muted' : 'unmuted'}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const controls = doc.getByRole('toolbar', { name: /Điều khiển cuộc gọi/ });
  assert.equal(await doctorTrack('audio'), false);
  const mute = controls.getByRole('button', { name: 'Tắt tiếng', exact: true });
  await mute.focus();
  await doc.keyboard.press('Enter');
  await controls.getByRole('button', { name: /Đang tắt tiếng/ }).waitFor({ timeout: 3000 });
  await waitTrack('audio', true);
  await controls.getByRole('button', { name: 'Tắt camera', exact: true }).click();
  await controls.getByRole('button', { name: /Camera đang tắt/ }).waitFor({ timeout: 3000 });
  await waitTrack('video', true);
  await screens(doc, 'clinician-muted');
  assert.deepEqual(await axeCall(doc), [], 'the call controls, muted');
  await controls.getByRole('button', { name: /Đang tắt tiếng/ }).click();
  await controls.getByRole('button', { name: /Camera đang tắt/ }).click();
  await waitTrack('audio', false);
  await waitTrack('video', false);
  assert.match(await doc.getByTestId('consult-timer').innerText(), /\d\d:\d\d/);

  // usable at 1280x800: the call controls (mute, camera, end) in view without scrolling, nothing sideways
  await doc.setViewportSize({ width: 1280, height: 800 });
  await doc.waitForTimeout(100);
  for (const name of [/Tắt tiếng/, /Tắt camera/, /Kết thúc buổi khám/]) {
    const box = (await controls.getByRole('button', { name }).boundingBox())!;
    assert.ok(box.y >= 0 && box.y + box.height <= 800 && box.x + box.width <= 1280, `${name} in view at 1280x800`);
  }
  assert.equal(await doc.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
  await screenshot(doc, 'consult-e2e-1280x800');

  // the note is saved during the call, without ending it, and stays editable
  const consultStatus = async () => (await db.sql`SELECT status FROM consults WHERE id = ${consult.id}`)[0]!.status;
  const endButton = controls.getByRole('button', { name: /Kết thúc buổi khám/ });
  assert.equal(await endButton.isDisabled(), true, 'nothing to end with before a note is written');
  const note = doc.getByRole('form', { name: /Ghi chú khám/ });
  await note.getByLabel(/Lý do khám/).fill('Khó thở, SpO₂ thấp');
  await note.getByLabel(/Khám thấy/).fill('SpO₂ 91%, huyết áp 163/101');
  await note.getByLabel(/Lời khuyên/).fill('Ngồi nghỉ.');
  await note.getByLabel(/Khám trực tiếp/).check();
  await note.getByRole('button', { name: /Lưu ghi chú/ }).click();
  await doc
    .getByTestId('note-state')
    .filter({ hasText: /Đã lưu lúc \d\d:\d\d:\d\d — cuộc gọi vẫn tiếp tục/ })
    .waitFor({ timeout: 5000 });
  assert.equal(await consultStatus(), 'in_call', 'saving the note does not end the consult');
  assert.equal(await doc.getByRole('region', { name: /Buổi khám/ }).count(), 1, 'the call screen stays');
  assert.ok((await inbound(doc, 'video')).framesDecoded > 0);
  await note.getByLabel(/Lời khuyên/).fill('Ngồi nghỉ, đến trạm y tế phường trong hôm nay.');
  await doc
    .getByTestId('note-state')
    .filter({ hasText: /Có thay đổi chưa lưu/ })
    .waitFor();
  await note.getByRole('button', { name: /Cập nhật ghi chú/ }).click();
  await doc
    .getByTestId('note-state')
    .filter({ hasText: /Đã lưu lúc/ })
    .waitFor({ timeout: 5000 });
  await screens(doc, 'clinician-note-saved');
  assert.deepEqual(await axeCall(doc), [], 'the saved note');

  // a reload mid-call: rejoining brings the saved note back into the form, still editable
  await doc.reload();
  await card(doc, consult.id)
    .getByRole('button', { name: /Vào lại/ })
    .click();
  await doc.getByRole('region', { name: /Buổi khám/ }).waitFor({ timeout: 5000 });
  assert.equal(await note.getByLabel(/Lời khuyên/).inputValue(), 'Ngồi nghỉ, đến trạm y tế phường trong hôm nay.');
  assert.equal(await note.getByLabel(/Khám trực tiếp/).isChecked(), true);
  await doc
    .getByTestId('note-state')
    .filter({ hasText: /Đã lưu lúc/ })
    .waitFor();

  // ending is its own act and asks first; "back to the call" keeps it
  await endButton.click();
  const confirm = doc.getByRole('alertdialog', { name: /Xác nhận kết thúc/ });
  await confirm.waitFor();
  await screens(doc, 'clinician-end-confirm');
  assert.deepEqual(await axeCall(doc), [], 'the end confirmation');
  await confirm.getByRole('button', { name: /Quay lại cuộc gọi/ }).click();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await consultStatus(), 'in_call', 'going back keeps the consult');
  await endButton.click();
  await confirm.getByRole('button', { name: 'Kết thúc', exact: true }).click();
  await doc
    .getByRole('status')
    .filter({ hasText: /Đã kết thúc buổi khám, ghi chú đã lưu/ })
    .waitFor({ timeout: 5000 });
  assert.equal(await doc.getByRole('region', { name: /Buổi khám/ }).count(), 0, 'the call screen closes');
  assert.equal(await consultStatus(), 'completed');
  await card(doc, consult.id).waitFor({ state: 'detached', timeout: 3000 });
  await doc.setViewportSize({ width: 1400, height: 1000 });

  // the doctor who took the consult may read the resident's record (the other one may not)
  const cookie = await login(hub.url, `bacsi.${winner}`, DEMO_PASSWORD);
  const fhirGet = async (path: string) => {
    const res = await fetch(`${hub.url}/fhir/${path}`, { headers: { cookie } });
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    return res.json() as Promise<any>;
  };
  const encounters = await fhirGet(`Encounter?patient=${resident.citizenId}`);
  const enc = encounters.entry.map((e: any) => e.resource).find((x: any) => x.id === consult.id);
  assert.ok(enc, 'the consult Encounter is found by a FHIR search');
  assert.equal(enc.status, 'finished');
  assert.equal(enc.reasonCode[0].text, 'Khó thở, SpO₂ thấp');
  const ci = await fhirGet(`ClinicalImpression/${consult.id}`);
  assert.equal(ci.summary, 'Ngồi nghỉ, đến trạm y tế phường trong hôm nay.');
  assert.equal(ci.finding[0].itemCodeableConcept.text, 'SpO₂ 91%, huyết áp 163/101');
  assert.equal(ci.extension.find((x: any) => x.url.endsWith('/referral')).valueCode, 'in_person');
  await leaveRoom(station);
  await station.context().close();
});

test('a later consult shows the earlier visit note; the emergency action asks first and rings the ward; the resident walking away closes the call', async (t) => {
  const doc = winnerPage;
  // the same resident (same card) comes back
  const resident = await citizenSession(db, db.demo.station.id, '079160001234');
  await postReadings(hub.url, cred, {
    sessionId: resident.sessionId,
    readings: [reading('blood_pressure', { systolic: 190, diastolic: 118 })],
  });
  const consult = await requestConsult('chest_pain');
  await card(doc, consult.id)
    .getByRole('button', { name: /Nhận khám/ })
    .click();
  await doc.getByRole('region', { name: /Buổi khám/ }).waitFor({ timeout: 5000 });
  const visit = doc.getByTestId('visit-note').first();
  await visit.waitFor({ timeout: 5000 });
  assert.match(await visit.innerText(), /Ngồi nghỉ, đến trạm y tế phường trong hôm nay\./);
  assert.match(await visit.innerText(), /Khám trực tiếp/);

  const officer = await listen(hub.url, { cookie: await login(hub.url, 'canbo.an', DEMO_PASSWORD) });
  try {
    await doc.getByRole('button', { name: /🚑 Cấp cứu/ }).click();
    await doc
      .getByRole('alertdialog', { name: /Xác nhận cấp cứu/ })
      .getByRole('button', { name: /Hủy/ })
      .click();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(officer.events.filter((e) => e.type === 'call.ringing').length, 0, 'cancelling the confirmation raises nothing');
    await doc.getByRole('button', { name: /🚑 Cấp cứu/ }).click();
    await doc
      .getByRole('alertdialog', { name: /Xác nhận cấp cứu/ })
      .getByRole('button', { name: /Xác nhận cấp cứu/ })
      .click();
    const ring = await officer.next((e) => e.type === 'call.ringing', 5000);
    // the ward hears only that it is a medical emergency; the vitals go to the answering officer (hub/test/consults.test.ts)
    assert.equal(ring.data.call.note, MEDICAL_EMERGENCY_NOTE);
    await doc.getByText(/Đã chuyển cấp cứu/).waitFor({ timeout: 3000 });
    assert.equal(await doc.getByLabel(/^Cấp cứu$/).isChecked(), true, 'the note form now says emergency referral');
  } finally {
    officer.close();
  }

  // the resident removes the card: the doctor is told plainly and the call closes
  const removed = await fetch(`${hub.url}/api/identity/session`, {
    method: 'DELETE',
    headers: { authorization: `Station ${cred}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'card_removed' }),
  });
  assert.equal(removed.status, 200);
  await doc
    .getByRole('alert')
    .filter({ hasText: /Người dân đã rời trạm/ })
    .waitFor({ timeout: 5000 });
  assert.equal(await doc.getByRole('region', { name: /Buổi khám/ }).count(), 0);
  t.diagnostic(
    await doc
      .getByRole('alert')
      .filter({ hasText: /rời trạm/ })
      .innerText(),
  );
});

test('without the FHIR websocket the panel falls back to polling and new readings still arrive within 2 s', async (t) => {
  const doc = winnerPage;
  // every socket to the FHIR Subscriptions channel is refused (the realtime /ws is untouched)
  await doc.routeWebSocket(/\/fhir\/ws$/, (ws) => ws.close({ code: 1011, reason: 'refused by the test' }));
  const resident = await citizenSession(db, db.demo.station.id, '079160007777');
  await postReadings(hub.url, cred, {
    sessionId: resident.sessionId,
    readings: [reading('temperature', 37.0, new Date(Date.now() - 30_000))],
  });
  const consult = await requestConsult('fever');
  await card(doc, consult.id)
    .getByRole('button', { name: /Nhận khám/ })
    .click();
  await doc
    .getByTestId('live-state')
    .filter({ hasText: /Cập nhật mỗi giây/ })
    .waitFor({ timeout: 10_000 });
  const posted = Date.now();
  await postReadings(hub.url, cred, { sessionId: resident.sessionId, readings: [reading('temperature', 38.6)] });
  await doc.getByTestId('latest-temperature').filter({ hasText: '38.6' }).waitFor({ timeout: 2000 });
  t.diagnostic(`new reading -> on the page by polling: ${Date.now() - posted} ms`);
  await doc.unrouteAll();
  assert.equal(
    (await fetch(`${hub.url}/api/consults/${consult.id}/cancel`, { method: 'POST', headers: { authorization: `Station ${cred}` } })).status,
    200,
  );
  await doc
    .getByRole('alert')
    .filter({ hasText: /Người dân đã rời trạm/ })
    .waitFor({ timeout: 5000 });
});

test('a police account cannot open the queue (403), in the API and in the console', async () => {
  const police = await login(hub.url, 'canbo.an', DEMO_PASSWORD);
  const q = await fetch(`${hub.url}/api/consults/queue`, { headers: { cookie: police } });
  assert.equal(q.status, 403);
  assert.equal((await fetch(`${hub.url}/fhir/Observation?patient=${randomUUID()}`, { headers: { cookie: police } })).status, 403);
  const page = await consolePage('canbo.an', 'police');
  await page
    .getByRole('alert')
    .filter({ hasText: /không được xem hàng chờ khám/ })
    // a loaded machine (a whole page load after sign-in) takes longer than 3 s
    .waitFor({ timeout: 10_000 });
  assert.equal(await page.getByRole('switch').count(), 0, 'no presence toggle for police');
  assert.equal(await page.locator('article[data-consult-id]').count(), 0);
});

test('the language switch turns the console into English and back, and the choice survives a reload', async () => {
  const page = await consolePage('bacsi.hoa', 'english');
  const header = page.locator('header');
  await header.getByRole('button', { name: 'Đăng xuất', exact: true }).waitFor({ timeout: 10_000 });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');

  await header.getByRole('button', { name: 'English', exact: true }).click();
  await header.getByRole('button', { name: 'Log out', exact: true }).waitFor({ timeout: 3000 });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.getByRole('switch', { name: 'Available for consults' }).count(), 1, 'aria-labels follow the language');
  await page.getByRole('heading', { name: /^Waiting room \(\d+\)$/ }).waitFor({ timeout: 3000 });
  assert.equal(await header.getByRole('button', { name: 'Đăng xuất' }).count(), 0, 'one language at a time');

  await page.reload();
  await header.getByRole('button', { name: 'Log out', exact: true }).waitFor({ timeout: 10_000 });
  await page.getByRole('region', { name: 'Break-glass access' }).waitFor({ timeout: 3000 });

  await header.getByRole('button', { name: 'Tiếng Việt', exact: true }).click();
  await header.getByRole('button', { name: 'Đăng xuất', exact: true }).waitFor({ timeout: 3000 });
  await page.reload();
  await header.getByRole('button', { name: 'Đăng xuất', exact: true }).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByRole('switch', { name: 'Sẵn sàng nhận ca' }).count(), 1);
});
