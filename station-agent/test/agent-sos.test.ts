// The station agent against a real hub: the kiosk never sees the station credential, and an SOS
// raised while the hub is down is created exactly once when the hub comes back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, repoRoot, startTestHub } from '../../hub/test/support/env.ts';
import { startAgent, type RunningAgent } from '../src/gateway/server.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let agent: RunningAgent;
let dataDir: string;
const hubPort = process.env.TRAM_TEST_HUB_PORT!;
const hubUrl = `http://127.0.0.1:${hubPort}`;

before(async () => {
  db = await freshDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'tram-agent-'));
  agent = await startAgent({ host: '127.0.0.1', port: 0, hubUrl, credential: db.demo.station.credential, dataDir, uiDir: join(repoRoot, 'station-ui/dist') });
});
after(async () => { await agent?.stop(); await db?.drop(); rmSync(dataDir, { recursive: true, force: true }); });

test('SOS while the hub is down: retrying state, then exactly one call once the hub is back', async () => {
  const r = await fetch(`${agent.url}/agent/sos`, { method: 'POST' });
  assert.equal(r.status, 202);
  assert.equal((await r.json()).state, 'sending');
  await new Promise((res) => setTimeout(res, 1200));
  const state = await (await fetch(`${agent.url}/agent/state`)).json();
  assert.equal(state.hub, 'down');
  assert.equal(state.sos.state, 'sending');
  assert.ok(state.sos.attempts >= 2, `retried (${state.sos.attempts} attempts)`);
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM calls`)[0]!.n, 0);
  // a second tap during the outage is the same emergency
  await fetch(`${agent.url}/agent/sos`, { method: 'POST' });

  const hub = await startTestHub(db.url);
  try {
    const deadline = Date.now() + 8000;
    let s = state.sos.state;
    while (s !== 'acknowledged' && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 100));
      s = (await (await fetch(`${agent.url}/agent/state`)).json()).sos.state;
    }
    assert.equal(s, 'acknowledged');
    const calls = await db.sql`SELECT id, status FROM calls`;
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.status, 'ringing');
  } finally { await hub.stop(); }
});

test('the kiosk page reaches only the station endpoints, and never sees the credential', async () => {
  const hub = await startTestHub(db.url);
  try {
    const page = await (await fetch(`${agent.url}/`)).text();
    assert.match(page, /<div id="root">/);
    assert.equal(page.includes(db.demo.station.credential.split(':')[1]!), false);
    const station = await fetch(`${agent.url}/api/station`);
    assert.equal(station.status, 200);
    assert.equal((await station.json()).station.name, 'Trạm công dân Chung cư Bến Nghé');
    const admin = await fetch(`${agent.url}/api/admin/stations`, { method: 'POST', body: '{}' });
    assert.equal(admin.status, 404);
    const traversal = await fetch(`${agent.url}/..%2f..%2fpackage.json`);
    assert.doesNotMatch(await traversal.text(), /"workspaces"/);
  } finally { await hub.stop(); }
});
