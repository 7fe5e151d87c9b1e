// Police follow-up media latencies with the real hub (own process), agent, kiosk page, police
// console and LiveKit, in headless Chromium:
//   callback: the officer's "call back" action (POST /api/calls/:id/callback) -> the kiosk page shows
//             "Công an … đang gọi lại" (through the hub's event, the agent's relay and the page);
//             the kiosk then declines and a new missed call is made for the next round.
//   add responder: the owner adds a 115 medic (POST /api/calls/:id/responders) -> the medic's
//             police console rings, the medic joins, and its page decodes the call's video
//             (framesDecoded > 0); the medic then leaves and is added again for the next round.
// Last line: {"bench":"police-media","callbacks":N,"callback_ring_p50_ms":…,"add_responder_media_p50_ms":…}
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { benchEnv } from './bench-env.ts';
import { percentile, round } from './stats.ts';
import { seedDemo, DEMO_PASSWORD } from '../../hub/src/seed.ts';
import { createStaff } from '../../hub/src/auth/service.ts';
import { launchChromium, recordPeerConnections } from '../../hub/test/support/browser.ts';
import { startAgent } from '../../station-agent/src/gateway/server.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const N = Math.max(1, arg('callbacks', 5));
const ADDS = Math.max(1, arg('adds', 3));
const root = join(import.meta.dirname, '../..');
const log = (m: string) => console.error(`[bench police-media] ${m}`);

const env = await benchEnv('police_media', 4);
const { sql, hubUrl } = env;
const demo = await seedDemo(sql);
await createStaff(sql, { username: 'yte.bench', displayName: 'Cấp cứu 115 Bench', role: 'medic', password: DEMO_PASSWORD });
await env.spawnHub({
  POLICE_CONSOLE_DIR: join(root, 'police-console/dist'),
  CLINICIAN_CONSOLE_DIR: join(root, 'clinician-console/dist'),
  RATE_LIMIT_BURST: '10000',
});
const agentData = mkdtempSync(join(tmpdir(), 'tram-bench-agent-'));
const agent = await startAgent({
  host: '127.0.0.1',
  port: 0,
  hubUrl,
  credential: demo.station.credential,
  dataDir: agentData,
  uiDir: join(root, 'station-ui/dist'),
  cardReader: 'off',
});

