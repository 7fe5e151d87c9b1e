// End to end in headless Chromium: the kiosk taps SOS, two police consoles ring, one officer
// answers, both sides get each other's media through the real LiveKit server, then hang up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freshDatabase, repoRoot, startTestHub } from './support/env.ts';
import { growing, inbound, launchChromium, recordPeerConnections, screenshot, staffPage } from './support/browser.ts';
import { startAgent, type RunningAgent } from '@tram/station-agent/gateway/server.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let agent: RunningAgent;
let browser: Browser;
let agentData: string;

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
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
after(async () => {
  await browser?.close();
  await agent?.stop();
  await hub?.stop();
  await db?.drop();
  rmSync(agentData, { recursive: true, force: true });
});

async function policeLogin(username: string): Promise<Page> {
  const page = await staffPage(browser, `${hub.url}/police/`, username, DEMO_PASSWORD);
  await page.getByText('Trực tuyến', { exact: true }).waitFor();
  return page;
}

test('SOS from the kiosk rings the ward, one officer answers, video and audio flow both ways', async (t) => {
  const an = await policeLogin('canbo.an');
  const binh = await policeLogin('canbo.binh');
  const kioskCtx = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
  const kiosk = await kioskCtx.newPage();
  await recordPeerConnections(kiosk);
  await kiosk.goto(agent.url);
  const pages = { an, binh, kiosk };
  t.after(async () => {
    for (const [n, p] of Object.entries(pages)) await screenshot(p, `sos-e2e-${n}`).catch(() => {});
  });

  // The kiosk's default: a 3 s spoken countdown with one big "HỦY" before the call goes out, so a
  // tap nobody cancels rings the police 3 s later (what a resident meets, measured here).
  const tapped = Date.now();
  await kiosk.getByRole('button', { name: /GỌI KHẨN CẤP/ }).click();
  const stationName = 'Trạm công dân Đảo Kim Cương';
  await Promise.all([an, binh].map((p) => p.locator('article.call', { hasText: stationName }).waitFor({ timeout: 5000 })));
  const ringMs = Date.now() - tapped;
  t.diagnostic(`tap -> both consoles ringing (3 s countdown included): ${ringMs} ms`);
  assert.ok(ringMs >= 3000 && ringMs < 5000, `rang ${ringMs} ms after the tap`);
  await assert.doesNotReject(an.getByText('01 Trần Quý Kiên', { exact: false }).waitFor({ timeout: 1000 }));

  await an
    .locator('article.call', { hasText: stationName })
    .getByRole('button', { name: /Trả lời/ })
    .click();
  // the other officer stops ringing
  await binh.locator('article.call').waitFor({ state: 'detached', timeout: 3000 });
  await kiosk.getByText(/Thiếu úy Nguyễn Văn An đã trả lời/).waitFor({ timeout: 3000 });

  // the officer sees the resident: decoded video frames keep increasing
  await an.waitForFunction(
    () => {
      const v = document.querySelector('[data-testid=remote-video]') as HTMLVideoElement | null;
      return !!v && v.videoWidth > 0;
    },
    null,
    { timeout: 15_000 },
  );
  const decoded = await growing(async () => (await inbound(an, 'video')).framesDecoded, 'frames decoded by the police page');
  const shown = await growing(
    () =>
      an.evaluate(
        () => (document.querySelector('[data-testid=remote-video]') as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames,
      ),
    'frames shown in the police page video element',
  );
  t.diagnostic(`police page decoded ${decoded} frames in 2 s, showed ${shown}`);
  // the resident hears the officer: audio samples keep arriving at the kiosk
  await kiosk.waitForFunction(() => !!document.querySelector('audio')?.srcObject, null, { timeout: 15_000 });
  await growing(async () => (await inbound(kiosk, 'audio')).totalSamplesReceived, 'audio samples received by the kiosk');

  const callId = await an
    .locator('article.call')
    .count()
    .then(async () => {
      const [row] = await db.sql<{ id: string }[]>`SELECT id FROM calls ORDER BY created_at DESC LIMIT 1`;
      return row!.id;
    });
  await screenshot(an, 'sos-e2e-police-in-call');
  await screenshot(kiosk, 'sos-e2e-kiosk-in-call');
  await an.getByRole('button', { name: /Kết thúc/ }).click();
  await kiosk.getByText('Cuộc gọi đã kết thúc').waitFor({ timeout: 5000 });
  // hanging up asks for the outcome (required) beside the call's timeline
  await an.getByRole('region', { name: 'Diễn biến cuộc gọi' }).waitFor({ timeout: 5000 });
  await an.getByLabel('Đã giải quyết qua cuộc gọi').check();
  await an.getByRole('button', { name: 'Lưu kết quả' }).click();
  await an
    .getByRole('status')
    .getByText(/Đã lưu/)
    .waitFor({ timeout: 5000 });

  // the timeline holds every step; media joins come from LiveKit's signed webhooks
  let kinds: string[] = [];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const rows = await db.sql<
      { kind: string; actor: string; detail: any }[]
    >`SELECT kind, actor, detail FROM call_events WHERE call_id = ${callId} ORDER BY id`;
    kinds = rows.map((r) => (r.kind.startsWith('media_') ? `${r.kind}:${r.detail.identity ?? ''}` : r.kind));
    if (
      kinds.includes('media_joined:station:tram-dao-kim-cuong-01') &&
      kinds.includes('media_joined:staff:canbo.an') &&
      kinds.includes('ended')
    )
      break;
    await new Promise((r) => setTimeout(r, 200));
  }
  t.diagnostic(`timeline: ${kinds.join(', ')}`);
  for (const k of ['raised', 'rang', 'media_joined:station:tram-dao-kim-cuong-01', 'answered', 'media_joined:staff:canbo.an', 'ended']) {
    assert.ok(kinds.includes(k), `timeline has ${k}`);
  }
  assert.ok(kinds.indexOf('raised') < kinds.indexOf('answered') && kinds.indexOf('answered') < kinds.indexOf('ended'));
  const [call] = await db.sql`SELECT status, end_reason, answered_by IS NOT NULL AS answered FROM calls WHERE id = ${callId}`;
  assert.deepEqual({ ...call }, { status: 'ended', end_reason: 'hangup', answered: true });
  const [disposed] = await db.sql`SELECT outcome FROM calls WHERE id = ${callId}`;
  assert.equal(disposed!.outcome, 'resolved_on_call');
});
