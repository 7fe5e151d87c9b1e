// What every kiosk screen must pass, checked the same way in each test: axe-core finds no serious
// or critical violation, nothing overflows sideways, and a screenshot at both kiosk orientations
// (1080x1920 portrait, 1920x1080 landscape) goes to test-output/screenshots/ for a human to look at.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startAgent } from '@tram/station-agent/gateway/server.ts';
import { launchChromium, screenshot } from '../../hub/test/support/browser.ts';
import { freshDatabase, repoRoot, startTestHub } from '../../hub/test/support/env.ts';

/** Every checked screen is also kept here, per orientation, for a human to review. */
export const screensDir = join(repoRoot, 'test-output/screens');

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const PORTRAIT = { width: 1080, height: 1920 };
export const LANDSCAPE = { width: 1920, height: 1080 };

async function axe(page: Page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return (r.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.impact} ${v.id}: ${v.help} at ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      );
  });
}

async function sideways(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Checks the screen as it is now, in both orientations, and leaves the page in portrait. */
export async function checkScreen(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  for (const [tag, size] of [
    ['portrait', PORTRAIT],
    ['landscape', LANDSCAPE],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(60);
    await screenshot(page, `kiosk-${name}-${tag}`);
    mkdirSync(screensDir, { recursive: true });
    await page.screenshot({ path: join(screensDir, `kiosk-${name}-${tag}.png`) });
    assert.equal(await sideways(page), 0, `${name} (${tag}) overflows sideways`);
    assert.deepEqual(await axe(page), [], `${name} (${tag}): axe-core serious/critical violations`);
  }
  await page.setViewportSize(PORTRAIT);
}

const historyAtLoad = new WeakMap<Page, number>();
/** Call right after the kiosk page loaded: the history must never grow from here. */
export async function loaded(page: Page) {
  historyAtLoad.set(page, await page.evaluate(() => history.length));
}

/** Nothing personal left: not in the DOM, not in storage, not in the history or the URL. */
export async function assertNothingPersonal(page: Page, personal: string[]) {
  const html = await page.content();
  for (const p of personal) assert.equal(html.includes(p), false, `"${p}" is gone from the page`);
  const [local, session, entries, hash] = await page.evaluate(
    () => [localStorage.length, sessionStorage.length, history.length, location.hash] as const,
  );
  assert.deepEqual([local, session, hash], [0, 0, ''], 'no storage, no fragment');
  assert.equal(entries, historyAtLoad.get(page), 'no history entries added');
}

/**
 * What the kiosk card tests start: a fresh database, a hub trusting the virtual card's CSCA, the
 * station agent on the real card reader (pcscd + vpcd), and Chromium. `beforeHub` seeds the
 * database before the hub starts.
 */
export async function startCardKiosk(
  label: string,
  cscaPem: string,
  o: {
    hubEnv?: Record<string, string>;
    beforeHub?: (db: Awaited<ReturnType<typeof freshDatabase>>) => Promise<void>;
    /** More agent configuration (e.g. a receipt printer). */
    agent?: Partial<Parameters<typeof startAgent>[0]>;
  } = {},
) {
  const db = await freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), `tram-${label}-`));
  writeFileSync(join(dir, 'csca.pem'), cscaPem);
  await o.beforeHub?.(db);
  const hub = await startTestHub(db.url, { CSCA_PATHS: join(dir, 'csca.pem'), ...o.hubEnv });
  const agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: hub.url,
    credential: db.demo.station.credential,
    dataDir: join(dir, 'agent'),
    uiDir: join(repoRoot, 'station-ui/dist'),
    cardReader: 'auto',
    ...o.agent,
  });
  const browser = await launchChromium();
  return {
    db,
    hub,
    agent,
    browser,
    async stop() {
      await browser.close();
      await agent.stop();
      await hub.stop();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
