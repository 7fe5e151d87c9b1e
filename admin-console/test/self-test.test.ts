// The station self-test end to end, all real: the admin console (Chromium) runs it from the
// station page; the hub asks the agent over /ws; the agent places the test SOS; the kiosk page
// (Chromium with the fake camera and microphone) joins the test room; the hub's test participant
// (@livekit/rtc-node) receives the kiosk's audio and video frames and sends a tone and a test
// picture back, which the kiosk confirms. A police console open meanwhile never rings, and no call or service-level fact
// exists. With the camera missing the run fails at the camera step, saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { freshDatabase, repoRoot, startTestHub } from '../../hub/test/support/env.ts';
import { launchChromium, screenshot, staffPage } from '../../hub/test/support/browser.ts';
import { startAgent } from '@tram/station-agent/gateway/server.ts';
import { DEMO_PASSWORD } from '../../hub/src/seed.ts';

const CODE = 'tram-dao-kim-cuong-01';

test('self-test: passes on the demo station, never rings the police; fails clearly without a camera', async (t) => {
  const db = await freshDatabase();
  const hub = await startTestHub(db.url, { FLEET_TICK_MS: '250', SELFTEST_TIMEOUT_S: '60' });
  const dir = mkdtempSync(join(tmpdir(), 'tram-selftest-'));
  const agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: hub.url,
    credential: db.demo.station.credential,
    dataDir: dir,
    uiDir: join(repoRoot, 'station-ui/dist'),
    cardReader: 'off',
    heartbeatMs: 500,
  });
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    await agent.stop();
    await hub.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const police = await staffPage(browser, `${hub.url}/police/`, 'canbo.an', DEMO_PASSWORD);
  await police.getByText('Trực tuyến', { exact: true }).waitFor();
  const admin = await staffPage(browser, `${hub.url}/admin/`, 'quantri', DEMO_PASSWORD);

  const openKiosk = async (camera: boolean) => {
    const ctx = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
    const page = await ctx.newPage();
    // A kiosk PC without a camera: the browser lists no video input and refuses to open one.
    if (!camera)
      await page.addInitScript(() => {
        const md = navigator.mediaDevices;
        const list = md.enumerateDevices.bind(md);
        const open = md.getUserMedia.bind(md);
        md.enumerateDevices = async () => (await list()).filter((d) => d.kind !== 'videoinput');
        md.getUserMedia = async (c) => {
          if (c?.video) throw new DOMException('Requested device not found', 'NotFoundError');
          return open(c);
        };
      });
    await page.goto(agent.url);
    return { ctx, page };
  };
  const heartbeatCamera = async (want: string) => {
    const until = Date.now() + 10_000;
    for (;;) {
      const [h] = await db.sql`SELECT state->'heartbeat'->>'camera' AS camera FROM station_health WHERE station_id = ${db.demo.station.id}`;
      if (h?.camera === want) return;
      assert.ok(Date.now() < until, `heartbeat camera is ${h?.camera}, expected ${want}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const runSelfTest = async (page: Page, expect: 'passed' | 'failed') => {
    const t0 = Date.now();
    await page.getByRole('button', { name: /Chạy tự kiểm tra/ }).click();
    const run = page.locator(`[data-testid="self-tests"] .selftest[data-status="${expect}"]`).first();
    await run.waitFor({ timeout: 60_000 });
    console.log(`self-test ${expect} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return run;
  };

  // 1. the demo station with camera and microphone: every step passes
  const kiosk = await openKiosk(true);
  await heartbeatCamera('available'); // the page reported its devices; the heartbeat carries them
  await admin.locator(`tr[data-station="${CODE}"]`).click();
  const passed = await runSelfTest(admin, 'passed');
  for (const s of ['sos_persisted', 'room_joined', 'kiosk_audio', 'kiosk_video', 'return_media', 'cleanup'])
    assert.equal(await passed.locator(`li[data-step="${s}"][data-ok="true"]`).count(), 1, `step ${s} passed`);
  assert.match(await passed.locator('li[data-step="kiosk_video"]').innerText(), /khung hình/);
  // media back: the kiosk received the hub's tone and its test picture
  assert.match(await passed.locator('li[data-step="return_media"]').innerText(), /âm và hình thử/);
  await admin.locator('[data-testid="station-page"] .timeline li', { hasText: 'selftest.passed' }).waitFor({ timeout: 5000 });
  await screenshot(admin, 'admin-selftest-passed');

  // the test SOS never reached the police: no call, no service-level fact, nothing rang
  assert.equal(await police.locator('article.call').count(), 0);
  const [calls] = await db.sql`SELECT count(*)::int AS n FROM calls`;
  const [facts] = await db.sql`SELECT count(*)::int AS n FROM call_service_facts`;
  assert.equal(calls!.n, 0);
  assert.equal(facts!.n, 0);
  const audit = await db.sql`SELECT action, actor FROM audit_log WHERE action LIKE 'station.selftest%' ORDER BY id`;
  assert.deepEqual(
    audit.map((a) => a.action),
    ['station.selftest', 'station.selftest_result'],
  );
  assert.equal(audit[0]!.actor, 'staff:quantri');
  await kiosk.ctx.close();

  // 2. the same station without a camera: the heartbeat says so, and the self-test fails at the camera step
  const noCamera = await openKiosk(false);
  await heartbeatCamera('missing');
  const failed = await runSelfTest(admin, 'failed');
  const camera = failed.locator('li[data-step="kiosk_video"]');
  assert.equal(await camera.getAttribute('data-ok'), 'false');
  assert.match(await camera.innerText(), /không có camera/);
  assert.equal(await failed.locator('li[data-step="kiosk_audio"][data-ok="true"]').count(), 1, 'the microphone still works');
  await admin.locator('[data-testid="station-page"] .timeline li', { hasText: 'selftest.failed' }).waitFor({ timeout: 5000 });
  await screenshot(admin, 'admin-selftest-no-camera');
  assert.equal(await police.locator('article.call').count(), 0);
  await noCamera.ctx.close();
});