async function cookieOf(username: string) {
  const r = await fetch(`${hubUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  return r.headers.get('set-cookie')!.split(';')[0]!;
}
const an = await cookieOf('canbo.an');
const station = { authorization: `Station ${demo.station.credential}`, 'content-type': 'application/json' };
const post = (path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${hubUrl}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });

const browser = await launchChromium();
const ring: number[] = [];
const media: number[] = [];
try {
  const kiosk = await (await browser.newContext({ viewport: { width: 1080, height: 1920 } })).newPage();
  await recordPeerConnections(kiosk);
  await kiosk.goto(`${agent.url}/?sos=0`); // no countdown: this test times the call itself
  await kiosk.getByRole('button', { name: /GỌI KHẨN CẤP/ }).waitFor();

  /** A missed call: raised by the station and hung up before anyone answers. */
  async function missedCall(): Promise<string> {
    const r = await post('/api/calls', { ...station, 'idempotency-key': randomUUID() }, { kind: 'sos' });
    const raised = (await r.json()) as { call: { id: string; status: string } };
    const id = raised.call.id;
    const e = await post(`/api/calls/${id}/end`, station, { reason: 'cancelled' });
    if (r.status !== 201 || !e.ok)
      throw new Error(`missed call: raise ${r.status} ${JSON.stringify(raised)}, end ${e.status} ${await e.text()}`);
    return id;
  }

  // --- callback -> the kiosk rings ---
  for (let i = 0; i < N; i++) {
    const missed = await missedCall();
    await kiosk
      .getByText('Cuộc gọi đã kết thúc')
      .waitFor({ state: 'detached', timeout: 15_000 })
      .catch(() => {});
    const t0 = performance.now();
    const r = await post(`/api/calls/${missed}/callback`, { cookie: an });
    if (r.status !== 201) throw new Error(`callback: ${r.status} ${await r.text()}`);
    const cbId = ((await r.json()) as { call: { id: string } }).call.id;
    await kiosk.getByText('Công an Phường Bình Trưng đang gọi lại').waitFor({ timeout: 15_000 });
    ring.push(performance.now() - t0);
    await kiosk.getByRole('button', { name: 'Từ chối', exact: true }).click();
    await kiosk.getByText('Công an Phường Bình Trưng đang gọi lại').waitFor({ state: 'detached' });
    // the next round's SOS must not find this callback still open
    while ((await sql<{ status: string }[]>`SELECT status FROM calls WHERE id = ${cbId}`)[0]!.status !== 'ended')
      await new Promise((res) => setTimeout(res, 20));
  }
  log(`callback -> kiosk ringing: p50 ${round(percentile(ring, 50))} ms over ${N}`);

  // --- add a responder -> the responder has media ---
  await kiosk.getByRole('button', { name: /GỌI KHẨN CẤP/ }).click();
  await kiosk.getByText(/Đang chờ cán bộ trả lời/).waitFor({ timeout: 15_000 });
  const [open] = await sql<{ id: string }[]>`SELECT id FROM calls WHERE status = 'ringing' ORDER BY created_at DESC LIMIT 1`;
  const callId = open!.id;
  const answered = await post(`/api/calls/${callId}/answer`, { cookie: an });
  if (!answered.ok) throw new Error(`answer: ${answered.status}`);
  const medic: Page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await recordPeerConnections(medic);
  await medic.goto(`${hubUrl}/police/`);
  await medic.getByLabel(/Tên đăng nhập/).fill('yte.bench');
  await medic.getByLabel(/Mật khẩu/).fill(DEMO_PASSWORD);
  await medic.getByRole('button', { name: /Đăng nhập/ }).click();
  await medic.getByText('Trực tuyến', { exact: true }).waitFor();

  for (let i = 0; i < ADDS; i++) {
    const t0 = performance.now();
    const r = await post(`/api/calls/${callId}/responders`, { cookie: an }, { username: 'yte.bench', note: `Bàn giao ${i}: khó thở` });
    if (r.status !== 201) throw new Error(`add responder: ${r.status} ${await r.text()}`);
    await medic
      .locator('article.invitation')
      .getByRole('button', { name: /Tham gia/ })
      .click({ timeout: 15_000 });
    await medic.waitForFunction(
      async () => {
        for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
          if (pc.connectionState === 'closed') continue;
          let n = 0;
          (await pc.getStats()).forEach((s: any) => {
            if (s.type === 'inbound-rtp' && s.kind === 'video') n += s.framesDecoded ?? 0;
          });
          if (n > 0) return true;
        }
        return false;
      },
      null,
      { timeout: 30_000, polling: 50 },
    );
    media.push(performance.now() - t0);
    await medic.getByRole('button', { name: 'Rời cuộc gọi / Leave' }).click();
    await medic.getByRole('button', { name: 'Rời cuộc gọi / Leave' }).waitFor({ state: 'detached' });
    await medic.waitForFunction(() => ((window as any).__pcs as RTCPeerConnection[]).every((pc) => pc.connectionState === 'closed'), null, {
      timeout: 10_000,
    });
  }
  log(`add responder -> the medic decodes video: p50 ${round(percentile(media, 50))} ms over ${ADDS}`);

  await post(`/api/calls/${callId}/end`, station, { reason: 'hangup' });
} finally {
  // also on a failure: a hub left running would answer the next run's health check
  await browser.close();
  await agent.stop();
  await env.stop();
  rmSync(agentData, { recursive: true, force: true });
}

console.log(
  JSON.stringify({
    bench: 'police-media',
    callbacks: N,
    callback_ring_p50_ms: round(percentile(ring, 50)),
    add_responder_media_p50_ms: round(percentile(media, 50)),
    responders_added: ADDS,
  }),
);
