// Honest states when parts are missing: the hub unreachable (SOS still goes out through the
// agent's retry queue: "calling… retrying" and 113 on screen, the call created once the hub is
// back, exactly once) and a station without a card reader.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { freshDatabase, repoRoot, startTestHub } from '../../hub/test/support/env.ts';
import { launchChromium, screenshot } from '../../hub/test/support/browser.ts';
import { startAgent, type RunningAgent } from '@tram/station-agent/gateway/server.ts';
import { checkScreen, PORTRAIT } from './kiosk-support.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>> | undefined;
let agent: RunningAgent;
let browser: Browser;
let dir: string;

before(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), 'tram-kiosk-offline-'));
  // The hub's address, with no hub listening yet.
  agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: `http://127.0.0.1:${process.env.TRAM_TEST_HUB_PORT}`,
    credential: db.demo.station.credential,
    dataDir: join(dir, 'agent'),
    uiDir: join(repoRoot, 'station-ui/dist'),
    cardReader: 'off',
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await agent?.stop();
  await hub?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const calls = async () => (await db.sql`SELECT count(*)::int AS n FROM calls`)[0]!.n;

test('hub down: the retrying screen has a cancel; after it nothing is ever sent; tiles needing the card say the reader is down', async (t) => {
  const page = await (await browser.newContext({ viewport: PORTRAIT })).newPage();
  t.after(() => page.context().close());
  await page.goto(`${agent.url}/?sos=0`);
  await page.getByText('Mất kết nối tới trung tâm').waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: /Khám sức khỏe.*Đầu đọc thẻ đang hỏng/ }).waitFor();
  await page.getByRole('button', { name: /GỌI KHẨN CẤP/ }).click();
  await page.getByText('Đang gọi… đang thử lại kết nối').waitFor({ timeout: 10_000 });
  await page.getByText('113 công an · 114 cứu hỏa · 115 cấp cứu').waitFor();
  await page.getByRole('button', { name: 'Hủy cuộc gọi' }).click();
  await page.getByRole('button', { name: /GỌI KHẨN CẤP/ }).waitFor({ timeout: 5000 });
  assert.equal(agent.outbox.state().state, 'idle', 'the agent dropped the undelivered SOS');
  assert.equal(await calls(), 0);
});

test('hub down: SOS says "calling… retrying" with 113; the call is created once the hub is back, once', async (t) => {
  const page = await (await browser.newContext({ viewport: PORTRAIT })).newPage();
  t.after(() => screenshot(page, 'kiosk-offline-last').catch(() => {}));
  await page.goto(agent.url);
  await page.getByText('Mất kết nối tới trung tâm').waitFor({ timeout: 10_000 });
  await page.getByText('Đầu đọc thẻ chưa sẵn sàng').waitFor();
  await checkScreen(page, 'hub-down-no-reader-vi');

  await page.getByRole('button', { name: /GỌI KHẨN CẤP/ }).click();
  await page.getByText('Đang gọi… đang thử lại kết nối').waitFor({ timeout: 10_000 });
  await page.getByText('113', { exact: true }).waitFor();
  await checkScreen(page, 'sos-retrying-vi');
  // English is one tap away on the top bar
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await page.getByText('Calling… retrying the connection').waitFor();
  await checkScreen(page, 'sos-retrying-en');
  await page.getByRole('button', { name: 'Tiếng Việt', exact: true }).click();
  assert.equal(await calls(), 0);

  hub = await startTestHub(db.url);
  const t0 = Date.now();
  await page.getByText('Đang chờ cán bộ trả lời').waitFor({ timeout: 15_000 });
  t.diagnostic(`hub back -> kiosk ringing: ${Date.now() - t0} ms`);
  assert.equal(await calls(), 1);
  await page.getByText('Mất kết nối tới trung tâm').waitFor({ state: 'detached', timeout: 5000 });
  await checkScreen(page, 'sos-ringing-vi');

  // ending asks first (a neutral button, not red)
  await page.getByRole('button', { name: 'Kết thúc cuộc gọi' }).click();
  await page.getByText('Kết thúc cuộc gọi với công an?').waitFor();
  await page.getByRole('button', { name: 'Có, kết thúc' }).click();
  await page.getByText('Cuộc gọi đã kết thúc').waitFor({ timeout: 5000 });
  // after a call: "back to start", not a silent jump
  await page.getByRole('button', { name: 'Về trang đầu' }).click();
  await page.getByRole('button', { name: /GỌI KHẨN CẤP/ }).waitFor({ timeout: 10_000 });
  assert.equal(await calls(), 1, 'retries never made a second call');
  const [c] = await db.sql`SELECT status, end_reason FROM calls`;
  assert.equal(c!.status, 'ended');
});
