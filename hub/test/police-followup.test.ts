// The police console's follow-up (issue 12) against a real hub, PostgreSQL and LiveKit: missed
// calls and callbacks, responders (colleague, neighbouring ward, 115 medic) with warm transfer,
// and the silent SOS chat. Bad input changes nothing; retries are idempotent; who may do what.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, listen, login, raiseSos, startTestHub, type EventLog } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { createStaff } from '../src/auth/service.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let an: string, binh: string, cuong: string, medic: string;
let station: string;
const RING_MS = 2500;

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url, { CALLBACK_RING_MS: String(RING_MS), RATE_LIMIT_BURST: '10000' });
  await createStaff(db.sql, { username: 'yte.115', displayName: 'Cấp cứu 115 Lan', role: 'medic', password: DEMO_PASSWORD });
  [an, binh, cuong, medic] = (await Promise.all(
    ['canbo.an', 'canbo.binh', 'canbo.cuong', 'yte.115'].map((u) => login(hub.url, u, DEMO_PASSWORD)),
  )) as [string, string, string, string];
  station = db.demo.station.credential;
});
afterEach(async () => {
  await db.sql`UPDATE calls SET status = 'ended', ended_at = now(), next_escalation_at = NULL, ring_deadline_at = NULL WHERE status <> 'ended'`;
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

type Who = { cookie: string } | { station: string };
async function call(method: string, path: string, who: Who, body?: unknown, key: string | null = randomUUID()) {
  const headers: Record<string, string> = 'cookie' in who ? { cookie: who.cookie } : { authorization: `Station ${who.station}` };
  if (key) headers['idempotency-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${hub.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: r.status, body: (await r.json().catch(() => null)) as any };
}
const as = (cookie: string) => ({ cookie });
const st = { station: '' } as { station: string };
const timelineKinds = async (id: string) =>
  (await db.sql<{ kind: string; detail: any }[]>`SELECT kind, detail FROM call_events WHERE call_id = ${id} ORDER BY id`).map(
    (r) => r.kind,
  );
const snapshot = async () =>
  JSON.stringify(
    // LiveKit's own webhooks (a missed call's room closing) may land at any moment: not requests' doing
    await db.sql`SELECT (SELECT count(*) FROM calls) AS calls, (SELECT count(*) FROM call_events WHERE actor <> 'livekit') AS events,
      (SELECT count(*) FROM call_missed_closed) AS closed, (SELECT count(*) FROM call_responders) AS responders,
      (SELECT count(*) FROM call_messages) AS messages`,
  );

/** A resident presses SOS and hangs up before anyone answers: a missed call. */
async function missedCall(): Promise<string> {
  st.station = station;
  const id = (await (await raiseSos(hub.url, station, randomUUID())).json()).call.id as string;
  const r = await call('POST', `/api/calls/${id}/end`, st, { reason: 'cancelled' });
  assert.equal(r.status, 200);
  return id;
}

test('a missed call is listed, called back (the station rings), picked up; it leaves the list', async () => {
  const id = await missedCall();
  const missed = await call('GET', '/api/calls/missed', as(an));
  assert.ok(
    missed.body.missed.some((m: any) => m.call.id === id),
    'the ward officer sees the missed call',
  );
  assert.ok(!(await call('GET', '/api/calls/missed', as(cuong))).body.missed.some((m: any) => m.call.id === id), 'another ward does not');

  const kiosk: EventLog = await listen(hub.url, { station });
  try {
    const placed = await call('POST', `/api/calls/${id}/callback`, as(an));
    assert.equal(placed.status, 201);
    const cbId = placed.body.call.id as string;
    assert.equal(placed.body.callback.originalCallId, id);
    assert.equal(placed.body.callback.status, 'ringing');
    assert.ok(placed.body.media.token, 'the officer can join the room');
    const ring = await kiosk.next((e) => e.type === 'callback.ringing');
    assert.equal(ring.data.call.id, cbId);
    assert.equal(ring.data.callback.officer.username, 'canbo.an');
    // the agreed contract with the SLA view: a 'callback' row on the original call
    const [row] = await db.sql`SELECT detail FROM call_events WHERE call_id = ${id} AND kind = 'callback'`;
    assert.equal(row!.detail.callbackCallId, cbId);
    const [dir] = await db.sql`SELECT direction, callback_of FROM calls WHERE id = ${cbId}`;
    assert.deepEqual({ ...dir }, { direction: 'outbound', callback_of: id });

    // pressing again returns the same callback; a colleague is told someone is already calling
    const again = await call('POST', `/api/calls/${id}/callback`, as(an));
    assert.equal(again.status, 200);
    assert.equal(again.body.call.id, cbId);
    assert.equal((await call('POST', `/api/calls/${id}/callback`, as(binh))).body.error.code, 'callback_in_progress');
    assert.equal((await call('POST', `/api/calls/${id}/callback`, as(cuong))).status, 404, 'another ward may not call back');

    // the kiosk picks up (no card needed): a media grant; a retry is the same
    const pick = await call('POST', `/api/calls/${cbId}/pickup`, st, undefined);
    assert.equal(pick.status, 200);
    assert.equal(pick.body.callback.status, 'answered');
    assert.ok(pick.body.media.token);
    assert.equal((await call('POST', `/api/calls/${cbId}/pickup`, st)).status, 200);
    assert.ok(
      !(await call('GET', '/api/calls/missed', as(an))).body.missed.some((m: any) => m.call.id === id),
      'called back: off the list',
    );
    assert.deepEqual(await timelineKinds(cbId), ['callback_placed', 'station_answered']);
    assert.deepEqual((await timelineKinds(id)).slice(-2), ['callback', 'called_back']);
    // calling back a call that was called back already
    assert.equal((await call('POST', `/api/calls/${id}/callback`, as(an))).body.error.code, 'already_closed');
  } finally {
    kiosk.close();
  }
});

test('an unanswered callback times out and is recorded; a declined one too; the missed call stays', async () => {
  const id = await missedCall();
  const cb = (await call('POST', `/api/calls/${id}/callback`, as(an))).body.call.id as string;
  const deadline = Date.now() + RING_MS + 5000;
  while ((await db.sql`SELECT status FROM calls WHERE id = ${cb}`)[0]!.status !== 'ended' && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  const [ended] = await db.sql`SELECT status, end_reason FROM calls WHERE id = ${cb}`;
  assert.deepEqual({ ...ended }, { status: 'ended', end_reason: 'callback_unanswered' });
  // the missed call's timeline is written just after the callback ends
  while (!(await timelineKinds(id)).includes('callback_unanswered') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok((await timelineKinds(id)).includes('callback_unanswered'));
  const listed = (await call('GET', '/api/calls/missed', as(an))).body.missed.find((m: any) => m.call.id === id);
  assert.equal(listed.attempts, 1, 'still missed, one attempt');
  assert.equal((await call('POST', `/api/calls/${cb}/pickup`, st)).status, 409, 'too late to pick up');

  const cb2 = (await call('POST', `/api/calls/${id}/callback`, as(binh))).body.call.id as string;
  const dec = await call('POST', `/api/calls/${cb2}/decline`, st);
  assert.equal(dec.status, 200);
  assert.equal(dec.body.callback.status, 'declined');
  assert.ok((await timelineKinds(id)).includes('callback_declined'));

  // dismissing with a reason closes it for everyone
  assert.equal((await call('POST', `/api/calls/${id}/dismiss`, as(an), { reason: 'unreachable' })).status, 200);
  assert.ok(!(await call('GET', '/api/calls/missed', as(binh))).body.missed.some((m: any) => m.call.id === id));
  assert.equal((await call('POST', `/api/calls/${id}/dismiss`, as(an), { reason: 'unreachable' })).status, 409);
});

test('bad input and wrong calls change nothing', async () => {
  const id = await missedCall();
  const ringing = (await (await raiseSos(hub.url, station, randomUUID())).json()).call.id as string;
  const before = await snapshot();
  const cases: [string, string, Who, unknown, string | null, number][] = [
    ['POST', `/api/calls/${ringing}/callback`, as(an), undefined, null, 409], // not missed: it is ringing
    ['POST', `/api/calls/${id}/dismiss`, as(an), { reason: 'bored' }, null, 400],
    ['POST', `/api/calls/${id}/dismiss`, as(an), { reason: 'other', extra: 1 }, null, 400],
    ['POST', `/api/calls/not-a-uuid/callback`, as(an), undefined, null, 400],
    ['POST', `/api/calls/${id}/pickup`, st, undefined, null, 400], // no Idempotency-Key
    ['POST', `/api/calls/${id}/pickup`, st, undefined, randomUUID(), 404], // not a callback
    ['POST', `/api/calls/${ringing}/silent`, st, undefined, null, 400],
    ['POST', `/api/calls/${ringing}/chat`, st, { text: '' }, randomUUID(), 400],
    ['POST', `/api/calls/${ringing}/chat`, st, { quick: 'maybe' }, randomUUID(), 400],
    ['POST', `/api/calls/${ringing}/chat`, st, { text: 'x'.repeat(501) }, randomUUID(), 400],
    ['POST', `/api/calls/${ringing}/chat`, st, { text: 'hi' }, null, 400],
    ['POST', `/api/calls/${ringing}/chat`, as(an), { text: 'hi' }, randomUUID(), 404], // nobody answered: not in the call
    ['POST', `/api/calls/${ringing}/responders`, as(an), { username: 'canbo.binh' }, null, 400], // no note
    ['POST', `/api/calls/${ringing}/responders`, as(an), { username: 'canbo.binh', note: 'x' }, null, 404], // not the owner
    ['POST', `/api/calls/${ringing}/transfer`, as(an), {}, null, 400],
    ['POST', `/api/calls/${ringing}/join`, as(medic), undefined, null, 404],
  ];
  for (const [m, p, who, body, key, status] of cases) {
    const r = await call(m, p, who, body, key);
    assert.equal(r.status, status, `${m} ${p} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
  }
  assert.equal(await snapshot(), before, 'nothing changed');
});

test('responders: a colleague, a neighbouring ward and a medic join; warm transfer; the kiosk sees who joined', async () => {
  st.station = station;
  const id = (await (await raiseSos(hub.url, station, randomUUID())).json()).call.id as string;
  assert.equal((await call('POST', `/api/calls/${id}/answer`, as(an))).status, 200);
  const kiosk = await listen(hub.url, { station });
  const medicWs = await listen(hub.url, { cookie: medic });
  try {
    const note = 'Bà cụ ngã, khó thở; đã hỏi tên / elderly woman fell, short of breath';
    const addMedic = await call('POST', `/api/calls/${id}/responders`, as(an), { username: 'yte.115', note });
    assert.equal(addMedic.status, 201);
    assert.equal((await call('POST', `/api/calls/${id}/responders`, as(an), { username: 'yte.115', note })).status, 200, 'idempotent');
    assert.equal((await call('POST', `/api/calls/${id}/responders`, as(an), { username: 'canbo.binh', note: 'hỗ trợ' })).status, 201);
    assert.equal((await call('POST', `/api/calls/${id}/responders`, as(an), { username: 'canbo.cuong', note: 'phường bên' })).status, 201);
    assert.equal(
      (await call('POST', `/api/calls/${id}/responders`, as(an), { username: 'bacsi.dung', note: 'x' })).status,
      422,
      'a clinician is not a responder',
    );
    assert.equal(
      (await call('POST', `/api/calls/${id}/responders`, as(binh), { username: 'canbo.cuong', note: 'x' })).status,
      404,
      'only the owner adds',
    );

    const inv = await medicWs.next((e) => e.type === 'responder.invited');
    assert.equal(inv.data.call.id, id);
    assert.equal(inv.data.responder.note, note);
    // a medic sees only the calls it was added to, and not the ward's call list
    const mine = await call('GET', '/api/calls/responding', as(medic));
    assert.deepEqual(
      mine.body.invitations.map((i: any) => i.call.id),
      [id],
    );
    assert.equal((await call('GET', '/api/calls', as(medic))).status, 403);
    assert.equal((await call('GET', `/api/calls/${id}`, as(medic))).status, 403);
    assert.equal((await call('POST', `/api/calls/${id}/responders`, as(medic), { username: 'canbo.binh', note: 'x' })).status, 403);

    for (const c of [medic, binh, cuong]) {
      const j = await call('POST', `/api/calls/${id}/join`, as(c));
      assert.equal(j.status, 200);
      assert.ok(j.body.media.token);
    }
    const joined = await kiosk.next(
      (e) => e.type === 'call.responders' && e.data.responders.filter((r: any) => r.status === 'joined').length === 3,
    );
    assert.deepEqual(
      joined.data.responders.map((r: any) => [r.role, r.displayName]).sort(),
      [
        ['medic', 'Cấp cứu 115 Lan'],
        ['police', 'Trung úy Trần Thị Bình'],
        ['police', 'Đại úy Lê Văn Cường'],
      ].sort(),
    );
    assert.equal((await call('POST', `/api/calls/${id}/transfer`, as(an), { to: 'yte.115' })).status, 422, 'not to a medic');
    const tr = await call('POST', `/api/calls/${id}/transfer`, as(an), { to: 'canbo.binh' });
    assert.equal(tr.status, 200);
    const [owner] = await db.sql`SELECT s.username FROM calls c JOIN staff s ON s.id = c.answered_by WHERE c.id = ${id}`;
    assert.equal(owner!.username, 'canbo.binh');
    assert.equal((await call('POST', `/api/calls/${id}/transfer`, as(an), { to: 'canbo.cuong' })).status, 404, 'no longer the owner');
    const kinds = await timelineKinds(id);
    for (const k of ['responder_invited', 'responder_joined', 'transferred']) assert.ok(kinds.includes(k), k);
    // the medic may write in the chat of the call it joined
    assert.equal((await call('POST', `/api/calls/${id}/chat`, as(medic), { text: 'Đang tới / on the way' })).status, 201);
    assert.equal((await call('POST', `/api/calls/${id}/leave`, as(medic))).status, 200);
    assert.deepEqual((await call('GET', '/api/calls/responding', as(medic))).body.invitations, []);
  } finally {
    kiosk.close();
    medicWs.close();
  }
});

test('silent SOS: the call turns to text; quick replies and replies are stored, idempotent, in the timeline', async () => {
  st.station = station;
  const id = (await (await raiseSos(hub.url, station, randomUUID())).json()).call.id as string;
  assert.equal((await call('POST', `/api/calls/${id}/answer`, as(an))).status, 200);
  const console_ = await listen(hub.url, { cookie: an });
  const kiosk = await listen(hub.url, { station });
  try {
    assert.equal((await call('POST', `/api/calls/${id}/silent`, st)).status, 200);
    await console_.next((e) => e.type === 'call.silent' && e.data.callId === id);
    const k = randomUUID();
    const q = await call('POST', `/api/calls/${id}/chat`, st, { quick: 'need_ambulance' }, k);
    assert.equal(q.status, 201);
    assert.equal(q.body.message.text, 'Cần cấp cứu y tế');
    assert.equal((await call('POST', `/api/calls/${id}/chat`, st, { quick: 'need_ambulance' }, k)).status, 200, 'a retry');
    assert.equal((await call('POST', `/api/calls/${id}/chat`, st, { quick: 'fire' }, k)).status, 422, 'a reused key');
    const seen = await console_.next((e) => e.type === 'call.chat' && e.data.message.from === 'resident');
    assert.equal(seen.data.message.quick, 'need_ambulance');
    assert.equal((await call('POST', `/api/calls/${id}/chat`, as(an), { text: 'Xe cấp cứu đang đến' })).status, 201);
    assert.equal((await call('POST', `/api/calls/${id}/chat`, as(an), { quick: 'yes' })).status, 422);
    const reply = await kiosk.next((e) => e.type === 'call.chat' && e.data.message.from === 'staff');
    assert.equal(reply.data.message.text, 'Xe cấp cứu đang đến');
    // after a reconnect the kiosk reads the whole chat back
    const all = await call('GET', `/api/calls/${id}/chat`, st);
    assert.equal(all.body.silent, true);
    assert.deepEqual(
      all.body.messages.map((m: any) => [m.from, m.text]),
      [
        ['resident', 'Cần cấp cứu y tế'],
        ['staff', 'Xe cấp cứu đang đến'],
      ],
    );
    assert.deepEqual(
      (await timelineKinds(id)).filter((x) => x === 'chat' || x === 'silent_mode'),
      ['silent_mode', 'chat', 'chat'],
    );
    assert.equal((await call('GET', `/api/calls/${id}/chat`, as(binh))).status, 404, 'not in the call');
  } finally {
    console_.close();
    kiosk.close();
  }
});
