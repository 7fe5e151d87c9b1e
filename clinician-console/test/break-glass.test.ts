// Break-glass in the clinician console, in real Chromium: a doctor with no consult of this resident
// is refused their data; the panel opens the record only with a typed reason, shows it, and the
// audit trail holds the reason flagged for review.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, startTestHub } from '../../hub/test/support/env.ts';
import { launchChromium, screenshot, staffPage } from '../../hub/test/support/browser.ts';
import { DEMO_PASSWORD } from '../../hub/src/seed.ts';
import { citizenSession, postReadings, reading } from '../../hub/test/vitals-fixtures.ts';
import { deferrer } from '@tram/testing/teardown.ts';

const ID_NUMBER = '079160004321';

test('no consult: refused; break-glass with a typed reason: the record, and an audit row flagged with the reason', async (t: TestContext) => {
  const defer = deferrer(t);
  const db = await freshDatabase();
  defer(() => db.drop());
  const hub = await startTestHub(db.url);
  defer(() => hub.stop());
  const s = await citizenSession(db, db.demo.station.id, ID_NUMBER);
  const posted = await postReadings(hub.url, db.demo.station.credential, {
    sessionId: s.sessionId,
    readings: [reading('blood_pressure', { systolic: 184, diastolic: 111 }), reading('spo2', 95)],
  });
  assert.equal(posted.status, 200);

  const browser = await launchChromium();
  defer(() => browser.close());
  const doctor = await staffPage(browser, `${hub.url}/clinician/`, 'bacsi.dung', DEMO_PASSWORD, { width: 1400, height: 1000 });
  defer(() => screenshot(doctor, 'clinician-break-glass').catch(() => {}));
  const panel = doctor.getByRole('region', { name: /Truy cập khẩn/ });
  await panel.waitFor({ timeout: 10_000 });

  // Looking the resident up as this console does (FHIR, the doctor's session): not in their care.
  const lookup = await doctor.evaluate(async (patient) => {
    const r = await fetch(`/fhir/Observation?patient=Patient/${patient}`);
    return { status: r.status, body: await r.text() };
  }, s.citizenId);
  assert.equal(lookup.status, 403, 'no consult, no break-glass: refused');
  assert.doesNotMatch(lookup.body, /184|111/);

  // The panel will not send without a reason.
  await panel.getByLabel(/Số CCCD/).fill(ID_NUMBER);
  const open = panel.getByRole('button', { name: /Mở hồ sơ/ });
  assert.equal(await open.isDisabled(), true, 'no reason typed: the record cannot be opened');
  await panel.getByLabel(/Lý do/).fill('ngắn');
  assert.equal(await open.isDisabled(), true, 'a reason too short to review');

  const reason = 'Người dân ngất tại sảnh, cần xem huyết áp gần nhất';
  await panel.getByLabel(/Lý do/).fill(reason);
  await open.click();
  const record = panel.getByTestId('break-glass-record');
  await record.getByRole('heading', { name: 'Nguyễn Thị Mai' }).waitFor({ timeout: 10_000 });
  await record.getByText(/184\s*\/\s*111/).waitFor({ timeout: 5000 });
  assert.match((await record.textContent()) ?? '', /95/, 'the SpO₂ reading is shown too');

  const rows = await db.sql`SELECT actor, subject, detail FROM audit_log WHERE action = 'fhir.break_glass'`;
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.actor, 'staff:bacsi.dung');
  assert.equal(rows[0]!.subject, `Patient/${s.citizenId}`);
  assert.equal(rows[0]!.detail.reason, reason);
  assert.equal(rows[0]!.detail.flagged, true);
  // and the reads the panel made after it are audited reads of that patient
  const [reads] = await db.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'fhir.read' AND actor = 'staff:bacsi.dung'`;
  assert.ok(reads!.n >= 1, 'the record reads are audited');
});
