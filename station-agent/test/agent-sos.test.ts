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
/** A call as the kiosk page makes it: with the agent key the page was served, and JSON. */
const page = (path: string, init: RequestInit = {}) =>
  fetch(`${agent.url}${path}`, {
    ...init,
    headers: { 'x-tram-agent-key': agent.key, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });

before(async () => {
  db = await freshDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'tram-agent-'));
  agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl,
    credential: db.demo.station.credential,
    dataDir,
    uiDir: join(repoRoot, 'station-ui/dist'),
  });
});
after(async () => {
  await agent?.stop();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('SOS while the hub is down: retrying state, then exactly one call once the hub is back', async () => {
  const r = await page(`/agent/sos`, { method: 'POST' });
  assert.equal(r.status, 202);
  assert.equal((await r.json()).state, 'sending');
  await new Promise((res) => setTimeout(res, 1200));
  const state = await (await page(`/agent/state`)).json();
  assert.equal(state.hub, 'down');
  assert.equal(state.sos.state, 'sending');
  assert.ok(state.sos.attempts >= 2, `retried (${state.sos.attempts} attempts)`);
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM calls`)[0]!.n, 0);
  // a second tap during the outage is the same emergency
  await page(`/agent/sos`, { method: 'POST' });

  const hub = await startTestHub(db.url);
  try {
    const deadline = Date.now() + 8000;
    let s = state.sos.state;
    while (s !== 'acknowledged' && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 100));
      s = (await (await page(`/agent/state`)).json()).sos.state;
    }
    assert.equal(s, 'acknowledged');
    const calls = await db.sql`SELECT id, status FROM calls`;
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.status, 'ringing');
  } finally {
    await hub.stop();
  }
});

test('the kiosk page reaches only the station endpoints, and never sees the credential', async () => {
  const hub = await startTestHub(db.url);
  try {
    const html = await (await page(`/`)).text();
    assert.match(html, /<div id="root">/);
    assert.equal(html.includes(db.demo.station.credential.split(':')[1]!), false);
    // a station-only hub route answers through the relay: the agent added the credential
    const availability = await page(`/api/consults/availability`);
    assert.equal(availability.status, 200);
    assert.equal(typeof (await availability.json()).available, 'number');
    // routes the page does not use stay closed, even ones the station credential could reach
    for (const [method, path] of [
      ['POST', '/api/admin/stations'],
      ['GET', '/api/station'],
      ['GET', '/api/calls'],
    ]) {
      const r = await page(path!, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
      assert.equal(r.status, 404, `${method} ${path}`);
    }
    const traversal = await fetch(`${agent.url}/..%2f..%2fpackage.json`);
    assert.doesNotMatch(await traversal.text(), /"workspaces"/);
  } finally {
    await hub.stop();
  }
});

test('the local API refuses a malformed body with a 400 that says what is wrong', async () => {
  const post = async (path: string, body: string) => {
    const r = await page(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: r.status, body: (await r.json()) as { error?: { code: string; message: string } } };
  };
  const can = await post('/agent/card/access', '{"can":"12"}');
  assert.equal(can.status, 400);
  assert.equal(can.body.error?.code, 'invalid_request');
  assert.match(can.body.error!.message, /^can: the CAN is 6 digits\. Send \{"can":"6 digits"\}/);
  const kind = await post('/agent/vitals/measure', '{"kind":"mood"}');
  assert.equal(kind.status, 400);
  assert.match(kind.body.error!.message, /^kind: .*blood_pressure/);
  const note = await post('/agent/sos', '{"note":5}');
  assert.equal(note.status, 400);
  assert.match(note.body.error!.message, /^note: /);
  assert.match((await post('/agent/sos', 'not json')).body.error!.message, /^The body is not JSON/);
  // a refused SOS body raised nothing
  assert.notEqual((await (await page(`/agent/state`)).json()).sos.state, 'sending');
});
