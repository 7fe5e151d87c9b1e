// Headless Debian Chromium through playwright-core, with fake camera and microphone.
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './env.ts';

/** `extraArgs`: e.g. `--use-file-for-fake-video-capture=<file.y4m>` for a camera that shows a test picture. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      '--allow-loopback-in-peer-connection',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      ...extraArgs,
    ],
  });
}

/** Keeps every RTCPeerConnection the page makes, so a test can read WebRTC stats (what was decoded). */
export async function recordPeerConnections(page: Page) {
  await page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const all: RTCPeerConnection[] = [];
    (window as any).__pcs = all;
    window.RTCPeerConnection = class extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        all.push(this);
      }
    } as typeof RTCPeerConnection;
  });
}

/** Sum of inbound-rtp counters of one kind across the page's peer connections. */
export function inbound(page: Page, kind: 'audio' | 'video') {
  return page.evaluate(async (k) => {
    let framesDecoded = 0,
      packetsReceived = 0,
      totalSamplesReceived = 0,
      frameWidth = 0;
    for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: any) => {
        if (s.type === 'inbound-rtp' && s.kind === k) {
          framesDecoded += s.framesDecoded ?? 0;
          packetsReceived += s.packetsReceived ?? 0;
          totalSamplesReceived += s.totalSamplesReceived ?? 0;
          frameWidth = Math.max(frameWidth, s.frameWidth ?? 0);
        }
      });
    }
    return { framesDecoded, packetsReceived, totalSamplesReceived, frameWidth };
  }, kind);
}

export const screenshotDir = join(repoRoot, 'test-output/screenshots');
export async function screenshot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** A staff console page (police or clinician) signed in through its login form. */
export async function staffPage(
  browser: Browser,
  consoleUrl: string,
  username: string,
  password: string,
  viewport = { width: 1280, height: 800 },
): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await recordPeerConnections(page);
  await page.goto(consoleUrl);
  await page.getByLabel(/Tên đăng nhập/).fill(username);
  await page.getByLabel(/Mật khẩu/).fill(password);
  await page.getByRole('button', { name: /Đăng nhập/ }).click();
  return page;
}

/** Asserts a counter (decoded frames, audio samples) keeps increasing over 2 s; returns the increase. */
export async function growing(read: () => Promise<number>, what: string) {
  const a = await read();
  await new Promise((r) => setTimeout(r, 2000));
  const b = await read();
  assert.ok(b > a, `${what} should increase over 2 s (was ${a}, then ${b})`);
  return b - a;
}
