// Doctor consults at the hub: the waiting room, one winner among clinicians, re-measure, the note
// as FHIR, escalation to an emergency call, and a resident who walks away — with real PostgreSQL,
// LiveKit and WebSockets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, listen, login, startTestHub } from './support/env.ts';
import { citizenSession, postReadings, reading } from './vitals-fixtures.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { createStaff } from '../src/auth/service.ts';
import { MEDICAL_EMERGENCY_NOTE } from '@tram/contracts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let dung: string, hoa: string, police: string, cred: string;

before(async () => {
  db = await freshDatabase();
  await createStaff(db.sql, { username: 'bacsi.hoa', displayName: 'BS. Lý Thu Hòa', role: 'clinician', password: DEMO_PASSWORD });
  hub = await startTestHub(db.url);
  cred = db.demo.station.credential;
  [dung, hoa, police] = [
    await login(hub.url, 'bacsi.dung', DEMO_PASSWORD),
    await login(hub.url, 'bacsi.hoa', DEMO_PASSWORD),
    await login(hub.url, 'canbo.an', DEMO_PASSWORD),
  ];
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const station = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${hub.url}${path}`, {
    method,
    headers: { authorization: `Station ${cred}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const staff = (cookie: string, method: string, path: string, body?: unknown) =>
  fetch(`${hub.url}${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const presence = (cookie: string, available: boolean) => staff(cookie, 'PUT', '/api/consults/presence', { available });
const request = (reason = 'checkup', key = randomUUID()) => station('POST', '/api/consults', { reason }, { 'idempotency-key': key });
async function queued(reason: string) {
  const r = await request(reason);
  const b = await r.json();
  assert.equal(r.status, 201, JSON.stringify(b));
  return b;
}

async function residentWithVitals(idNumber: string) {
  const s = await citizenSession(db, db.demo.station.id, idNumber);
  const r = await postReadings(hub.url, cred, {
    sessionId: s.sessionId,
    readings: [reading('blood_pressure', { systolic: 186, diastolic: 112 }), reading('spo2', 96), reading('temperature', 36.8)],
  });
  assert.equal(r.status, 200);
  return s;
}

test('nobody available: the kiosk is told honestly; with a doctor available the request queues and clinicians see it live', async () => {
  await residentWithVitals('079160001234');
  const none = await request();
  assert.equal(none.status, 409);
  assert.equal((await none.json()).error.code, 'no_clinician_available');
  assert.equal((await presence(dung, true)).status, 200);
  const clinicians = await listen(hub.url, { cookie: dung });
  try {
    const key = randomUUID();
    const r = await request('dizziness', key);
    assert.equal(r.status, 201);
    const { consult } = await r.json();
    assert.deepEqual([consult.status, consult.position], ['waiting', 1]);
    assert.ok(consult.estimatedWaitMin >= 1);
    assert.equal((await request('dizziness', key)).status, 200, 'a retry with the same key is the same consult');
    await clinicians.next((e) => e.type === 'consult.changed' && e.data.id === consult.id);
    const q = await (await staff(dung, 'GET', '/api/consults/queue')).json();
    const entry = q.entries.find((e: { id: string }) => e.id === consult.id);
    assert.equal(entry.patient.name, 'Nguyễn Thị Mai');
    assert.equal(entry.patient.sex, 'Nữ');
    assert.ok(entry.patient.age >= 60);
    assert.equal(entry.reason, 'dizziness');
    assert.equal(entry.urgency, 2, 'a hypertensive-crisis reading makes it urgent');
    assert.ok(entry.flags.includes('hypertensive_crisis'));
    assert.deepEqual(entry.vitals.find((v: { kind: string }) => v.kind === 'blood_pressure').values, { systolic: 186, diastolic: 112 });
    const [a] = await db.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'consult.queue.read' AND actor = 'staff:bacsi.dung'`;
    assert.equal(a!.n, 1, 'every clinician read of the queue is audited');
    // police may not see it
    assert.equal((await staff(police, 'GET', '/api/consults/queue')).status, 403);
    assert.equal((await station('POST', `/api/consults/${consult.id}/cancel`)).status, 200);
  } finally {
    clinicians.close();
  }
});

