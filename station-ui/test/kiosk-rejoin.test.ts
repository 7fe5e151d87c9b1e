// The kiosk's media server dies in the middle of an answered SOS: the test's own livekit-server is
// killed (-9) and started again on the same ports, with no rooms (LiveKit keeps them in memory).
// livekit-client on the kiosk gives up (its room is gone and only the hub makes rooms), the kiosk
// says it is reconnecting and asks the hub for a fresh grant every 3 s (POST /api/calls/:id/media
// through the agent; the hub makes the room anew), and is back in the call: the officer, told the
// media was lost, calls back from the console, and the resident sees and hears them again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { RoomServiceClient } from 'livekit-server-sdk';
import { startAgent, type RunningAgent } from '@tram/station-agent/gateway/server.ts';
import { freshDatabase, repoRoot, startTestHub } from '../../hub/test/support/env.ts';
import { growing, inbound, launchChromium, recordPeerConnections, screenshot, staffPage } from '../../hub/test/support/browser.ts';
import { DEMO_PASSWORD } from '../../hub/src/seed.ts';
import { type LivekitOptions, type RunningLivekit, startLivekit } from '../../media/livekit.ts';
import { freePort, livekitOnFreePorts } from '../../scripts/ports.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let agent: RunningAgent;
let browser: Browser;
let dir: string;
// A LiveKit of this test's own (the shared one of the test stack is not this test's to kill).
let lkOptions: LivekitOptions;
let lk: RunningLivekit | undefined;

before(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), 'tram-kiosk-rejoin-'));
  const hubPort = await freePort();
  lkOptions = await livekitOnFreePorts({
    apiKey: 'tram-rejoin',
    webhookUrl: `http://127.0.0.1:${hubPort}/livekit/webhook`,
    workDir: join(dir, 'livekit'),
  });
  lk = await startLivekit(lkOptions);
  hub = await startTestHub(db.url, {
    PORT: String(hubPort),
    LIVEKIT_URL: lk.apiUrl,
    LIVEKIT_PUBLIC_URL: lk.wsUrl,
    LIVEKIT_API_KEY: lkOptions.apiKey,
    LIVEKIT_API_SECRET: lkOptions.apiSecret,
    // The media watch would also notice the room missing once LiveKit is back, racing the kiosk's
    // rejoin for which of them writes the timeline first; here only LiveKit's webhooks tell.
    MEDIA_WATCH_S: '3600',
  });
  agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: hub.url,
    credential: db.demo.station.credential,
    dataDir: join(dir, 'agent'),
    uiDir: join(repoRoot, 'station-ui/dist'),
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await agent?.stop();
  await hub?.stop();
  await lk?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The kiosk's own view of the officer: their video element has frames. */
const seesOfficer = (kiosk: Page, timeout: number) =>
  kiosk.waitForFunction(
    () => {
      const v = document.querySelector('[data-testid=remote-video]') as HTMLVideoElement | null;
      return !!v?.srcObject && v.videoWidth > 0;
    },
    null,
    { timeout },
  );

