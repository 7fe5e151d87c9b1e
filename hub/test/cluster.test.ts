// The scaled-out system, for real: two hub processes on one PostgreSQL and two LiveKit nodes
// clustered through a real redis-server, behind the balancer that `npm run start:cluster` runs.
// A call raised through hub A rings an officer connected to hub B; the station and the officer
// reach the room through different LiveKit nodes and still see and hear each other; webhooks from
// either node reach a hub; with hub A killed, the front sends everything to hub B and B takes the
// escalation deadlines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { RoomServiceClient } from 'livekit-server-sdk';
import { freshDatabase, hubEnv, listen, login, raiseSos } from './support/env.ts';
import { growing, inbound, launchChromium } from './support/browser.ts';
import { joinAsStation, stationMediaPage } from '../../clinician-console/test/support/station-media.ts';
import { startCluster, type Cluster } from '../../scripts/cluster/cluster.ts';
import { freePort } from '../../scripts/ports.ts';
import { startRedis, type RunningRedis } from '../../media/redis.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let redis: RunningRedis;
let cluster: Cluster;
let browser: Browser;
let work: string;
let officer: string;
const key = process.env.LIVEKIT_API_KEY ?? 'tram-test';
const secret = process.env.LIVEKIT_API_SECRET ?? randomBytes(24).toString('base64url');

before(async () => {
  db = await freshDatabase();
  work = mkdtempSync(join(tmpdir(), 'tram-cluster-'));
  redis = await startRedis({ port: await freePort(), password: randomBytes(12).toString('hex') });
  const lkPorts = async (): Promise<[number, number, number]> => [await freePort(), await freePort(), await freePort()];
  const { PORT: _ignored, ...env } = hubEnv(db.url, {
    // short deadlines, so the surviving hub's escalation is seen within the test
    ESCALATE_T1_MS: '1500',
    ESCALATE_T2_MS: '60000',
  });
  cluster = await startCluster({
    databaseUrl: db.url,
    port: await freePort(),
    hubPorts: [await freePort(), await freePort()],
    livekitPorts: [await lkPorts(), await lkPorts()],
    livekit: { key, secret },
    redis: { address: redis.address, password: redis.password },
    workDir: work,
    hubEnv: env,
  });
  const [row] = await db.sql<{ username: string }[]>`
    SELECT s.username FROM staff s JOIN staff_wards w ON w.staff_id = s.id
    WHERE w.ward_id = ${db.demo.wardId} AND s.role = 'police' ORDER BY s.username LIMIT 1`;
  officer = row!.username;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await cluster?.stop();
  await redis?.stop();
  await db?.drop();
  rmSync(work, { recursive: true, force: true });
});

test('a call raised through hub A rings an officer on hub B; media flows across the two LiveKit nodes; both nodes’ webhooks land', async () => {
  const [a, b] = cluster.hubs as [Cluster['hubs'][0], Cluster['hubs'][0]];
  const cookie = await login(b.url, officer, DEMO_PASSWORD);
  const events = await listen(b.url, { cookie });
  try {
    const raised = await raiseSos(a.url, db.demo.station.credential, randomUUID());
    assert.equal(raised.status, 201);
    const { call, media: stationGrant } = (await raised.json()) as {
      call: { id: string; roomName?: string };
      media: { url: string; token: string };
    };
    await events.next((e) => e.type === 'call.ringing' && e.data.call.id === call.id, 3000);

    const answered = await fetch(`${b.url}/api/calls/${call.id}/answer`, { method: 'POST', headers: { cookie } });
    assert.equal(answered.status, 200);
    const { media: officerGrant } = (await answered.json()) as { media: { url: string; token: string } };
    // each side reaches the room through its own hub's LiveKit node
    assert.equal(stationGrant.url, a.livekit.wsUrl);
    assert.equal(officerGrant.url, b.livekit.wsUrl);
    assert.notEqual(stationGrant.url, officerGrant.url);

    // the room hub A created is known to node 2 as well: one cluster
    const [room] = await db.sql<{ room_name: string }[]>`SELECT room_name FROM calls WHERE id = ${call.id}`;
    const seenByNode2 = await new RoomServiceClient(b.livekit.apiUrl, key, secret).listRooms([room!.room_name]);
    assert.equal(seenByNode2.length, 1);

    const station = await stationMediaPage(browser, a.url);
    const police = await stationMediaPage(browser, b.url);
    await joinAsStation(station, stationGrant);
    await joinAsStation(police, officerGrant);
    await growing(async () => (await inbound(police, 'video')).framesDecoded, 'frames the officer decodes from the station');
    await growing(
      async () => (await inbound(station, 'audio')).totalSamplesReceived,
      'audio samples the station receives from the officer',
    );

    // LiveKit's webhooks (from whichever node hosts the room) reach a hub through the front
    const identities = async () =>
      (
        await db.sql<{ identity: string }[]>`
        SELECT detail->>'identity' AS identity FROM call_events WHERE call_id = ${call.id} AND kind = 'media_joined'`
      ).map((r) => r.identity);
    const deadline = Date.now() + 10_000;
    while ((await identities()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual((await identities()).sort(), [`staff:${officer}`, `station:${db.demo.station.code}`].sort());

    const ended = await fetch(`${cluster.url}/api/calls/${call.id}/end`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'resolved' }),
    });
    assert.equal(ended.status, 200);
    await station.context().close();
    await police.context().close();
  } finally {
    events.close();
  }
});

test('with hub A killed (-9), the front sends the station to hub B: one call, rung and escalated by B', async () => {
  const [a, b] = cluster.hubs as [Cluster['hubs'][0], Cluster['hubs'][0]];
  const cookie = await login(cluster.url, officer, DEMO_PASSWORD);
  const events = await listen(b.url, { cookie });
  a.crash();
  try {
    const idem = randomUUID();
    // The front tries hubs in turn: a request that finds hub A dead goes to hub B.
    const first = await raiseSos(cluster.url, db.demo.station.credential, idem);
    assert.equal(first.status, 201);
    const { call } = (await first.json()) as { call: { id: string } };
    await events.next((e) => e.type === 'call.ringing' && e.data.call.id === call.id, 3000);
    // the agent's retry (same key) is the same call, whichever hub takes it
    const again = await raiseSos(cluster.url, db.demo.station.credential, idem);
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as { call: { id: string } }).call.id, call.id);
    const rows = await db.sql`SELECT 1 FROM calls WHERE station_id = ${db.demo.station.id} AND idempotency_key = ${idem}`;
    assert.equal(rows.length, 1);
    // unanswered past T1: the surviving hub takes the deadline and rings the next group
    const deadline = Date.now() + 8000;
    let escalated = false;
    while (!escalated && Date.now() < deadline) {
      const rows = await db.sql`SELECT 1 FROM call_events WHERE call_id = ${call.id} AND detail->>'reason' = 'unanswered_t1'`;
      escalated = rows.length === 1;
      if (!escalated) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(escalated, 'the T1 escalation was applied once by the surviving hub');
    await fetch(`${cluster.url}/api/calls/${call.id}/end`, {
      method: 'POST',
      headers: { authorization: `Station ${db.demo.station.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'cancelled' }),
    });
  } finally {
    events.close();
    await a.restart();
  }
  // hub A is back: the front uses it again
  assert.equal((await fetch(`${a.url}/healthz`)).status, 200);
});
