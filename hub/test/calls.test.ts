// The calls domain against a real hub, PostgreSQL and LiveKit server.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createMedia } from '../src/livekit/media.ts';
import { freshDatabase, listen, login, raiseSos, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let an: string, binh: string, cuong: string;
const key = () => randomUUID();
const media = createMedia({
  apiUrl: process.env.LIVEKIT_URL!,
  publicUrl: process.env.LIVEKIT_PUBLIC_URL!,
  apiKey: process.env.LIVEKIT_API_KEY!,
  apiSecret: process.env.LIVEKIT_API_SECRET!,
  tokenTtlS: 60,
});

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
  [an, binh, cuong] = await Promise.all([
    login(hub.url, 'canbo.an', DEMO_PASSWORD),
    login(hub.url, 'canbo.binh', DEMO_PASSWORD),
    login(hub.url, 'canbo.cuong', DEMO_PASSWORD),
  ]);
});
// A station has at most one open call: each test starts with none.
afterEach(async () => {
  await db.sql`UPDATE calls SET status = 'ended', ended_at = now(), next_escalation_at = NULL WHERE status <> 'ended'`;
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const countCalls = async () => Number((await db.sql`SELECT count(*)::int AS n FROM calls`)[0]!.n);

test('an SOS rings every officer of the ward, not other wards, with the station name and address', async () => {
  const wardA = await listen(hub.url, { cookie: an });
  const wardB = await listen(hub.url, { cookie: binh });
  const otherWard = await listen(hub.url, { cookie: cuong });
  try {
    const r = await raiseSos(hub.url, db.demo.station.credential, key());
    assert.equal(r.status, 201);
    const body = await r.json();
    assert.equal(body.call.status, 'ringing');
    assert.ok(body.media.token.length > 100, 'the station gets a LiveKit token');
    for (const l of [wardA, wardB]) {
      const e = await l.next((e) => e.type === 'call.ringing' && e.data.call.id === body.call.id, 2000);
      assert.equal(e.data.call.station.name, 'Trạm công dân Đảo Kim Cương');
      assert.match(e.data.call.station.address, /Trần Quý Kiên/);
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(otherWard.events.filter((e) => e.type === 'call.ringing').length, 0, 'another ward is not rung before escalation');
  } finally {
    wardA.close();
    wardB.close();
    otherWard.close();
  }
});

test('the same SOS sent twice with one idempotency key makes one call, rings each officer once, and gives every copy a token', async () => {
  const officer = await listen(hub.url, { cookie: an });
  try {
    const before = await countCalls();
    const k = key();
    const [a, b] = await Promise.all([raiseSos(hub.url, db.demo.station.credential, k), raiseSos(hub.url, db.demo.station.credential, k)]);
    const c = await raiseSos(hub.url, db.demo.station.credential, k);
    const bodies = await Promise.all([a, b, c].map((r) => r.json()));
    assert.deepEqual([a.status, b.status, c.status].sort(), [200, 200, 201]);
    assert.equal(new Set(bodies.map((x) => x.call.id)).size, 1);
    for (const x of bodies) assert.ok(x.media.token.length > 100, 'every copy can join the room');
    assert.equal(await countCalls(), before + 1);
    const id = bodies[0].call.id;
    const raised = await db.sql`SELECT count(*)::int AS n FROM call_events WHERE call_id = ${id} AND kind = 'raised'`;
    assert.equal(raised[0]!.n, 1);
    await officer.next((e) => e.type === 'call.ringing' && e.data.call.id === id, 2000);
    await new Promise((r) => setTimeout(r, 500));
    // this hub rang the call: the retries it took did not ring the officer again
    assert.equal(officer.events.filter((e) => e.type === 'call.ringing' && e.data.call.id === id).length, 1);
  } finally {
    officer.close();
  }
});

test('two officers answering at the same moment: exactly one wins, the other gets 409', async () => {
  for (let round = 0; round < 5; round++) {
    const { call } = await (await raiseSos(hub.url, db.demo.station.credential, key())).json();
    const answer = (cookie: string) => fetch(`${hub.url}/api/calls/${call.id}/answer`, { method: 'POST', headers: { cookie } });
    const [x, y] = await Promise.all([answer(an), answer(binh)]);
    assert.deepEqual([x.status, y.status].sort(), [200, 409]);
    const loser = x.status === 409 ? x : y;
    const err = await loser.json();
    assert.equal(err.error.code, 'already_answered');
    assert.match(err.error.message, /already answered by/);
    const winner = await (x.status === 200 ? x : y).json();
    assert.ok(winner.media.token);
    const answered = await db.sql`SELECT count(*)::int AS n FROM call_events WHERE call_id = ${call.id} AND kind = 'answered'`;
    assert.equal(answered[0]!.n, 1);
    await db.sql`UPDATE calls SET status = 'ended', ended_at = now() WHERE id = ${call.id}`; // the station's next call
  }
});

test('an officer of another ward cannot answer before escalation', async () => {
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, key())).json();
  const r = await fetch(`${hub.url}/api/calls/${call.id}/answer`, { method: 'POST', headers: { cookie: cuong } });
  assert.equal(r.status, 404);
  const [row] = await db.sql`SELECT status FROM calls WHERE id = ${call.id}`;
  assert.equal(row!.status, 'ringing');
});

test('answered -> the other consoles see it answered; hang up -> everyone sees it ended, room closed', async () => {
  const other = await listen(hub.url, { cookie: binh });
  const station = await listen(hub.url, { station: db.demo.station.credential });
  try {
    const { call } = await (await raiseSos(hub.url, db.demo.station.credential, key())).json();
    assert.equal((await fetch(`${hub.url}/api/calls/${call.id}/answer`, { method: 'POST', headers: { cookie: an } })).status, 200);
    const seen = await other.next((e) => e.type === 'call.answered' && e.data.call.id === call.id);
    assert.equal(seen.data.call.answeredBy.username, 'canbo.an');
    await station.next((e) => e.type === 'call.answered' && e.data.call.id === call.id);
    // only the officer who answered (or the station) may end it
    const nope = await fetch(`${hub.url}/api/calls/${call.id}/end`, {
      method: 'POST',
      headers: { cookie: binh, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(nope.status, 403);
    const end = await fetch(`${hub.url}/api/calls/${call.id}/end`, {
      method: 'POST',
      headers: { cookie: an, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'resolved' }),
    });
    assert.equal(end.status, 200);
    await station.next((e) => e.type === 'call.ended' && e.data.call.id === call.id);
    const t = await (await fetch(`${hub.url}/api/calls/${call.id}`, { headers: { cookie: an } })).json();
    // media_* entries arrive asynchronously from LiveKit's webhooks; the call's own steps are exact
    const steps = t.timeline.filter((e: { kind: string }) => !e.kind.startsWith('media_'));
    assert.deepEqual(
      steps.map((e: { kind: string }) => e.kind),
      ['raised', 'rang', 'answered', 'ended'],
    );
    assert.equal(steps[3].detail.reason, 'resolved');
    assert.equal(steps[3].actor, 'staff:canbo.an');
    const [row] = await db.sql`SELECT room_name FROM calls WHERE id = ${call.id}`;
    const rooms = await new (await import('livekit-server-sdk')).RoomServiceClient(
      process.env.LIVEKIT_URL!,
      process.env.LIVEKIT_API_KEY!,
      process.env.LIVEKIT_API_SECRET!,
    ).listRooms([row!.room_name]);
    assert.equal(rooms.length, 0, 'the LiveKit room is gone');
  } finally {
    other.close();
    station.close();
  }
});

test('a forged webhook is rejected with 401 and changes nothing', async () => {
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, key())).json();
  await fetch(`${hub.url}/api/calls/${call.id}/answer`, { method: 'POST', headers: { cookie: an } });
  const [row] = await db.sql`SELECT room_name FROM calls WHERE id = ${call.id}`;
  const before = await db.sql`SELECT count(*)::int AS n FROM call_events WHERE call_id = ${call.id}`;
  const body = JSON.stringify({ event: 'room_finished', room: { name: row!.room_name }, id: 'EV_forged', createdAt: '1' });
  // signed with the wrong secret
  const { AccessToken } = await import('livekit-server-sdk');
  const wrong = new AccessToken(process.env.LIVEKIT_API_KEY!, 'x'.repeat(40));
  wrong.sha256 = (await import('node:crypto')).createHash('sha256').update(body).digest('base64');
  for (const authorization of [undefined, 'garbage', await wrong.toJwt()]) {
    const r = await fetch(`${hub.url}/livekit/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/webhook+json', ...(authorization ? { authorization } : {}) },
      body,
    });
    assert.equal(r.status, 401);
    assert.equal((await r.json()).error.code, 'bad_signature');
  }
  const after = await db.sql`SELECT count(*)::int AS n FROM call_events WHERE call_id = ${call.id}`;
  assert.equal(after[0]!.n, before[0]!.n);
  const [s] = await db.sql`SELECT status FROM calls WHERE id = ${call.id}`;
  assert.equal(s!.status, 'answered');
});

test('a real webhook from LiveKit (room finished) ends an answered call', async () => {
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, key())).json();
  await fetch(`${hub.url}/api/calls/${call.id}/answer`, { method: 'POST', headers: { cookie: an } });
  const [row] = await db.sql`SELECT room_name FROM calls WHERE id = ${call.id}`;
  // Close the room on the media server itself, as if it had failed; LiveKit then tells the hub.
  await media.deleteRoom(row!.room_name);
  const deadline = Date.now() + 10_000;
  let status = 'answered';
  while (Date.now() < deadline && status !== 'ended') {
    await new Promise((r) => setTimeout(r, 100));
    status = (await db.sql`SELECT status FROM calls WHERE id = ${call.id}`)[0]!.status;
  }
  assert.equal(status, 'ended');
  const [e] = await db.sql`SELECT end_reason FROM calls WHERE id = ${call.id}`;
  assert.equal(e!.end_reason, 'media_closed');
});
