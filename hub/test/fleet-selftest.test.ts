// Station self-test, the parts without a kiosk page (admin-console/test/self-test.test.ts has the
// full run in Chromium): a run nobody answers fails at its deadline saying why; one run at a time;
// another station cannot touch a run; the nightly schedule starts a run per enrolled station once
// when due, keeps its due time across a restart and moves on to the next night; a real agent
// without its kiosk page places the test SOS and the media steps say the page is not open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, login, repoRoot, startTestHub } from './support/env.ts';
import { startAgent } from '@tram/station-agent/gateway/server.ts';
import type { SelfTestStep, SelfTestStepName } from '@tram/contracts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { registerStation } from '../src/stations/service.ts';

const until = async <T>(f: () => Promise<T | undefined | null | false>, ms: number, what: string): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    assert.ok(Date.now() < end, `timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

test('an unanswered self-test fails at its deadline; one at a time; other stations are refused', async (t) => {
  const db = await freshDatabase();
  const hub = await startTestHub(db.url, { FLEET_TICK_MS: '200', SELFTEST_TIMEOUT_S: '2', SELFTEST_NIGHTLY_AT: 'off' });
  t.after(async () => {
    await hub.stop();
    await db.drop();
  });
  const admin = await login(hub.url, 'quantri', DEMO_PASSWORD);
  const other = await registerStation(db.sql, {
    code: 'tram-khac',
    name: 'Trạm khác',
    address: '1 Mai Chí Thọ',
    wardId: db.demo.otherWardId,
  });
  const start = () =>
    fetch(`${hub.url}/api/admin/stations/${db.demo.station.id}/self-test`, { method: 'POST', headers: { cookie: admin } });

  const r = await start();
  assert.equal(r.status, 202);
  const run = (await r.json()).selfTest;
  assert.equal(run.status, 'requested');
  const again = await start();
  assert.equal(again.status, 409);
  assert.equal((await again.json()).error.code, 'selftest_running');
  // another station cannot place this run's test SOS nor report on it
  const asOther = (path: string, body?: unknown) =>
    fetch(`${hub.url}/api/station/self-tests/${run.id}/${path}`, {
      method: 'POST',
      headers: { authorization: `Station ${other.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  assert.equal((await asOther('sos')).status, 404);
  assert.equal((await asOther('kiosk', { runId: run.id, camera: 'available', microphone: 'available', receivedAudio: true })).status, 404);
  assert.equal((await asOther('kiosk', { runId: run.id, camera: 'maybe' })).status, 400);

  // no agent is connected: nobody places the test SOS, and the run fails at its deadline saying so
  const done = await until(
    async () => {
      const [row] = await db.sql`SELECT status, steps FROM station_self_tests WHERE id = ${run.id} AND status <> 'requested'`;
      return row;
    },
    10_000,
    'the run to fail',
  );
  assert.equal(done.status, 'failed');
  assert.equal(done.steps[0].step, 'sos_persisted');
  assert.equal(done.steps[0].ok, false);
  assert.match(done.steps[0].reason, /không đặt SOS thử/);
  const [ev] = await db.sql`SELECT detail FROM station_events WHERE station_id = ${db.demo.station.id} AND kind = 'selftest.failed'`;
  assert.equal(ev!.detail.runId, run.id);
  const detail = await (await fetch(`${hub.url}/api/admin/stations/${db.demo.station.id}`, { headers: { cookie: admin } })).json();
  assert.equal(detail.selfTests[0].id, run.id);
  assert.equal(detail.selfTests[0].status, 'failed');
  // nothing of it is a call
  assert.equal((await db.sql`SELECT 1 FROM calls`).length, 0);
  // a retired station cannot be tested
  await fetch(`${hub.url}/api/admin/stations/${other.id}/retire`, { method: 'POST', headers: { cookie: admin } });
  assert.equal(
    (await fetch(`${hub.url}/api/admin/stations/${other.id}/self-test`, { method: 'POST', headers: { cookie: admin } })).status,
    404,
  );
});

