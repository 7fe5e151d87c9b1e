// Doctor consult benchmark against a hub in its own process, the real LiveKit server and
// PostgreSQL, with headless Chromium. Two clinician consoles (the real /clinician/ pages, each
// with its /ws socket) plus E more clinician sockets in Node that do what the console does (on
// `consult.changed`, GET the queue). Per consult:
//   queue: station POST /api/consults -> the entry is in every clinician's queue (the console's
//          DOM shows it; the Node clinicians' refetched queue holds it) — the slowest of them;
//   media: the doctor clicks "accept" -> both sides decode a video frame of the other (the doctor's
//          page from the resident, a station page, which joins as the kiosk does on its
//          `consult.updated`, from the doctor) — the later of the two.
// Each consult then ends with the resident leaving (the station cancels).
// `npm run bench -- consult [--consults=20] [--extra=2]`
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Page } from 'playwright-core';
import { benchEnv } from './bench-env.ts';
import { percentile, round } from './stats.ts';
import { startBus } from '../../hub/src/db/bus.ts';
import { seedDemo, DEMO_PASSWORD } from '../../hub/src/seed.ts';
import { createStaff } from '../../hub/src/auth/service.ts';
import { upsertCitizen } from '../../hub/src/identity/store.ts';
import { openSession } from '../../hub/src/identity/service.ts';
import { launchChromium, recordPeerConnections } from '../../hub/test/support/browser.ts';
import { joinAsStation, leaveRoom, stationMedia, stationMediaPage } from '../../clinician-console/test/support/station-media.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const CONSULTS = Math.max(20, arg('consults', 20)),
  EXTRA = arg('extra', 2),
  WARMUP = 2;
const root = join(import.meta.dirname, '../..');
const log = (m: string) => console.error(`[bench consult] ${m}`);

const env = await benchEnv('consult', 4);
const { sql, hubUrl, hubPort } = env;
const demo = await seedDemo(sql);
const doctors = ['bacsi.dung', 'bacsi.bench'];
await createStaff(sql, { username: 'bacsi.bench', displayName: 'BS. Bench', role: 'clinician', password: DEMO_PASSWORD });
for (let i = 0; i < EXTRA; i++)
  await createStaff(sql, { username: `bacsi.extra${i}`, displayName: `BS. Extra ${i}`, role: 'clinician', password: DEMO_PASSWORD });
// one identified resident at the demo station for the whole run
const bus = await startBus(env.dbUrl, () => {});
const citizenId = await upsertCitizen(sql, { idNumber: '079160009999', fullName: 'Trần Văn Đo', dateOfBirth: '02/09/1955', sex: 'Nam' });
const session = await sql.begin((tx) => openSession(tx, bus, demo.station.id, citizenId, { bench: true }));
await bus.close();

await env.spawnHub({ CITIZEN_IDLE_S: '3600', CLINICIAN_CONSOLE_DIR: join(root, 'clinician-console/dist') });
const cred = demo.station.credential;
const station = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${hubUrl}${path}`, {
    method,
    headers: { authorization: `Station ${cred}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
// the queue shows latest vitals: give the resident some
const ingest = await station('POST', '/api/vitals/readings', {
  sessionId: session.id,
  readings: [
    {
      id: randomUUID(),
      kind: 'blood_pressure',
      values: { systolic: 132, diastolic: 84 },
      unit: 'mm[Hg]',
      at: new Date().toISOString(),
      device: { id: 'nibp-1', model: 'Medlab NIBP2020', protocol: 'medlab-nibp' },
    },
    {
      id: randomUUID(),
      kind: 'spo2',
      value: 97,
      unit: '%',
      at: new Date().toISOString(),
      device: { id: 'oxi-1', model: 'Contec CMS50D+', protocol: 'cms50d-v7' },
    },
  ],
});
if (!ingest.ok) throw new Error(`readings: ${ingest.status} ${await ingest.text()}`);

// --- clinicians: two real consoles, plus Node sockets doing what the console does ---
const browser = await launchChromium();
const pages: Page[] = [];
for (const username of doctors) {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await recordPeerConnections(page);
  // when each queue entry first appears in the DOM (same clock as this process: Date.now)
  await page.addInitScript(() => {
    const seen: Record<string, number> = {};
    (window as any).__seen = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('article[data-consult-id]')) seen[(el as HTMLElement).dataset.consultId!] ??= Date.now();
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${hubUrl}/clinician/`);
  await page.getByLabel(/Tên đăng nhập/).fill(username);
  await page.getByLabel(/Mật khẩu/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /Đăng nhập/ }).click();
  const toggle = page.getByRole('switch', { name: /Sẵn sàng nhận ca/ });
  if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
  await page.locator('[role=switch][aria-checked=true]').waitFor();
  await page.getByText(/Trực tuyến/).waitFor();
  pages.push(page);
}
const nodeSeen = new Map<string, number[]>();
const nodeSockets: WebSocket[] = [];
for (let i = 0; i < EXTRA; i++) {
  const r = await fetch(`${hubUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: `bacsi.extra${i}`, password: DEMO_PASSWORD }),
  });
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const ws = new WebSocket(`ws://127.0.0.1:${hubPort}/ws`, { headers: { cookie } });
  const known = new Set<string>();
  ws.on('message', async (m) => {
    const e = JSON.parse(m.toString());
    if (e.type !== 'consult.changed' || e.data.status !== 'waiting') return;
    const q = (await (await fetch(`${hubUrl}/api/consults/queue`, { headers: { cookie } })).json()) as { entries: { id: string }[] };
    const t = Date.now();
    for (const x of q.entries)
      if (!known.has(x.id)) {
        known.add(x.id);
        nodeSeen.set(x.id, [...(nodeSeen.get(x.id) ?? []), t]);
      }
  });
  await new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  nodeSockets.push(ws);
}