test('LiveKit dies mid-call: the kiosk says it is reconnecting, rejoins by itself, and the resident sees the officer again', async (t) => {
  const officer = await staffPage(browser, `${hub.url}/police/`, 'canbo.an', DEMO_PASSWORD);
  await officer.getByText('Trực tuyến', { exact: true }).waitFor();
  const kiosk = await (await browser.newContext({ viewport: { width: 1080, height: 1920 } })).newPage();
  await recordPeerConnections(kiosk);
  await kiosk.goto(`${agent.url}/?sos=0`);
  t.after(async () => {
    await screenshot(kiosk, 'kiosk-rejoin-end').catch(() => {});
    await screenshot(officer, 'kiosk-rejoin-officer-end').catch(() => {});
  });

  await kiosk.getByRole('button', { name: /GỌI KHẨN CẤP/ }).click();
  await officer
    .locator('article.call', { hasText: 'Trạm công dân Đảo Kim Cương' })
    .getByRole('button', { name: /Trả lời/ })
    .click();
  await kiosk.getByText(/Thiếu úy Nguyễn Văn An đã trả lời/).waitFor({ timeout: 5000 });
  await seesOfficer(kiosk, 15_000);
  const [call] = await db.sql<{ id: string; room_name: string }[]>`SELECT id, room_name FROM calls WHERE status = 'answered'`;
  const station = `station:${db.demo.station.code}`;
  const timeline = async () =>
    (
      await db.sql<{ kind: string; actor: string; detail: Record<string, unknown> }[]>`
        SELECT kind, actor, detail FROM call_events WHERE call_id = ${call!.id} ORDER BY id`
    ).map((e) => (e.kind === 'media_joined' ? `media_joined ${e.detail.identity}` : `${e.kind} ${e.actor}`));
  const until = async (cond: () => Promise<boolean>, ms: number, what: string) => {
    for (const end = Date.now() + ms; !(await cond()); await new Promise((r) => setTimeout(r, 200)))
      if (Date.now() > end) assert.fail(`timed out waiting for ${what}; timeline: ${(await timeline()).join(', ')}`);
  };
  const joinedKiosk = async () => (await timeline()).filter((k) => k === `media_joined ${station}`).length;
  await until(async () => (await joinedKiosk()) === 1, 10_000, "LiveKit's word that the kiosk joined");

  // What the resident is told while the kiosk has no media: watched from before the drop on, as it
  // may show only for the moment between livekit-client giving up and the new room answering.
  const reconnecting = kiosk.getByRole('alert').filter({ hasText: 'Mất kết nối hình ảnh/âm thanh — đang kết nối lại…' });
  const told = reconnecting.waitFor({ timeout: 30_000 });

  // The media server dies (no goodbye to anyone) and comes back on the same ports, empty.
  const droppedAt = Date.now();
  const exited = new Promise((r) => lk!.process.once('exit', r));
  lk!.process.kill('SIGKILL');
  await exited;
  // Told while the server is still down: livekit-client's own retries (up to ~45 s) must not
  // leave the resident looking at a frozen picture with no word.
  await Promise.race([
    told,
    new Promise((_, j) => setTimeout(() => j(new Error('the kiosk said nothing within 5 s of its media server dying')), 5000)),
  ]);
  t.diagnostic(`kiosk said it is reconnecting ${Date.now() - droppedAt} ms after the kill, the server still down`);
  await screenshot(kiosk, 'kiosk-rejoin-reconnecting');
  lk = await startLivekit(lkOptions);
  t.diagnostic(`LiveKit back ${Date.now() - droppedAt} ms after it was killed`);
  // back in a room made anew: the hub made it, LiveKit says the kiosk joined it
  await reconnecting.waitFor({ state: 'detached', timeout: 30_000 });
  const rooms = new RoomServiceClient(lk.apiUrl, lkOptions.apiKey, lkOptions.apiSecret);
  await until(
    async () => (await rooms.listParticipants(call!.room_name)).some((p) => p.identity === station),
    10_000,
    'the kiosk in the room made anew',
  );
  await until(async () => (await joinedKiosk()) === 2, 10_000, "LiveKit's word that the kiosk joined again");
  t.diagnostic(`kiosk back in the room ${Date.now() - droppedAt} ms after the kill`);
  // the call itself never stopped: still answered, the kiosk still shows it
  assert.equal((await db.sql`SELECT status FROM calls WHERE id = ${call!.id}`)[0]!.status, 'answered');
  await kiosk.getByText(/Thiếu úy Nguyễn Văn An đã trả lời/).waitFor({ timeout: 1000 });

  // The room started again after people had joined it: the hub flags the call's media as lost
  // (its room_started webhook) and the officer is told; they call back from the console.
  await until(async () => (await timeline()).includes('media_lost hub'), 10_000, 'the media loss on the timeline');
  await officer.getByRole('alert').filter({ hasText: 'Mất kết nối hình ảnh/âm thanh — hãy gọi lại' }).waitFor({ timeout: 10_000 });
  await officer.getByRole('button', { name: 'Gọi lại', exact: true }).click();

  // What the resident sees and hears: the officer's video again, frames and voice still arriving.
  await seesOfficer(kiosk, 20_000);
  await growing(async () => (await inbound(kiosk, 'video')).framesDecoded, "frames of the officer's video decoded by the kiosk");
  await growing(async () => (await inbound(kiosk, 'audio')).totalSamplesReceived, "samples of the officer's voice received by the kiosk");
  assert.equal(await reconnecting.count(), 0, 'no longer says it is reconnecting');
  assert.equal(await kiosk.getByText(/Đang kết nối video với/).count(), 0, 'no longer waiting for the video');
  await screenshot(kiosk, 'kiosk-rejoin-back');

  // The timeline: both joined, the media was lost once, the kiosk joined again on its own, and the
  // officer's call-back cleared the flag.
  await until(async () => (await timeline()).includes('media_rejoined staff:canbo.an'), 10_000, "the officer's rejoin");
  const kinds = await timeline();
  t.diagnostic(`timeline: ${kinds.join(', ')}`);
  const at = (k: string) => kinds.indexOf(k);
  assert.equal(kinds.filter((k) => k === 'media_lost hub').length, 1, 'media lost once');
  assert.equal(kinds.filter((k) => k.startsWith('media_rejoined')).length, 1, 'rejoined once');
  assert.ok(kinds.filter((k) => k === 'media_joined staff:canbo.an').length >= 2, 'the officer joined again');
  assert.ok(at(`media_joined ${station}`) < at('media_lost hub'), 'the first join came before the loss');
  assert.ok(kinds.lastIndexOf(`media_joined ${station}`) > at(`media_joined ${station}`), 'the kiosk joined a second time');
  assert.ok(!kinds.some((k) => k.startsWith('ended')), 'the call was never ended');

  await kiosk.getByRole('button', { name: 'Kết thúc cuộc gọi', exact: true }).click();
  await kiosk.getByRole('button', { name: 'Có, kết thúc' }).click();
  await kiosk.getByText('Cuộc gọi đã kết thúc').waitFor({ timeout: 5000 });
});
