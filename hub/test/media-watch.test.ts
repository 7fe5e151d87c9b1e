// The media watch against real PostgreSQL and LiveKit, with two hubs watching: an answered call
// whose room LiveKit no longer has is flagged once, its officer told; calling back makes the room
// anew and clears the flag. A room that starts again after people had joined (its node died, a
// reconnecting participant brought it back elsewhere: seen in hub/test/faults.test.ts) is flagged
// from its webhook. The node-death itself, on a two-node cluster, is the fault matrix's.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { freshDatabase, listen, login, raiseSos, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hubA: Awaited<ReturnType<typeof startTestHub>>;
let hubB: Awaited<ReturnType<typeof startTestHub>>;
let an: string, binh: string;
const rooms = new RoomServiceClient(process.env.LIVEKIT_URL!, process.env.LIVEKIT_API_KEY!, process.env.LIVEKIT_API_SECRET!);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  db = await freshDatabase();
  // A gets LiveKit's webhooks (the test stack's hub port), B is a second hub on the same database
  hubA = await startTestHub(db.url, { MEDIA_WATCH_S: '1' });
  hubB = await startTestHub(db.url, { MEDIA_WATCH_S: '1', PORT: '0' });
  [an, binh] = await Promise.all([login(hubA.url, 'canbo.an', DEMO_PASSWORD), login(hubA.url, 'canbo.binh', DEMO_PASSWORD)]);
});
afterEach(async () => {
  await db.sql`UPDATE calls SET status = 'ended', ended_at = now(), next_escalation_at = NULL WHERE status <> 'ended'`;
});
after(async () => {
  await hubB?.stop();
  await hubA?.stop();
  await db?.drop();
});

async function answeredCall(): Promise<{ id: string; room: string }> {
  const { call } = await (await raiseSos(hubA.url, db.demo.station.credential, randomUUID())).json();
  const r = await fetch(`${hubA.url}/api/calls/${call.id}/answer`, { method: 'POST', headers: { cookie: an } });
  assert.equal(r.status, 200);
  const [row] = await db.sql<{ room_name: string }[]>`SELECT room_name FROM calls WHERE id = ${call.id}`;
  return { id: call.id, room: row!.room_name };
}
const events = (id: string, kind: string) =>
  db.sql<
    { actor: string; detail: Record<string, unknown> }[]
  >`SELECT actor, detail FROM call_events WHERE call_id = ${id} AND kind = ${kind} ORDER BY id`;
const flaggedAt = async (id: string) => (await db.sql`SELECT media_lost_at FROM calls WHERE id = ${id}`)[0]!.media_lost_at as Date | null;
const rejoin = (id: string, headers: Record<string, string>) => fetch(`${hubB.url}/api/calls/${id}/media`, { method: 'POST', headers });