// --- the station: its socket (as the kiosk's) and a media page ---
const stationPage = await stationMediaPage(browser, hubUrl);
const kioskWs = new WebSocket(`ws://127.0.0.1:${hubPort}/ws`, { headers: { authorization: `Station ${cred}` } });
const accepted = new Map<string, () => void>();
kioskWs.on('message', (m) => {
  const e = JSON.parse(m.toString());
  if (e.type === 'consult.updated' && e.data.consult.status === 'in_call') accepted.get(e.data.consult.id)?.();
});
await new Promise((res, rej) => {
  kioskWs.once('open', res);
  kioskWs.once('error', rej);
});

const videoAt = (page: Page, testid: string) =>
  page
    .waitForFunction(
      (id) => {
        const v = document.querySelector(`[data-testid=${id}]`) as HTMLVideoElement | null;
        return v && v.videoWidth > 0 ? Date.now() : false;
      },
      testid,
      { timeout: 20_000, polling: 10 },
    )
    .then((h) => h.jsonValue() as Promise<number>);

const queueParts = { node: [] as number[], consoles: [] as number[] };
async function consult(): Promise<{ queueMs: number; mediaMs: number; doctorMs: number; stationMs: number }> {
  const t0 = Date.now();
  const r = await station('POST', '/api/consults', { reason: 'checkup' }, { 'idempotency-key': randomUUID() });
  if (r.status !== 201) throw new Error(`consult request: ${r.status} ${await r.text()}`);
  const { consult: c } = (await r.json()) as { consult: { id: string } };
  const inPages = await Promise.all(
    pages.map((p) =>
      p
        .waitForFunction((id) => (window as any).__seen[id] ?? false, c.id, { timeout: 5000, polling: 10 })
        .then((h) => h.jsonValue() as Promise<number>),
    ),
  );
  const deadline = Date.now() + 5000;
  while ((nodeSeen.get(c.id)?.length ?? 0) < EXTRA) {
    if (Date.now() > deadline) throw new Error(`consult ${c.id}: only ${nodeSeen.get(c.id)?.length ?? 0}/${EXTRA} Node clinicians saw it`);
    await new Promise((res) => setTimeout(res, 5));
  }
  const queueMs = Math.max(...inPages, ...(nodeSeen.get(c.id) ?? [])) - t0;
  // apart: the hub's part (event + queue refetch, as the Node clinicians see it) and the consoles'
  queueParts.node.push(Math.max(...(nodeSeen.get(c.id) ?? [])) - t0);
  queueParts.consoles.push(Math.max(...inPages) - t0);

  // the kiosk joins when told the consult was accepted
  const stationJoined = new Promise<number>((resolve, reject) => {
    accepted.set(c.id, () => {
      accepted.delete(c.id);
      stationMedia(hubUrl, cred, c.id)
        .then((g) => joinAsStation(stationPage, g))
        .then(() => videoAt(stationPage, 'station-remote-video'))
        .then(resolve, reject);
    });
  });
  const doctor = pages[0]!;
  const tA = Date.now();
  const doctorSees = videoAt(doctor, 'remote-video');
  await doctor
    .locator(`article[data-consult-id="${c.id}"]`)
    .getByRole('button', { name: /Nhận khám/ })
    .click();
  const [d, st] = [await doctorSees, await stationJoined];
  const mediaMs = Math.max(d, st) - tA;

  // the resident leaves; the doctor's call closes
  const end = await station('POST', `/api/consults/${c.id}/cancel`);
  if (!end.ok) throw new Error(`cancel: ${end.status}`);
  await doctor.getByRole('region', { name: /Buổi khám/ }).waitFor({ state: 'detached', timeout: 5000 });
  await leaveRoom(stationPage);
  return { queueMs, mediaMs, doctorMs: d - tA, stationMs: st - tA };
}

log(`warming up (${WARMUP}), then ${CONSULTS} consults; ${pages.length} consoles + ${EXTRA} Node clinician sockets`);
for (let i = 0; i < WARMUP; i++) await consult();
queueParts.node.length = queueParts.consoles.length = 0;
const queue: number[] = [],
  media: number[] = [],
  doctorSide: number[] = [],
  stationSide: number[] = [];
for (let i = 0; i < CONSULTS; i++) {
  const s = await consult();
  queue.push(s.queueMs);
  media.push(s.mediaMs);
  doctorSide.push(s.doctorMs);
  stationSide.push(s.stationMs);
}

for (const ws of [...nodeSockets, kioskWs]) ws.terminate();
await browser.close();
await env.stop();

log(
  `request -> in every clinician queue (${pages.length + EXTRA}): p50 ${round(percentile(queue, 50))} ms, p99 ${round(percentile(queue, 99))} ms; accept -> both sides decode the other's video: p50 ${round(percentile(media, 50))} ms, p99 ${round(percentile(media, 99))} ms (doctor decodes the resident: p50 ${round(percentile(doctorSide, 50))} ms; station decodes the doctor: p50 ${round(percentile(stationSide, 50))} ms)`,
);
console.log(
  JSON.stringify({
    bench: 'consult',
    consults: CONSULTS,
    queue_p99_ms: round(percentile(queue, 99)),
    media_p50_ms: round(percentile(media, 50)),
    media_p99_ms: round(percentile(media, 99)),
    queue_p50_ms: round(percentile(queue, 50)),
    queue_node_p50_ms: round(percentile(queueParts.node, 50)),
    queue_consoles_p50_ms: round(percentile(queueParts.consoles, 50)),
    clinicians: pages.length + EXTRA,
  }),
);
