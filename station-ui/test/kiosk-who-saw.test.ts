// "Who saw my information" on the kiosk, every part real: a doctor reads a resident's vitals (through
// the audited break-glass); the resident identifies with the (virtual) chip card through pcscd,
// opens the screen and sees the doctor's name and role, when, which data and why — in Vietnamese,
// then in English after one tap.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, login, repoRoot, startTestHub } from '../../hub/test/support/env.ts';
import { launchChromium, screenshot } from '../../hub/test/support/browser.ts';
import { DEMO_PASSWORD } from '../../hub/src/seed.ts';
import { citizenSession, postReadings, reading } from '../../hub/test/vitals-fixtures.ts';
import { startAgent } from '@tram/station-agent/gateway/server.ts';
import { VpcdCard } from '@tram/testing/card/vpcd-card.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';
import { checkScreen } from './kiosk-support.ts';
import { deferrer } from '@tram/testing/teardown.ts';

test('a doctor read the vitals; at the kiosk the resident sees who, as what, when, which data and why, in Vietnamese and English', async (t: TestContext) => {
  const defer = deferrer(t);
  const vc = virtualCccd({ cardAccess: true });
  const db = await freshDatabase();
  defer(() => db.drop());
  const dir = mkdtempSync(join(tmpdir(), 'tram-who-saw-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'csca.pem'), vc.doc.cscaPem);
  const hub = await startTestHub(db.url, { CSCA_PATHS: join(dir, 'csca.pem') });
  defer(() => hub.stop());

  // Earlier that day: the doctor, with no consult of this resident, reads their vitals through break-glass.
  const { citizenId: patient, sessionId } = await citizenSession(db, db.demo.station.id, vc.access.idNumber);
  const measured = await postReadings(hub.url, db.demo.station.credential, { sessionId, readings: [reading('spo2', 97)] });
  assert.equal(measured.status, 200);
  await db.sql`UPDATE citizen_sessions SET ended_at = now(), end_reason = 'card_removed' WHERE id = ${sessionId}`;
  const doctor = await login(hub.url, 'bacsi.dung', DEMO_PASSWORD);
  const reason = 'Bệnh viện hỏi chỉ số trước khi chuyển viện';
  const glass = await fetch(`${hub.url}/fhir/$break-glass`, {
    method: 'POST',
    headers: { cookie: doctor, 'content-type': 'application/json' },
    body: JSON.stringify({ patient, reason }),
  });
  assert.equal(glass.status, 200, await glass.clone().text());
  const read = await fetch(`${hub.url}/fhir/Observation?patient=Patient/${patient}`, { headers: { cookie: doctor } });
  assert.equal(read.status, 200);
  const [audited] =
    await db.sql`SELECT at FROM audit_log WHERE action IN ('fhir.read', 'fhir.search') AND actor = 'staff:bacsi.dung' ORDER BY at LIMIT 1`;
  assert.ok(audited, 'the read was audited');

  const agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: hub.url,
    credential: db.demo.station.credential,
    dataDir: join(dir, 'agent'),
    uiDir: join(repoRoot, 'station-ui/dist'),
    cardReader: 'auto',
  });
  defer(() => agent.stop());
  const browser = await launchChromium();
  defer(() => browser.close());
  const kiosk = await (await browser.newContext({ viewport: { width: 1080, height: 1920 } })).newPage();
  defer(() => screenshot(kiosk, 'kiosk-who-saw-last').catch(() => {}));
  await kiosk.goto(agent.url);

  const card = new VpcdCard({ chip: vc.chip, port: Number(process.env.TRAM_TEST_VPCD_PORT ?? 35963) });
  await card.insert();
  defer(() => card.remove());
  await kiosk.getByRole('heading', { name: 'Nhập 6 số cuối của số thẻ căn cước' }).waitFor({ timeout: 10_000 });
  for (const d of vc.doc.can) await kiosk.getByRole('button', { name: d, exact: true }).click();
  await kiosk.getByRole('button', { name: 'Xác nhận' }).click();
  await kiosk.getByRole('heading', { name: 'Xin chào, Mai' }).waitFor({ timeout: 10_000 });

  await kiosk.getByRole('button', { name: /Ai đã xem thông tin của tôi/ }).click();
  await kiosk.getByRole('heading', { name: 'Ai đã xem thông tin của tôi' }).waitFor({ timeout: 10_000 });
  const log = kiosk.getByTestId('access-log');
  const entry = log.locator('li', { hasText: 'Chỉ số sức khỏe' }).first();
  await entry.waitFor({ timeout: 10_000 });
  const vi = (await entry.textContent()) ?? '';
  assert.match(vi, /Bác sĩ BS\. Hoàng Thị Dung/, 'who, and as what');
  assert.match(vi, /Truy cập khẩn/, 'why');
  assert.match(vi, new RegExp(`Lý do: ${reason}`), 'the reason the doctor typed');
  const whenVi = await kiosk.evaluate(
    (at) => new Date(at).toLocaleString('vi-VN', { dateStyle: 'short', timeStyle: 'short' }),
    (audited!.at as Date).toISOString(),
  );
  assert.ok(vi.includes(whenVi), `when (${whenVi}) in "${vi}"`);
  await checkScreen(kiosk, 'who-saw-vi');

  await kiosk.getByRole('button', { name: 'English' }).click();
  await kiosk.getByRole('heading', { name: 'Who saw my information' }).waitFor({ timeout: 5000 });
  const en = (await log.locator('li', { hasText: 'Health measurements' }).first().textContent()) ?? '';
  assert.match(en, /Doctor BS\. Hoàng Thị Dung/);
  assert.match(en, /Emergency access/);
  assert.match(en, new RegExp(`Reason: ${reason}`));
  const whenEn = await kiosk.evaluate(
    (at) => new Date(at).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' }),
    (audited!.at as Date).toISOString(),
  );
  assert.ok(en.includes(whenEn), `when (${whenEn}) in "${en}"`);
  await checkScreen(kiosk, 'who-saw-en');
});
