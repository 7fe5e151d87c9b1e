// The station's side of a consult's media, for tests and the benchmark: a Chromium page (fake
// camera and microphone) that joins the LiveKit room with livekit-client's UMD build, as the
// kiosk would with the grant from `POST /api/consults/:id/media`.
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { recordPeerConnections } from '../../../hub/test/support/browser.ts';

// the package exports no UMD subpath: find it next to the package's entry point
const UMD = join(dirname(createRequire(import.meta.url).resolve('livekit-client')), 'livekit-client.umd.js');

/** A blank same-origin page of the hub (a secure context on loopback) with livekit-client loaded. */
export async function stationMediaPage(browser: Browser, hubUrl: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 640, height: 480 } });
  const page = await ctx.newPage();
  await recordPeerConnections(page);
  await page.goto(`${hubUrl}/healthz`);
  await page.addScriptTag({ path: UMD });
  return page;
}

export function joinAsStation(page: Page, grant: { url: string; token: string }) {
  return page.evaluate(async ({ url, token }) => {
    const L = (window as any).LivekitClient;
    const room = new L.Room({ adaptiveStream: false, dynacast: false, publishDefaults: { simulcast: false } });
    (window as any).__room = room;
    room.on(L.RoomEvent.TrackSubscribed, (track: any) => {
      if (track.kind !== 'video') {
        track.attach();
        return;
      }
      const v = document.createElement('video');
      Object.assign(v, { autoplay: true, muted: true, playsInline: true });
      v.dataset.testid = 'station-remote-video';
      document.body.append(v);
      track.attach(v);
    });
    await room.connect(url, token);
    await room.localParticipant.enableCameraAndMicrophone();
  }, grant);
}

export function leaveRoom(page: Page) {
  return page.evaluate(async () => {
    await (window as any).__room?.disconnect();
    for (const v of document.querySelectorAll('[data-testid=station-remote-video]')) v.remove();
  });
}

export async function stationMedia(hubUrl: string, credential: string, consultId: string) {
  const r = await fetch(`${hubUrl}/api/consults/${consultId}/media`, {
    method: 'POST',
    headers: { authorization: `Station ${credential}` },
  });
  if (!r.ok) throw new Error(`station media grant: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { media: { url: string; token: string } }).media;
}
