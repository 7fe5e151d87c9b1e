// The admin console in real headless Chromium against the real hub and a real station agent
// process: the fleet shows the demo station OK; killing the agent shows the offline alert and
// "offline since" on the page after T. A station created through the form shows its one-time
// enrolment code as text and QR, and that code enrols a kiosk with the agent CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, repoRoot, startTestHub } from '../../hub/test/support/env.ts';
import { launchChromium, screenshot, staffPage } from '../../hub/test/support/browser.ts';
import { DEMO_PASSWORD } from '../../hub/src/seed.ts';

const OFFLINE_S = 4;

test('admin page: station OK, agent killed -> offline alert after T; a new station shows its enrolment code', async (t) => {
  const db = await freshDatabase();
  const hub = await startTestHub(db.url, { FLEET_OFFLINE_S: String(OFFLINE_S), FLEET_TICK_MS: '250' });
  const dir = mkdtempSync(join(tmpdir(), 'tram-admin-'));
  const browser = await launchChromium();
  let agent: ChildProcess | undefined;
  t.after(async () => {
    agent?.kill('SIGKILL');
    await browser.close();
    await hub.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = join(repoRoot, 'station-agent/src/cli.ts');
  const env = {
    ...process.env,
    HUB_URL: hub.url,
    AGENT_PORT: '0',
    AGENT_DATA_DIR: join(dir, 'agent'),
    CARD_READER: 'off',
    HEARTBEAT_S: '1',
    STATION_UI_DIR: join(repoRoot, 'station-ui/dist'),
  };
  agent = spawn(process.execPath, ['--import', 'tsx', cli], {
    cwd: repoRoot,
    stdio: 'ignore',
    env: { ...env, STATION_CREDENTIAL: db.demo.station.credential },
  });

  const page = await staffPage(browser, `${hub.url}/admin/`, 'quantri', DEMO_PASSWORD);
  const row = page.locator('tr[data-station="tram-dao-kim-cuong-01"]');
  await row.locator('td.status[data-status="ok"]').waitFor({ timeout: 30_000 });
  assert.match(await row.locator('td.status').innerText(), /Hoạt động tốt/);
  // the ward filter: the other ward has no stations
  await page.locator('select[name="ward-filter"]').selectOption({ label: 'Phường An Khánh' });
  await row.waitFor({ state: 'detached', timeout: 5000 });
  await page.locator('select[name="ward-filter"]').selectOption({ label: 'Phường Bình Trưng' });
  await row.waitFor({ timeout: 5000 });

  const killedAt = Date.now();
  agent.kill('SIGKILL');
  await page.locator('.alert[data-alert="tram-dao-kim-cuong-01:offline"]').waitFor({ timeout: (OFFLINE_S + 5) * 1000 });
  const after = (Date.now() - killedAt) / 1000;
  await row.locator('td.status[data-status="offline"]').waitFor({ timeout: 5000 });
  assert.match(await row.locator('td.status').innerText(), /Mất kết nối.*từ \/ since/s);
  console.log(`offline alert on the admin page ${after.toFixed(1)} s after the agent was killed (T = ${OFFLINE_S} s, heartbeat 1 s)`);
  assert.ok(after >= OFFLINE_S - 1.5, `not before T (${after} s)`);
  // the station page: its timeline says so
  await row.click();
  await page.locator('[data-testid="station-page"] .timeline li', { hasText: 'alert.raised' }).waitFor({ timeout: 5000 });
  await screenshot(page, 'admin-fleet-offline');

  // a new station through the form: the code as text and QR, and the agent CLI enrols with it
  await page.getByLabel(/^Mã \/ Code/).fill('tram-moi-01');
  await page.getByLabel(/^Tên \/ Name/).fill('Trạm mới');
  await page.getByLabel(/^Địa chỉ \/ Address/).fill('1 Lê Lợi');
  await page.getByRole('button', { name: /Tạo trạm/ }).click();
  const shown = page.locator('[data-testid="enrolment"] .code');
  await shown.waitFor({ timeout: 5000 });
  const code = (await shown.innerText()).trim();
  assert.match(code, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  assert.equal(await page.locator(`[data-testid="enrolment"] img[alt="QR ${code}"]`).count(), 1);
  await screenshot(page, 'admin-enrolment-code');
  const enrolled = await new Promise<number>((res) => {
    const c = spawn(process.execPath, ['--import', 'tsx', cli, 'enrol', code], {
      cwd: repoRoot,
      stdio: 'ignore',
      env: { ...env, STATION_CREDENTIAL_FILE: join(dir, 'new.credential') },
    });
    c.on('exit', (n) => res(n ?? -1));
  });
  assert.equal(enrolled, 0);
  const [st] = await db.sql`SELECT enrolled_at FROM stations WHERE code = 'tram-moi-01'`;
  assert.ok(st!.enrolled_at);
});
