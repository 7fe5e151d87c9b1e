// Live fleet health on real parts: the station agent as its own process with a blood-pressure
// board simulated on a socat pty, heartbeating into the real hub. Unplugging the device shows the
// station degraded within one heartbeat; heartbeats that change nothing write nothing; killing the
// agent raises an offline alert after T for the admins and the ward's police (not another ward's),
// cleared when the agent is back, all in the station's timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, listen, login, postHeartbeat, repoRoot, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { PtyRig } from '@tram/testing/devices/pty-rig.ts';
import { Nibp2010Simulator } from '@tram/testing/devices/simulators.ts';
import type { FleetStationDetail, FleetStationView } from '@tram/contracts';

const HEARTBEAT_S = 1;
const OFFLINE_S = 3;

test('device unplugged -> degraded within a heartbeat; agent killed -> offline alert after T, cleared on return', async (t) => {
  const rig = await PtyRig.create(t);
  if (!rig) return;
  rig.attach(new Nibp2010Simulator({ systolic: 120, diastolic: 80, pulse: 70 }), 40);
  const db = await freshDatabase();
  const hub = await startTestHub(db.url, { FLEET_OFFLINE_S: String(OFFLINE_S), FLEET_TICK_MS: '250' });
  const dataDir = mkdtempSync(join(tmpdir(), 'tram-fleet-'));
  const sockets: { close(): void }[] = [];
  let agent: ChildProcess | undefined;
  // In this order: the agent first (it would call a dropped database), the hub, then the database.
  t.after(async () => {
    agent?.kill('SIGKILL');
    for (const s of sockets) s.close();
    await hub.stop();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const admin = await login(hub.url, 'quantri', DEMO_PASSWORD);
  const stationId = db.demo.station.id;

  const startAgentProcess = () => {
    agent = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'station-agent/src/cli.ts')], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        HUB_URL: hub.url,
        STATION_CREDENTIAL: db.demo.station.credential,
        AGENT_PORT: '0',
        AGENT_DATA_DIR: dataDir,
        CARD_READER: 'off',
        HEARTBEAT_S: String(HEARTBEAT_S),
        STATION_UI_DIR: join(repoRoot, 'station-ui/dist'),
        VITALS_DEVICES: JSON.stringify([{ id: 'bp-1', kind: 'blood_pressure', protocol: 'nibp2010', path: rig.hostPath }]),
      },
    });
  };
  const fleet = async (): Promise<FleetStationView> => {
    const r = await fetch(`${hub.url}/api/admin/stations?wardId=${db.demo.wardId}`, { headers: { cookie: admin } });
    return ((await r.json()).stations as FleetStationView[]).find((s) => s.id === stationId)!;
  };
  const waitFor = async (pred: (s: FleetStationView) => boolean, ms: number, what: string) => {
    const t0 = Date.now();
    let s = await fleet();
    while (!pred(s)) {
      if (Date.now() - t0 > ms) assert.fail(`${what} not within ${ms} ms: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
      s = await fleet();
    }
    return { s, ms: Date.now() - t0 };
  };

  assert.equal((await fleet()).status, 'never_seen');
  startAgentProcess();
  await waitFor((s) => s.status === 'ok', 20_000, 'station ok');

  // Nothing changes for a few heartbeats: no new timeline row, no new health write.
  const rows = async () => (await db.sql`SELECT count(*)::int AS n FROM station_events WHERE station_id = ${stationId}`)[0]!.n;
  // The page can show "ok" from the agent's connection before its first heartbeat is stored; that
  // heartbeat writes its own row ('first_heartbeat'), so count from after it.
  for (const t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 100))) {
    const [first] = await db.sql`SELECT 1 FROM station_events WHERE station_id = ${stationId} AND kind = 'first_heartbeat'`;
    if (first) break;
    if (Date.now() - t0 > 2 * HEARTBEAT_S * 1000) assert.fail('the first heartbeat was not stored within two heartbeats');
  }
  const n0 = await rows();
  const [h0] = await db.sql`SELECT state_hash FROM station_health WHERE station_id = ${stationId}`;
  await new Promise((r) => setTimeout(r, 3.5 * HEARTBEAT_S * 1000));
  const added = await db.sql`SELECT kind, detail FROM station_events WHERE station_id = ${stationId} ORDER BY id OFFSET ${n0}`;
  assert.equal(added.length, 0, `unchanged heartbeats write no timeline row; written: ${JSON.stringify(added)}`);
  const [h1] = await db.sql`SELECT state_hash, last_seen_at FROM station_health WHERE station_id = ${stationId}`;
  assert.deepEqual(h1!.state_hash, h0!.state_hash);
  assert.ok(Date.now() - h1!.last_seen_at.getTime() < 2 * HEARTBEAT_S * 1000 + 500, 'last seen is still touched');

  // Unplug the cuff: degraded, saying what, within one heartbeat.
  await rig.unplug();
  const degraded = await waitFor((s) => s.status === 'degraded', HEARTBEAT_S * 1000 + 1000, 'degraded');
  assert.match(degraded.s.problems.join('; '), /device blood_pressure disconnected/);
  console.log(`degraded shown ${degraded.ms} ms after the unplug (heartbeat every ${HEARTBEAT_S} s)`);
  await rig.plug();
  await waitFor((s) => s.status === 'ok', 15_000, 'ok again after plugging back');

  // Kill the agent: offline after T, to the admins and the ward's police, not the other ward's.
  const adminWs = await listen(hub.url, { cookie: admin });
  const police = await listen(hub.url, { cookie: await login(hub.url, 'canbo.an', DEMO_PASSWORD) });
  const otherWard = await listen(hub.url, { cookie: await login(hub.url, 'canbo.cuong', DEMO_PASSWORD) });
  sockets.push(adminWs, police, otherWard);
  const killedAt = Date.now();
  agent!.kill('SIGKILL');
  const isOffline = (raised: boolean) => (e: { type: string; data: any }) =>
    e.type === 'station.alert' && e.data.kind === 'offline' && e.data.raised === raised && e.data.stationId === stationId;
  await adminWs.next(isOffline(true), (OFFLINE_S + 3) * 1000);
  const after = (Date.now() - killedAt) / 1000;
  assert.ok(after >= OFFLINE_S - HEARTBEAT_S, `not before T (${after} s)`);
  console.log(`offline alert ${after.toFixed(1)} s after the kill (T = ${OFFLINE_S} s, heartbeat ${HEARTBEAT_S} s)`);
  await police.next(isOffline(true), 2000);
  const off = await fleet();
  assert.equal(off.status, 'offline');
  assert.ok(off.offlineSince);

  startAgentProcess();
  await adminWs.next(isOffline(false), 20_000);
  await police.next(isOffline(false), 2000);
  assert.equal(otherWard.events.filter((e) => e.type === 'station.alert').length, 0, "another ward's police hear nothing");
  await waitFor((s) => s.status === 'ok', 5000, 'ok after the agent is back');

  const detail = (await (
    await fetch(`${hub.url}/api/admin/stations/${stationId}`, { headers: { cookie: admin } })
  ).json()) as FleetStationDetail;
  const kinds = detail.timeline
    .map((e) => `${e.kind}${e.detail.alert ? `:${e.detail.alert}` : ''}${e.detail.to !== undefined ? `:${e.detail.to}` : ''}`)
    .reverse();
  assert.deepEqual(kinds.slice(0, 1), ['first_heartbeat']);
  for (const k of ['device.changed:disconnected', 'device.changed:connected', 'alert.raised:offline', 'alert.cleared:offline'])
    assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
  const [audited] = await db.sql`SELECT actor FROM audit_log WHERE action = 'station.read'`;
  assert.equal(audited!.actor, 'staff:quantri');
});

test("a station's first heartbeats arriving together write one 'first_heartbeat' and one health row", async (t) => {
  const db = await freshDatabase();
  const hub = await startTestHub(db.url);
  t.after(async () => {
    await hub.stop();
    await db.drop();
  });
  const stationId = db.demo.station.id;
  // The agent beats on its timer, on connecting and on a device change: on first contact these can coincide.
  const beat = () => postHeartbeat(hub.url, db.demo.station.credential);
  const answers = await Promise.all(Array.from({ length: 8 }, beat));
  assert.deepEqual(
    answers.map((r) => r.ok),
    Array(8).fill(true),
  );
  const kinds = await db.sql`SELECT kind FROM station_events WHERE station_id = ${stationId} ORDER BY id`;
  assert.deepEqual(
    kinds.map((k) => k.kind),
    ['first_heartbeat'],
  );
  const [health] = await db.sql`SELECT count(*)::int AS n FROM station_health WHERE station_id = ${stationId}`;
  assert.equal(health!.n, 1);
});