test('nightly schedule: at its local time, once per night, kept across a restart', async (t) => {
  const db = await freshDatabase();
  const env = { FLEET_TICK_MS: '200', SELFTEST_TIMEOUT_S: '60', SELFTEST_NIGHTLY_AT: '03:00', SELFTEST_TZ: 'Asia/Ho_Chi_Minh' };
  let hub = await startTestHub(db.url, env);
  t.after(async () => {
    await hub.stop();
    await db.drop();
  });
  const sched = () =>
    until(async () => (await db.sql`SELECT next_run_at FROM fleet_schedules WHERE name = 'nightly_selftest'`)[0], 5000, 'schedule');
  const first = (await sched()).next_run_at as Date;
  // 03:00 in Hồ Chí Minh City is 20:00 UTC, within the next day
  assert.equal(first.getUTCHours(), 20);
  assert.equal(first.getUTCMinutes(), 0);
  assert.ok(first.getTime() > Date.now() && first.getTime() <= Date.now() + 86_400_000);

  // the hub is down when the night comes; the next hub to start takes the overdue run
  await hub.stop();
  await db.sql`UPDATE fleet_schedules SET next_run_at = now() - interval '1 hour'`;
  hub = await startTestHub(db.url, env);
  const runs = await until(
    async () => {
      const rows = await db.sql`SELECT station_id, trigger FROM station_self_tests`;
      return rows.length ? rows : null;
    },
    5000,
    'nightly runs',
  );
  // the demo station is the one enrolled station
  assert.deepEqual(
    runs.map((r) => [r.station_id, r.trigger]),
    [[db.demo.station.id, 'nightly']],
  );
  const next = (await sched()).next_run_at as Date;
  assert.equal(next.getTime(), first.getTime(), 'moved on to the next 03:00');
  const [audit] = await db.sql`SELECT actor FROM audit_log WHERE action = 'station.selftest'`;
  assert.equal(audit!.actor, 'hub:nightly');
  // taken once: later ticks do not start another
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await db.sql`SELECT 1 FROM station_self_tests`).length, 1);
});

test('a real agent without its kiosk page open: the test SOS is placed, the media steps fail saying the page is not open', async (t) => {
  const db = await freshDatabase();
  const hub = await startTestHub(db.url, { FLEET_TICK_MS: '200', SELFTEST_TIMEOUT_S: '60', SELFTEST_NIGHTLY_AT: 'off' });
  const dir = mkdtempSync(join(tmpdir(), 'tram-selftest-'));
  const agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: hub.url,
    credential: db.demo.station.credential,
    dataDir: dir,
    uiDir: join(repoRoot, 'station-ui/dist'),
    cardReader: 'off',
    heartbeatMs: 0,
  });
  t.after(async () => {
    await agent.stop();
    await hub.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const admin = await login(hub.url, 'quantri', DEMO_PASSWORD);
  // the agent's hub socket is up before asking (the request goes to it over /ws)
  await until(
    async () => (await (await fetch(`${agent.url}/agent/state`, { headers: { 'x-tram-agent-key': agent.key } })).json()).hub === 'up',
    10_000,
    'agent connected',
  );
  const r = await fetch(`${hub.url}/api/admin/stations/${db.demo.station.id}/self-test`, { method: 'POST', headers: { cookie: admin } });
  const run = (await r.json()).selfTest;
  const done = await until(
    async () => (await db.sql`SELECT status, steps FROM station_self_tests WHERE id = ${run.id} AND finished_at IS NOT NULL`)[0],
    30_000,
    'the run to finish',
  );
  const steps = done.steps as SelfTestStep[];
  const by = (name: SelfTestStepName) => steps.find((s) => s.step === name) ?? assert.fail(`no ${name} step`);
  assert.equal(done.status, 'failed');
  assert.equal(by('sos_persisted').ok, true);
  assert.equal(by('room_joined').ok, true);
  assert.equal(by('kiosk_video').ok, false);
  assert.match(by('kiosk_video').reason, /trang kiosk không mở/);
  assert.doesNotMatch(by('kiosk_video').reason, /không có camera/);
  assert.equal(by('return_media').ok, false);
  assert.equal(by('cleanup').ok, true);
  assert.equal((await db.sql`SELECT 1 FROM calls`).length, 0);

  // a resident's real SOS in progress: the self-test does not take the kiosk's media, and says why;
  // the real call is left as it was
  agent.outbox.raise();
  await until(async () => agent.outbox.state().state === 'acknowledged', 10_000, 'the real SOS acknowledged');
  const second = (
    await (
      await fetch(`${hub.url}/api/admin/stations/${db.demo.station.id}/self-test`, { method: 'POST', headers: { cookie: admin } })
    ).json()
  ).selfTest;
  const busy = await until(
    async () => (await db.sql`SELECT steps FROM station_self_tests WHERE id = ${second.id} AND finished_at IS NOT NULL`)[0],
    30_000,
    'the second run to finish',
  );
  const video = (busy.steps as SelfTestStep[]).find((s) => s.step === 'kiosk_video');
  assert.match(video?.reason ?? '', /SOS thật/);
  const calls = await db.sql`SELECT status FROM calls`;
  assert.deepEqual(
    calls.map((c) => c.status),
    ['ringing'],
  );
});