test('two clinicians accept at once: one wins; re-measure reaches the kiosk; the note is FHIR and the kiosk gets the advice', async () => {
  await presence(hoa, true);
  const kiosk = await listen(hub.url, { station: cred });
  try {
    const { consult } = await queued('chest_pain');
    const [x, y] = await Promise.all([
      staff(dung, 'POST', `/api/consults/${consult.id}/accept`),
      staff(hoa, 'POST', `/api/consults/${consult.id}/accept`),
    ]);
    assert.deepEqual([x.status, y.status].sort(), [200, 409]);
    const [winner, winnerCookie] = x.status === 200 ? [await x.json(), dung] : [await y.json(), hoa];
    assert.ok(winner.media.token);
    const accepted = await kiosk.next(
      (e) => e.type === 'consult.updated' && e.data.consult.id === consult.id && e.data.consult.status === 'in_call',
    );
    assert.ok(accepted.data.consult.clinician.displayName.startsWith('BS.'));
    assert.equal((await station('POST', `/api/consults/${consult.id}/media`)).status, 200);
    const loserCookie = winnerCookie === dung ? hoa : dung;
    assert.equal((await staff(loserCookie, 'POST', `/api/consults/${consult.id}/remeasure`, { kind: 'blood_pressure' })).status, 403);
    assert.equal((await staff(winnerCookie, 'POST', `/api/consults/${consult.id}/remeasure`, { kind: 'blood_pressure' })).status, 200);
    const rm = await kiosk.next((e) => e.type === 'vitals.remeasure');
    assert.equal(rm.data.kind, 'blood_pressure');

    const note = {
      reason: 'Đau ngực',
      findings: 'Huyết áp 186/112',
      advice: 'Nghỉ ngơi, uống thuốc hạ áp theo đơn, tái khám trong 24 giờ.',
      referral: 'in_person',
    };
    assert.equal((await (await staff(winnerCookie, 'POST', `/api/consults/${consult.id}/rejoin`)).json()).note, null, 'nothing saved yet');
    // ending before any note is saved is refused: a completed consult always has its record
    const early = await staff(winnerCookie, 'POST', `/api/consults/${consult.id}/end`);
    assert.equal(early.status, 409);
    assert.equal((await early.json()).error.code, 'note_required');
    // saving the note does not end the consult: still in the call, the record is in progress
    const saved = await staff(winnerCookie, 'PUT', `/api/consults/${consult.id}/note`, { ...note, advice: 'Nghỉ ngơi.' });
    assert.equal(saved.status, 200);
    const [mid] = await db.sql`SELECT status FROM consults WHERE id = ${consult.id}`;
    assert.equal(mid!.status, 'in_call', 'saving the note does not end the consult');
    assert.equal((await (await station('GET', '/api/consults/current')).json()).consult.summary, null, 'the kiosk sees no advice yet');
    const draft = await (await staff(winnerCookie, 'GET', `/fhir/Encounter/${consult.id}`)).json();
    assert.equal(draft.status, 'in-progress');
    assert.equal(draft.period.end, undefined);
    assert.equal((await staff(loserCookie, 'PUT', `/api/consults/${consult.id}/note`, note)).status, 403);
    // rejoining (a reload) gives the doctor back the note saved so far; nobody else gets it
    const back = await (await staff(winnerCookie, 'POST', `/api/consults/${consult.id}/rejoin`)).json();
    assert.equal(back.note.advice, 'Nghỉ ngơi.');
    assert.ok(back.media.token && back.note.savedAt);
    // the note stays editable during the call: the last save wins
    assert.equal((await staff(winnerCookie, 'PUT', `/api/consults/${consult.id}/note`, note)).status, 200);
    assert.equal((await staff(winnerCookie, 'PUT', `/api/consults/${consult.id}/note`, { ...note, advice: '' })).status, 400);
    assert.equal((await staff(loserCookie, 'POST', `/api/consults/${consult.id}/end`)).status, 403);

    const ended = await staff(winnerCookie, 'POST', `/api/consults/${consult.id}/end`);
    assert.equal(ended.status, 200);
    const done = await kiosk.next(
      (e) => e.type === 'consult.updated' && e.data.consult.id === consult.id && e.data.consult.status === 'completed',
    );
    assert.deepEqual(done.data.consult.summary, { advice: note.advice, referral: 'in_person' });
    const ci = await (await staff(winnerCookie, 'GET', `/fhir/ClinicalImpression/${consult.id}`)).json();
    assert.equal(ci.resourceType, 'ClinicalImpression');
    assert.equal(ci.summary, note.advice);
    assert.equal(ci.status, 'completed');
    const enc = await (await staff(winnerCookie, 'GET', `/fhir/Encounter/${consult.id}`)).json();
    assert.equal(enc.status, 'finished');
    assert.ok(enc.period.end);
    // closed: the note is no longer editable, and ending twice is refused
    assert.equal((await staff(winnerCookie, 'PUT', `/api/consults/${consult.id}/note`, note)).status, 409);
    assert.equal((await staff(winnerCookie, 'POST', `/api/consults/${consult.id}/end`)).status, 409);
    const audits = await db.sql`SELECT action FROM audit_log WHERE subject = ${`consult:${consult.id}`} ORDER BY id`;
    assert.deepEqual(
      audits.map((a) => a.action).filter((a) => a === 'consult.note' || a === 'consult.end'),
      ['consult.note', 'consult.note', 'consult.end'],
    );
  } finally {
    kiosk.close();
  }
});

