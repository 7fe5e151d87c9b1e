// The consult as it really happens, every part real: the resident identifies with the (virtual)
// chip card through pcscd, measures blood pressure on the booth's cuff (a Medlab NIBP2010
// simulator on a socat pty, read by the station agent), asks for a doctor on the kiosk; the
// clinician console sees the entry live with that reading, accepts, sees the resident's video,
// presses re-measure — the hub tells the agent, the cuff measures again, and the new value is on
// the clinician's page within 2 s of leaving the serial port — and saves a note that the kiosk
// shows and a FHIR search returns.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freshDatabase, login, repoRoot, startTestHub } from '../../hub/test/support/env.ts';
import { inbound, launchChromium, screenshot, staffPage } from '../../hub/test/support/browser.ts';
import { DEMO_PASSWORD } from '../../hub/src/seed.ts';
import { startAgent } from '@tram/station-agent/gateway/server.ts';
import { VpcdCard } from '@tram/testing/card/vpcd-card.ts';
import { PtyRig } from '@tram/testing/devices/pty-rig.ts';
import { Nibp2010Simulator } from '@tram/testing/devices/simulators.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';
import { deferrer } from '@tram/testing/teardown.ts';

test('booth-measured resident -> kiosk consult -> clinician: live entry, video, re-measure from the cuff within 2 s, note in FHIR', async (t: TestContext) => {
  const defer = deferrer(t);
  const vc = virtualCccd({ cardAccess: true });
  const db = await freshDatabase();
  defer(() => db.drop());
  const dir = mkdtempSync(join(tmpdir(), 'tram-consult-booth-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'csca.pem'), vc.doc.cscaPem);
  const hub = await startTestHub(db.url, { CSCA_PATHS: join(dir, 'csca.pem') });
  defer(() => hub.stop());
  const rig = await PtyRig.create(t);
  if (!rig) return;
  const cuffProfile = { systolic: 152, diastolic: 94, pulse: 81 };
  rig.attach(new Nibp2010Simulator(cuffProfile), 10);
  const agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: hub.url,
    credential: db.demo.station.credential,
    dataDir: join(dir, 'agent'),
    uiDir: join(repoRoot, 'station-ui/dist'),
    cardReader: 'auto',
    devices: [{ id: 'bp', kind: 'blood_pressure', protocol: 'nibp2010', path: rig.hostPath, options: {} }],
  });
  defer(() => agent.stop());
  // when each reading left the serial port, as the agent tells the kiosk page
  const leftPort = new Map<string, number>();
  const agentSocket = new WebSocket(`${agent.url.replace('http', 'ws')}/agent/ws?key=${agent.key}`);
  agentSocket.on('message', (m) => {
    const e = JSON.parse(m.toString());
    if (e.type === 'vitals.reading' && e.data.kind === 'blood_pressure')
      leftPort.set(`${e.data.values.systolic}/${e.data.values.diastolic}`, Date.now());
  });
  defer(() => agentSocket.terminate());

  const browser = await launchChromium();
  defer(() => browser.close());
  const doctor = await staffPage(browser, `${hub.url}/clinician/`, 'bacsi.dung', DEMO_PASSWORD, { width: 1400, height: 1000 });
  await doctor.getByRole('switch', { name: /Sẵn sàng nhận ca/ }).click();
  await doctor.locator('[role=switch][aria-checked=true]').waitFor({ timeout: 3000 });

  const kiosk = await (await browser.newContext({ viewport: { width: 1080, height: 1920 } })).newPage();
  await kiosk.goto(agent.url);
  const card = new VpcdCard({ chip: vc.chip, port: Number(process.env.TRAM_TEST_VPCD_PORT ?? 35963) });
  await card.insert();
  defer(() => card.remove());
  defer(async () => {
    await screenshot(kiosk, 'consult-booth-kiosk').catch(() => {});
    await screenshot(doctor, 'consult-booth-doctor').catch(() => {});
  });
  await kiosk.getByRole('heading', { name: 'Nhập 6 số cuối của số thẻ căn cước' }).waitFor({ timeout: 10_000 });
  for (const d of vc.doc.can) await kiosk.getByRole('button', { name: d, exact: true }).click();
  await kiosk.getByRole('button', { name: 'Xác nhận' }).click();
  await kiosk.getByRole('heading', { name: 'Xin chào, Mai' }).waitFor({ timeout: 10_000 });

  // the health check: the cuff measures
  await kiosk.getByRole('button', { name: /Khám sức khỏe/ }).click();
  await kiosk.getByRole('heading', { name: 'Đo huyết áp' }).waitFor();
  await kiosk.getByRole('button', { name: 'Bắt đầu đo' }).click();
  await kiosk.getByText('152/94 mmHg').waitFor({ timeout: 15_000 });
  const stored = async () => (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM fhir_observations WHERE code = '85354-9'`)[0]!.n;
  for (let i = 0; (await stored()) < 1 && i < 50; i++) await new Promise((r) => setTimeout(r, 100));

  // see a doctor from the kiosk
  await kiosk.getByRole('button', { name: /Trang đầu/ }).click();
  await kiosk.getByRole('button', { name: /Gặp bác sĩ/ }).click();
  await kiosk.getByRole('button', { name: 'Chóng mặt', exact: true }).click();
  await kiosk.getByRole('heading', { name: 'Phòng chờ gặp bác sĩ' }).waitFor({ timeout: 5000 });
  const [consult] = await db.sql<{ id: string }[]>`SELECT id FROM consults`;
  const entry = doctor.locator(`article[data-consult-id="${consult!.id}"]`);
  await entry.waitFor({ timeout: 3000 });
  assert.match(await entry.innerText(), /Nguyễn Thị Mai/);
  assert.match(await entry.innerText(), /152\/94/, 'the cuff reading is in the queue entry');

  // accept: both in the room; the clinician decodes the resident's video
  await entry.getByRole('button', { name: /Nhận khám/ }).click();
  await doctor.getByRole('region', { name: /Buổi khám/ }).waitFor({ timeout: 5000 });
  await kiosk.getByText(/(Đang kết nối video|Đang nói chuyện) với BS. Hoàng Thị Dung/).waitFor({ timeout: 5000 });
  await doctor.waitForFunction(
    () => {
      const v = document.querySelector('[data-testid=remote-video]') as HTMLVideoElement | null;
      return !!v && v.videoWidth > 0;
    },
    null,
    { timeout: 15_000 },
  );
  const before = (await inbound(doctor, 'video')).framesDecoded;
  await new Promise((r) => setTimeout(r, 2000));
  assert.ok((await inbound(doctor, 'video')).framesDecoded > before, "the clinician page keeps decoding the resident's video");

  // re-measure: clinician -> hub -> agent -> cuff -> agent -> hub -> clinician
  cuffProfile.systolic = 164;
  cuffProfile.diastolic = 99;
  await doctor
    .getByTestId('live-state')
    .filter({ hasText: /Trực tiếp/ })
    .waitFor({ timeout: 5000 });
  await doctor.getByRole('button', { name: /Đo lại Huyết áp/ }).click();
  await doctor.getByTestId('latest-blood_pressure').filter({ hasText: '164/99' }).waitFor({ timeout: 20_000 });
  const shownAt = Date.now();
  const left = leftPort.get('164/99');
  assert.ok(left, 'the new reading came from the serial port');
  t.diagnostic(`re-measured reading: serial port -> clinician page ${shownAt - left} ms`);
  assert.ok(shownAt - left < 2000, `on the clinician page within 2 s (${shownAt - left} ms)`);

  // the note: the kiosk shows the advice; FHIR has it
  const note = doctor.getByRole('form', { name: /Ghi chú khám/ });
  await note.getByLabel(/Lý do khám/).fill('Chóng mặt, huyết áp cao');
  await note.getByLabel(/Khám thấy/).fill('Huyết áp 164/99');
  await note.getByLabel(/Lời khuyên/).fill('Nghỉ ngơi, hạn chế muối, đo lại huyết áp sau 3 ngày.');
  await note.getByLabel(/Khám trực tiếp/).check();
  await note.getByRole('button', { name: /Lưu ghi chú/ }).click();
  await doctor
    .getByTestId('note-state')
    .filter({ hasText: /Đã lưu lúc/ })
    .waitFor({ timeout: 5000 });
  await doctor.getByRole('button', { name: /Kết thúc buổi khám/ }).click();
  await doctor
    .getByRole('alertdialog', { name: /Xác nhận kết thúc/ })
    .getByRole('button', { name: 'Kết thúc', exact: true })
    .click();
  await kiosk.getByRole('heading', { name: 'Lời khuyên của bác sĩ' }).waitFor({ timeout: 5000 });
  await kiosk.getByText('Nghỉ ngơi, hạn chế muối').waitFor();
  const cookie = await login(hub.url, 'bacsi.dung', DEMO_PASSWORD);
  const [row] = await db.sql<{ citizen_id: string }[]>`SELECT citizen_id FROM consults WHERE id = ${consult!.id}`;
  const search = (await (
    await fetch(`${hub.url}/fhir/ClinicalImpression?patient=${row!.citizen_id}`, { headers: { cookie } })
  ).json()) as any;
  const ci = search.entry?.map((e: any) => e.resource).find((r: any) => r.id === consult!.id);
  assert.ok(ci, 'the visit note is returned by a FHIR search');
  assert.equal(ci.summary, 'Nghỉ ngơi, hạn chế muối, đo lại huyết áp sau 3 ngày.');
  assert.equal(await stored(), 2, 'both cuff readings stored once each');
});