async function until(cond: () => Promise<boolean>, ms: number, what: string) {
  for (const end = Date.now() + ms; !(await cond()); await sleep(100))
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

test('a room LiveKit no longer has: two watching hubs flag the call once, its officer is told; calling back makes the room anew', async () => {
  const officer = await listen(hubB.url, { cookie: an });
  try {
    const call = await answeredCall();
    await sleep(2500);
    assert.equal((await events(call.id, 'media_lost')).length, 0, 'a live room is not flagged');

    // the cluster loses the room (as when its node dies and nobody brings it back): the call now
    // points at a room LiveKit never had; both hubs look every second
    const gone = `sos-${randomUUID()}`;
    await db.sql`UPDATE calls SET room_name = ${gone} WHERE id = ${call.id}`;
    const e = await officer.next((e) => e.type === 'call.media_lost' && e.data.call.id === call.id, 10_000);
    assert.equal(e.data.call.status, 'answered', 'the call itself goes on');
    await sleep(3000); // more looks by both hubs: nothing more
    const lost = await events(call.id, 'media_lost');
    assert.equal(lost.length, 1, 'flagged exactly once across both hubs');
    assert.equal(lost[0]!.actor, 'hub');
    assert.equal(lost[0]!.detail.room, gone);
    assert.equal(lost[0]!.detail.via, 'watch');
    assert.deepEqual(lost[0]!.detail.seen, ['the LiveKit cluster has no such room', 'the LiveKit cluster has no such room']);
    assert.equal(officer.events.filter((x) => x.type === 'call.media_lost').length, 1);
    assert.ok(await flaggedAt(call.id));

    // only the officer who answered may call back; the station may rejoin too
    assert.equal((await rejoin(call.id, { cookie: binh })).status, 403);
    assert.ok(await flaggedAt(call.id), 'a refused rejoin changes nothing');
    const back = await rejoin(call.id, { cookie: an });
    assert.equal(back.status, 200);
    const { media } = await back.json();
    assert.equal(media.room, gone);
    assert.equal(media.identity, 'staff:canbo.an');
    assert.equal((await rooms.listRooms([gone])).length, 1, 'the room was made anew');
    assert.equal(await flaggedAt(call.id), null, 'the flag is cleared');
    const rejoined = await events(call.id, 'media_rejoined');
    assert.deepEqual(
      rejoined.map((r) => r.actor),
      ['staff:canbo.an'],
    );
    const kiosk = await rejoin(call.id, { authorization: `Station ${db.demo.station.credential}` });
    assert.equal(kiosk.status, 200);
    assert.equal((await kiosk.json()).media.identity, `station:${db.demo.station.code}`);
    assert.equal((await events(call.id, 'media_rejoined')).length, 1, 'nothing to clear the second time');

    await sleep(3000);
    assert.equal((await events(call.id, 'media_lost')).length, 1, 'the room made anew is live: no second flag');
    // the flag can fire again: the room is lost once more
    await db.sql`UPDATE calls SET room_name = ${`sos-${randomUUID()}`} WHERE id = ${call.id}`;
    await until(async () => (await events(call.id, 'media_lost')).length === 2, 10_000, 'a second media_lost');
  } finally {
    officer.close();
  }
});

async function deliver(event: Record<string, unknown>) {
  const body = JSON.stringify({ id: `EV_${randomUUID()}`, ...event });
  const t = new AccessToken(process.env.LIVEKIT_API_KEY!, process.env.LIVEKIT_API_SECRET!);
  t.sha256 = createHash('sha256').update(body).digest('base64');
  const r = await fetch(`${hubA.url}/livekit/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization: await t.toJwt() },
    body,
  });
  assert.equal(r.status, 200);
  return ((await r.json()) as { outcome: string }).outcome;
}

test('a room that starts again after people had joined is media lost at once; its first start, late or not, and a room made anew are not', async () => {
  const call = await answeredCall();
  const now = () => Math.floor(Date.now() / 1000);
  const started = (at: number) => deliver({ event: 'room_started', room: { name: call.room }, createdAt: String(at) });

  assert.equal(await started(now()), 'ignored', 'nobody had joined: the room starting is its first start');
  const joinedAt = now();
  assert.equal(
    await deliver({
      event: 'participant_joined',
      room: { name: call.room },
      participant: { identity: `station:${db.demo.station.code}` },
      createdAt: String(joinedAt),
    }),
    'applied',
  );
  assert.equal(await started(joinedAt - 5), 'ignored', 'a first start delivered late is still a first start');
  assert.equal((await events(call.id, 'media_lost')).length, 0);

  const officer = await listen(hubA.url, { cookie: an });
  try {
    assert.equal(await started(joinedAt + 2), 'applied');
    const lost = await events(call.id, 'media_lost');
    assert.equal(lost.length, 1);
    assert.equal(lost[0]!.detail.via, 'room_restarted');
    await officer.next((e) => e.type === 'call.media_lost' && e.data.call.id === call.id);
    await started(joinedAt + 3);
    assert.equal((await events(call.id, 'media_lost')).length, 1, 'flagged once');

    assert.equal((await rejoin(call.id, { cookie: an })).status, 200);
    assert.equal(await started(now() + 1), 'ignored', 'the start of the room the call back made anew');
    assert.equal(await flaggedAt(call.id), null);
  } finally {
    officer.close();
  }
});
