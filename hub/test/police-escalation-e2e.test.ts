// A doctor's escalation to the police, every part real and driven through the UIs: the resident
// identifies with the (virtual) chip card through pcscd, measures blood pressure on the booth's cuff
// (a Medlab NIBP2010 simulator on a socat pty, read by the station agent), asks for a doctor on the
// kiosk; the clinician console accepts and presses "Emergency"; the ward officer's police console
// rings, the officer answers and sees the doctor's handover (doctor, reason, the cuff's reading).
// The resident re-measures on the cuff and the officer's handover shows the new value live (FHIR
// subscription, granted while the officer owns the call, each delivery audited with the call).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, staffPage } from './support/browser.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { startCardKiosk } from '../../station-ui/test/kiosk-support.ts';
import { VpcdCard } from '@tram/testing/card/vpcd-card.ts';
import { PtyRig } from '@tram/testing/devices/pty-rig.ts';
import { Nibp2010Simulator } from '@tram/testing/devices/simulators.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';

test('kiosk consult -> clinician escalates -> officer answers, sees the handover, and the re-measured blood pressure arrives live', async (t: TestContext) => {
  const vc = virtualCccd({ cardAccess: true });
  const rig = await PtyRig.create(t);
  if (!rig) return;
  const cuff = { systolic: 152, diastolic: 94, pulse: 81 };
  rig.attach(new Nibp2010Simulator(cuff), 10);
  const { db, agent, hub, browser, stop } = await startCardKiosk('police-escalation', vc.doc.cscaPem, {
    agent: { devices: [{ id: 'bp', kind: 'blood_pressure', protocol: 'nibp2010', path: rig.hostPath, options: {} }] },
  });
  t.after(stop);

  const doctor = await staffPage(browser, `${hub.url}/clinician/`, 'bacsi.dung', DEMO_PASSWORD, { width: 1400, height: 1000 });
  await doctor.getByRole('switch', { name: /Sẵn sàng nhận ca/ }).click();
  await doctor.locator('[role=switch][aria-checked=true]').waitFor({ timeout: 3000 });
  const officer = await staffPage(browser, `${hub.url}/police/`, 'canbo.an', DEMO_PASSWORD, { width: 1600, height: 1000 });
  await officer.getByText('Trực tuyến', { exact: true }).waitFor();

  const kiosk = await (await browser.newContext({ viewport: { width: 1080, height: 1920 } })).newPage();
  await kiosk.goto(agent.url);
  const card = new VpcdCard({ chip: vc.chip, port: Number(process.env.TRAM_TEST_VPCD_PORT ?? 35963) });
  t.after(() => card.remove());
  const shots = async () => {
    for (const [n, p] of Object.entries({ kiosk, doctor, officer })) await screenshot(p, `police-escalation-${n}`).catch(() => {});
  };
  try {
    // the resident identifies with the card (pcscd is one per machine, shared by every test run on
    // it: when another run restarts it mid-read, the resident takes the card out and inserts it again)
    for (let attempt = 1; ; attempt++) {
      try {
        await card.remove();
        await card.insert();
        await kiosk.getByRole('heading', { name: 'Nhập 6 số cuối của số thẻ căn cước' }).waitFor({ timeout: 15_000 });
        for (const d of vc.doc.can) await kiosk.getByRole('button', { name: d, exact: true }).click();
        await kiosk.getByRole('button', { name: 'Xác nhận' }).click();
        await kiosk.getByRole('heading', { name: 'Xin chào, Mai' }).waitFor({ timeout: 15_000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
        t.diagnostic(`card read attempt ${attempt} failed (${(err as Error).message.split('\n')[0]}); inserting again`);
        await new Promise((r) => setTimeout(r, 6000));
      }
    }
    // and measures on the cuff
    await kiosk.getByRole('button', { name: /Khám sức khỏe/ }).click();
    await kiosk.getByRole('heading', { name: 'Đo huyết áp' }).waitFor();
    await kiosk.getByRole('button', { name: 'Bắt đầu đo' }).click();
    await kiosk.getByText('152/94 mmHg').waitFor({ timeout: 15_000 });
    const stored = async () =>
      (await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM fhir_observations WHERE code = '85354-9'`)[0]!.n;
    for (let i = 0; (await stored()) < 1 && i < 50; i++) await new Promise((r) => setTimeout(r, 100));

    // and asks for a doctor, who accepts
    await kiosk.getByRole('button', { name: /Trang đầu/ }).click();
    await kiosk.getByRole('button', { name: /Gặp bác sĩ/ }).click();
    await kiosk.getByRole('button', { name: 'Chóng mặt', exact: true }).click();
    await kiosk.getByRole('heading', { name: 'Phòng chờ gặp bác sĩ' }).waitFor({ timeout: 5000 });
    const [consult] = await db.sql<{ id: string; citizen_id: string }[]>`SELECT id, citizen_id FROM consults`;
    const entry = doctor.locator(`article[data-consult-id="${consult!.id}"]`);
    await entry.waitFor({ timeout: 5000 });
    await entry.getByRole('button', { name: /Nhận khám/ }).click();
    await doctor.getByRole('region', { name: /Buổi khám/ }).waitFor({ timeout: 5000 });

    // the doctor escalates to the ward police (asked to confirm first)
    await doctor.getByRole('button', { name: /🚑 Cấp cứu/ }).click();
    await doctor
      .getByRole('alertdialog', { name: /Xác nhận cấp cứu/ })
      .getByRole('button', { name: /Xác nhận cấp cứu/ })
      .click();
    await doctor.getByText(/Đã chuyển cấp cứu/).waitFor({ timeout: 5000 });

    // the officer's console rings; the officer answers from the action bar
    const ringing = officer.locator('article.call');
    await ringing.waitFor({ timeout: 5000 });
    assert.equal(await officer.getByText('Nguyễn Thị Mai').count(), 0, 'a ringing console does not name the patient');
    await officer.keyboard.press('Alt+A');
    const handover = officer.getByRole('region', { name: /Bàn giao y tế/ });
    await handover.getByText(/BS. Hoàng Thị Dung/).waitFor({ timeout: 5000 });
    await handover.getByText('Lý do gặp bác sĩ: Chóng mặt').waitFor();
    await handover.getByText('Nguyễn Thị Mai', { exact: false }).waitFor();
    const bp = handover.locator('li[data-kind=blood_pressure]');
    assert.match(await bp.innerText(), /152\/94/, "the cuff's reading is in the handover");
    await handover.locator('[data-live=live]').waitFor({ timeout: 10_000 });
    const [call] = await db.sql<{ id: string }[]>`SELECT id FROM calls WHERE status = 'answered'`;

    // the resident measures again (the doctor, still with them, asks the booth); the officer sees it live
    cuff.systolic = 171;
    cuff.diastolic = 104;
    await doctor.getByRole('button', { name: /Đo lại Huyết áp/ }).click();
    await bp.filter({ hasText: '171/104' }).waitFor({ timeout: 20_000 });
    await screenshot(officer, 'police-escalation-live-vitals');

    // every delivery to the officer is audited with the call as its purpose; the subscription too
    const audit = await db.sql<{ action: string; purpose: string | null }[]>`
    SELECT action, detail->>'purpose' AS purpose FROM audit_log
    WHERE actor = 'staff:canbo.an' AND action IN ('fhir.subscribe', 'fhir.read', 'call.medical.read') ORDER BY id`;
    const actions = new Set(audit.map((a) => a.action));
    assert.deepEqual([...actions].sort(), ['call.medical.read', 'fhir.read', 'fhir.subscribe'], JSON.stringify(audit));
    assert.deepEqual([...new Set(audit.map((a) => a.purpose))], [`call:${call!.id}`]);
  } finally {
    await shots();
  }
});