test('the resident removes the card mid-call: the consult ends, the clinician is told, the room is gone', async () => {
  const clinicians = await listen(hub.url, { cookie: dung });
  try {
    const { consult } = await queued('fever');
    assert.equal((await staff(dung, 'POST', `/api/consults/${consult.id}/accept`)).status, 200);
    assert.equal((await station('DELETE', '/api/identity/session', { reason: 'card_removed' })).status, 200);
    await clinicians.next((e) => e.type === 'consult.changed' && e.data.id === consult.id && e.data.status === 'abandoned');
    const [row] = await db.sql`SELECT status, end_reason, room_name FROM consults WHERE id = ${consult.id}`;
    assert.deepEqual([row!.status, row!.end_reason], ['abandoned', 'session_card_removed']);
    const { RoomServiceClient } = await import('livekit-server-sdk');
    const rooms = await new RoomServiceClient(
      process.env.LIVEKIT_URL!,
      process.env.LIVEKIT_API_KEY!,
      process.env.LIVEKIT_API_SECRET!,
    ).listRooms([row!.room_name]);
    assert.equal(rooms.length, 0);
  } finally {
    clinicians.close();
  }
});

test('escalation from a consult: the ward hears only "medical emergency"; the vitals go to the answering officer alone, audited', async () => {
  await residentWithVitals('079160005678');
  const officer = await listen(hub.url, { cookie: police });
  const binh = await login(hub.url, 'canbo.binh', DEMO_PASSWORD);
  try {
    const { consult } = await queued('breathing');
    assert.equal((await staff(dung, 'POST', `/api/consults/${consult.id}/accept`)).status, 200);
    const r = await staff(dung, 'POST', `/api/consults/${consult.id}/escalate`);
    assert.equal(r.status, 201);
    const callId = (await r.json()).call.id;
    const again = await staff(dung, 'POST', `/api/consults/${consult.id}/escalate`);
    assert.equal(again.status, 200, 'pressing again is the same call');
    const ring = await officer.next((e) => e.type === 'call.ringing');
    assert.equal(ring.data.call.note, MEDICAL_EMERGENCY_NOTE);
    const seen = await (await staff(binh, 'GET', `/api/calls/${callId}`)).json();
    // whole numbers only: ids are hex and may contain "112"
    assert.doesNotMatch(
      JSON.stringify(seen),
      /\b186\b|\b112\b|blood_pressure|spo2|systolic/,
      'no vitals in what every officer of the ward can read',
    );
    assert.equal((await staff(police, 'GET', `/api/calls/${callId}/medical`)).status, 404, 'not before answering');
    assert.equal((await staff(police, 'POST', `/api/calls/${callId}/answer`)).status, 200);
    const h = await staff(police, 'GET', `/api/calls/${callId}/medical`);
    assert.equal(h.status, 200);
    const { handover } = await h.json();
    const bp = handover.vitals.find((v: { kind: string }) => v.kind === 'blood_pressure');
    assert.deepEqual([bp.values.systolic, bp.values.diastolic], [186, 112]);
    assert.equal(handover.clinician.displayName.length > 0, true);
    assert.equal((await staff(binh, 'GET', `/api/calls/${callId}/medical`)).status, 404, 'another officer of the ward reads nothing');
    const [audit] = await db.sql`SELECT subject, detail FROM audit_log WHERE actor = 'staff:canbo.an' AND action = 'call.medical.read'`;
    assert.equal(audit!.subject, `citizen:${handover.patient.id}`);
    assert.equal(audit!.detail.call, callId);
  } finally {
    officer.close();
  }
});

test("the visit summary is the resident's own: the next resident at the kiosk, or nobody identified, gets nothing", async () => {
  await residentWithVitals('079160007777');
  // the walk-away listener ends the previous resident's consult when their session is replaced
  for (let i = 0; i < 50; i++) {
    const [live] =
      await db.sql`SELECT count(*)::int AS n FROM consults WHERE station_id = ${db.demo.station.id} AND status IN ('waiting', 'in_call')`;
    if (live!.n === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await presence(dung, true);
  const { consult } = await queued('checkup');
  assert.equal((await staff(dung, 'POST', `/api/consults/${consult.id}/accept`)).status, 200);
  const note = { reason: 'Khám', findings: 'Bình thường', advice: 'Uống đủ nước, tái khám sau 6 tháng.', referral: 'none' };
  assert.equal((await staff(dung, 'PUT', `/api/consults/${consult.id}/note`, note)).status, 200);
  assert.equal((await staff(dung, 'POST', `/api/consults/${consult.id}/end`)).status, 200);
  const mine = await (await station('GET', '/api/consults/current')).json();
  assert.equal(mine.consult?.id, consult.id, 'the resident still at the kiosk sees their summary');
  assert.equal(mine.consult.summary.advice, note.advice);
  // the next resident identifies within the ten minutes
  await citizenSession(db, db.demo.station.id, '079160008888');
  const next = await (await station('GET', '/api/consults/current')).json();
  assert.equal(next.consult, null, "the previous resident's visit summary is not shown to the next one");
  // nobody identified
  await db.sql`UPDATE citizen_sessions SET ended_at = now(), end_reason = 'card_removed' WHERE station_id = ${db.demo.station.id} AND ended_at IS NULL`;
  assert.equal((await (await station('GET', '/api/consults/current')).json()).consult, null);
});
