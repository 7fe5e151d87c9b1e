// Enrolment instead of copied secrets: an administrator creates a station and gets a one-time code;
// the real agent CLI (`npm run agent -- enrol <code>`) exchanges it for the station's credential,
// kept in a 0600 file the agent then runs with. A used, expired or wrong code is refused and
// stores nothing; retiring the station refuses the running agent's next call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, login, repoRoot, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import type { RunningHub } from '../src/server.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: RunningHub;
let admin: string;
let dir: string;
const children: ChildProcess[] = [];

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url, { FLEET_TICK_MS: '200' });
  admin = await login(hub.url, 'quantri', DEMO_PASSWORD);
  dir = mkdtempSync(join(tmpdir(), 'tram-enrol-'));
});
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await hub?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = join(repoRoot, 'station-agent/src/cli.ts');
const agentEnv = (credFile: string, extra: Record<string, string> = {}) => ({
  ...process.env,
  HUB_URL: hub.url,
  STATION_CREDENTIAL_FILE: credFile,
  AGENT_PORT: '0',
  AGENT_DATA_DIR: join(dir, 'agent-data'),
  CARD_READER: 'off',
  STATION_UI_DIR: join(repoRoot, 'station-ui/dist'),
  ...extra,
});

/** Runs `agent enrol <code>` as its own process (what `npm run agent -- enrol <code>` runs). */
function enrolCli(code: string, credFile: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', cli, 'enrol', code], { env: agentEnv(credFile), cwd: repoRoot });
    let out = '',
      err = '';
    c.stdout.on('data', (b) => (out += b));
    c.stderr.on('data', (b) => (err += b));
    c.on('exit', (n) => resolve({ code: n ?? -1, out, err }));
  });
}

async function createStation(code: string) {
  const r = await fetch(`${hub.url}/api/admin/stations`, {
    method: 'POST',
    headers: { cookie: admin, 'content-type': 'application/json' },
    body: JSON.stringify({
      code,
      name: `Trạm ${code}`,
      building: 'Tòa A',
      floor: 'Sảnh tầng 1',
      address: '12 Nguyễn Huệ',
      wardId: db.demo.wardId,
      devicesExpected: ['thermometer'],
    }),
  });
  assert.equal(r.status, 201);
  return (await r.json()) as { stationId: string; code: string; expiresAt: string };
}

test('enrol end to end with the agent CLI; the credential file is 0600; the code works once', async () => {
  const st = await createStation('tram-enrol-01');
  assert.match(st.code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  assert.ok(Date.parse(st.expiresAt) - Date.now() > 23 * 3600_000, 'expires in about 24 h');
  // only a digest of the code is stored
  const stored = await db.sql`SELECT code_hash FROM station_enrolments WHERE station_id = ${st.stationId}`;
  assert.equal(stored.length, 1);
  assert.equal(JSON.stringify(stored).includes(st.code.replace('-', '')), false);

  const credFile = join(dir, 'a', 'station.credential');
  // typed in lower case with spaces: still the code
  const r = await enrolCli(st.code.toLowerCase().replace('-', ' '), credFile);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /tram-enrol-01/);
  assert.equal(statSync(credFile).mode & 0o777, 0o600);
  const credential = readFileSync(credFile, 'utf8').trim();
  const who = await fetch(`${hub.url}/api/station`, { headers: { authorization: `Station ${credential}` } });
  assert.equal(who.status, 200);
  assert.equal((await who.json()).station.code, 'tram-enrol-01');

  // the same code a second time: refused, nothing written, the first credential keeps working
  const again = join(dir, 'b', 'station.credential');
  const twice = await enrolCli(st.code, again);
  assert.equal(twice.code, 1);
  assert.match(twice.err, /enrolment refused \(403\)/);
  assert.equal(existsSync(again), false);
  assert.equal((await fetch(`${hub.url}/api/station`, { headers: { authorization: `Station ${credential}` } })).status, 200);
  const audit = await db.sql`SELECT action FROM audit_log WHERE action LIKE 'station.%' ORDER BY id`;
  assert.deepEqual(
    audit.map((a) => a.action),
    ['station.create', 'station.enrol', 'station.enrol_refused'],
  );
});

test('an expired or wrong code is refused and stores nothing', async () => {
  const st = await createStation('tram-enrol-02');
  await db.sql`UPDATE station_enrolments SET expires_at = now() - interval '1 second' WHERE station_id = ${st.stationId}`;
  const before = (await db.sql`SELECT credential_hash, enrolled_at FROM stations WHERE id = ${st.stationId}`)[0]!;
  for (const code of [st.code, 'ZZZZZ-ZZZZZ']) {
    const f = join(dir, `x-${code}`, 'station.credential');
    const r = await enrolCli(code, f);
    assert.equal(r.code, 1, code);
    assert.equal(existsSync(f), false);
  }
  const after = (await db.sql`SELECT credential_hash, enrolled_at FROM stations WHERE id = ${st.stationId}`)[0]!;
  assert.deepEqual(after, before);
  assert.equal(after.enrolled_at, null);
  // a malformed body is a 400 that says what is wrong
  const bad = await fetch(`${hub.url}/api/station/enrol`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"code":1}',
  });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /code/);
});

test("retiring a station: the running agent's next call is refused", async () => {
  const st = await createStation('tram-enrol-03');
  const credFile = join(dir, 'c', 'station.credential');
  assert.equal((await enrolCli(st.code, credFile)).code, 0);
  const agent = spawn(process.execPath, ['--import', 'tsx', cli], { env: agentEnv(credFile, { HEARTBEAT_S: '0.3' }), cwd: repoRoot });
  children.push(agent);
  let err = '';
  agent.stderr.on('data', (b) => (err += b));
  // it runs with the enrolled credential: its heartbeats reach the hub
  const deadline = Date.now() + 20_000;
  while (!(await db.sql`SELECT 1 FROM station_health WHERE station_id = ${st.stationId}`).length) {
    assert.ok(Date.now() < deadline, `no heartbeat: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const r = await fetch(`${hub.url}/api/admin/stations/${st.stationId}/retire`, { method: 'POST', headers: { cookie: admin } });
  assert.equal(r.status, 200);
  const credential = readFileSync(credFile, 'utf8').trim();
  assert.equal((await fetch(`${hub.url}/api/station`, { headers: { authorization: `Station ${credential}` } })).status, 401);
  const t0 = Date.now();
  while (!/refused the station credential \(401\)/.test(err)) {
    assert.ok(Date.now() - t0 < 5000, `the agent did not see the refusal: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // retired stations show as such, and cannot be enrolled again
  const list = (await (await fetch(`${hub.url}/api/admin/stations`, { headers: { cookie: admin } })).json()).stations;
  assert.equal(list.find((s: { id: string }) => s.id === st.stationId).status, 'retired');
  const code = await fetch(`${hub.url}/api/admin/stations/${st.stationId}/enrolment`, { method: 'POST', headers: { cookie: admin } });
  assert.equal(code.status, 404);
  agent.kill('SIGTERM');
});
