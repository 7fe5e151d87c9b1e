// The police console's hub side against the real PostgreSQL and LiveKit: the caller card (the
// resident's identity only for the officer who answered, audited), the disposition (required
// outcome, editable 24 h, then locked; edits audited), service levels computed from the call
// timelines against NENA-STA-020, and the history search with its audited CSV export.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, listen, login, raiseSos, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { startBus } from '../src/db/bus.ts';
import { upsertCitizen } from '../src/identity/store.ts';
import { openSession } from '../src/identity/service.ts';
import { registerStation } from '../src/stations/service.ts';
import { shiftStart, type CallerCardView, type ServiceLevelsView } from '@tram/contracts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
const cookies: Record<string, string> = {};

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
  for (const u of ['canbo.an', 'canbo.binh', 'canbo.cuong', 'chihuy']) cookies[u] = await login(hub.url, u, DEMO_PASSWORD);
});
afterEach(async () => {
  await db.sql`UPDATE calls SET status = 'ended', ended_at = now(), next_escalation_at = NULL WHERE status <> 'ended'`;
  await db.sql`UPDATE citizen_sessions SET ended_at = now() WHERE ended_at IS NULL`;
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const as = (u: string, path: string, init: RequestInit = {}) =>
  fetch(`${hub.url}${path}`, { ...init, headers: { cookie: cookies[u]!, 'content-type': 'application/json', ...init.headers } });

async function identifiedResident() {
  const bus = await startBus(db.url, () => {});
  const citizenId = await upsertCitizen(db.sql, {
    idNumber: '079190001122',
    fullName: 'Trần Văn Khoa',
    dateOfBirth: '15/04/1990',
    sex: 'Nam',
  });
  const checks = { access: 'PACE', passiveAuthentication: 'passed', activeAuthentication: 'passed' };
  const s = await db.sql.begin((tx) => openSession(tx, bus, db.demo.station.id, citizenId, checks));
  await bus.close();
  return { citizenId, sessionId: s.id };
}

test('caller card: the verified resident goes only to the officer who answered, and the read is audited', async () => {
  const { citizenId } = await identifiedResident();
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json();
  assert.equal(call.identified, true, 'ringing consoles learn only that a resident identified');

  // while ringing: every officer of the ward sees the card without the person
  const ringingCard = (await (await as('canbo.binh', `/api/calls/${call.id}/card`)).json()) as CallerCardView;
  assert.deepEqual(ringingCard.resident, { identified: true, person: null });
  assert.equal(ringingCard.station.name, 'Trạm công dân Đảo Kim Cương');
  assert.equal(ringingCard.station.ward, 'Phường Bình Trưng');
  assert.equal(ringingCard.station.city, 'TP. Hồ Chí Minh');
  assert.equal(ringingCard.station.lobby, 'Sảnh tầng trệt');
  assert.match(ringingCard.station.building ?? '', /Đảo Kim Cương/);
  // a neighbouring ward's officer does not see a call that has not widened
  assert.equal((await as('canbo.cuong', `/api/calls/${call.id}/card`)).status, 404);

  assert.equal((await as('canbo.an', `/api/calls/${call.id}/answer`, { method: 'POST' })).status, 200);
  const card = (await (await as('canbo.an', `/api/calls/${call.id}/card`)).json()) as CallerCardView;
  assert.deepEqual(card.resident, {
    identified: true,
    person: {
      name: 'Trần Văn Khoa',
      age: card.resident.identified && card.resident.person ? card.resident.person.age : -1,
      sex: 'Nam',
      checks: { access: 'PACE', passive: true, active: true },
    },
  });
  assert.ok(card.resident.identified && card.resident.person && card.resident.person.age! >= 35);
  // the colleague and command still get no person
  for (const u of ['canbo.binh', 'chihuy']) {
    const other = (await (await as(u, `/api/calls/${call.id}/card`)).json()) as CallerCardView;
    assert.deepEqual(other.resident, { identified: true, person: null }, u);
  }
  const audit =
    await db.sql`SELECT actor, detail FROM audit_log WHERE action = 'call.resident.read' AND subject = ${`citizen:${citizenId}`}`;
  assert.deepEqual(
    audit.map((a) => [a.actor, a.detail.call]),
    [['staff:canbo.an', call.id]],
  );
  // the timeline says who answered; the kiosk's resident can see the read in "who saw my information"
  assert.ok(card.timeline.some((e) => e.kind === 'answered' && e.detail.officer === 'canbo.an'));
});

test('the caller card says since when the station is online (its agent connected), and not after it left', async () => {
  const agent = await listen(hub.url, { station: db.demo.station.credential });
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json();
  const card = async () => ((await (await as('canbo.an', `/api/calls/${call.id}/card`)).json()) as CallerCardView).station.onlineSince;
  const since = await card();
  assert.ok(since && Date.now() - Date.parse(since) < 10_000, `online since ${since}`);
  agent.close();
  const deadline = Date.now() + 3000;
  while ((await card()) !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await card(), null);
});

test('a call without an identified resident says so; earlier calls from the station are counted', async () => {
  const first = (await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json()).call;
  await as('canbo.an', `/api/calls/${first.id}/answer`, { method: 'POST' });
  await as('canbo.an', `/api/calls/${first.id}/end`, { method: 'POST', body: '{}' });
  await as('canbo.an', `/api/calls/${first.id}/disposition`, { method: 'PUT', body: JSON.stringify({ outcome: 'false_alarm' }) });
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json();
  assert.equal(call.identified, false);
  const card = (await (await as('canbo.binh', `/api/calls/${call.id}/card`)).json()) as CallerCardView;
  assert.deepEqual(card.resident, { identified: false });
  const [{ n }] = (await db.sql`SELECT count(*)::int AS n FROM calls WHERE station_id = ${db.demo.station.id} AND id <> ${call.id}`) as any;
  assert.equal(card.earlier.count, n);
  assert.equal(card.earlier.recent[0]!.id, first.id);
  assert.equal(card.earlier.recent[0]!.outcome, 'false_alarm');
});

test('disposition: required outcome after hang-up, only by the answering officer, editable 24 h then locked, edits audited', async () => {
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json();
  const put = (u: string, body: unknown) => as(u, `/api/calls/${call.id}/disposition`, { method: 'PUT', body: JSON.stringify(body) });
  await as('canbo.an', `/api/calls/${call.id}/answer`, { method: 'POST' });
  const early = await put('canbo.an', { outcome: 'resolved_on_call' });
  assert.equal(early.status, 409);
  assert.equal((await early.json()).error.code, 'call_not_ended');
  await as('canbo.an', `/api/calls/${call.id}/end`, { method: 'POST', body: '{}' });

  // bad input: 400 and nothing changed
  for (const bad of [{}, { outcome: 'arrested' }, { outcome: 'other', report: 'x'.repeat(4001) }, { outcome: 'other', extra: 1 }]) {
    assert.equal((await put('canbo.an', bad)).status, 400, JSON.stringify(bad).slice(0, 60));
  }
  assert.equal((await put('canbo.binh', { outcome: 'other' })).status, 403, 'a colleague cannot write it');
  const [untouched] = await db.sql`SELECT outcome, report FROM calls WHERE id = ${call.id}`;
  assert.deepEqual({ ...untouched }, { outcome: null, report: null });

  const set = await put('canbo.an', { outcome: 'officers_dispatched', report: 'Cử 2 cán bộ đến sảnh, hỗ trợ cư dân.' });
  assert.equal(set.status, 200);
  const d1 = (await set.json()).disposition;
  assert.equal(d1.outcome, 'officers_dispatched');
  assert.equal(Date.parse(d1.locksAt) - Date.parse(d1.at), 24 * 3600_000);
  const edit = await put('canbo.an', { outcome: 'handed_to_115', report: 'Chuyển 115.' });
  assert.equal(edit.status, 200);
  // the outcome rides on the call from now on (the kiosk may show it)
  const view = await (await as('canbo.an', `/api/calls/${call.id}`)).json();
  assert.equal(view.call.outcome, 'handed_to_115');

  // 24 h after the first save it is locked
  await db.sql`UPDATE calls SET disposed_at = now() - interval '24 hours 1 second' WHERE id = ${call.id}`;
  const late = await put('canbo.an', { outcome: 'other', report: 'sửa muộn' });
  assert.equal(late.status, 409);
  assert.equal((await late.json()).error.code, 'disposition_locked');
  const [kept] = await db.sql`SELECT outcome, report FROM calls WHERE id = ${call.id}`;
  assert.deepEqual({ ...kept }, { outcome: 'handed_to_115', report: 'Chuyển 115.' });

  const audit = await db.sql`SELECT action, actor, detail FROM audit_log WHERE subject = ${`call:${call.id}`} ORDER BY id`;
  assert.deepEqual(
    audit.map((a) => a.action),
    ['call.disposition.set', 'call.disposition.edit'],
  );
  assert.deepEqual(audit[1]!.detail.before, { outcome: 'officers_dispatched', report: 'Cử 2 cán bộ đến sảnh, hỗ trợ cư dân.' });
});

test('service levels: the panel equals the figures computed here from a seeded day of calls', async () => {
  // a second station in the neighbouring ward, so per-ward rows differ
  const other = await registerStation(db.sql, {
    code: 'tram-an-khanh-sla',
    name: 'Trạm An Khánh',
    address: '2 Mai Chí Thọ',
    wardId: db.demo.otherWardId,
  });
  await db.sql`DELETE FROM audit_log`;
  await db.sql`UPDATE calls SET created_at = now() - interval '40 days'`; // earlier tests' calls fall out of every window
  const [an] = await db.sql`SELECT id FROM staff WHERE username = 'canbo.an'`;
  const now = Date.now();
  // deterministic pseudo-random day: answer after 3..40 s, some abandoned (a few called back), some ringing
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const seeded: { ward: number; at: number; answerS: number | null; talkS: number | null; abandoned: boolean; calledBack: boolean }[] = [];
  for (let i = 0; i < 120; i++) {
    const ward = i % 3 === 0 ? db.demo.otherWardId : db.demo.wardId;
    const station = ward === db.demo.wardId ? db.demo.station.id : other.id;
    const at = now - Math.floor(rnd() * 23.5 * 3600_000) - 60_000;
    const kind = rnd();
    const answerS = kind < 0.85 ? Math.round(3 + rnd() * 37) : null;
    const talkS = answerS === null ? null : Math.round(30 + rnd() * 600);
    const abandoned = answerS === null;
    const calledBack = abandoned && rnd() < 0.5;
    seeded.push({ ward, at, answerS, talkS, abandoned, calledBack });
    const [c] = await db.sql`
      INSERT INTO calls (station_id, ward_id, idempotency_key, status, room_name, escalate_t1_at, escalate_t2_at, created_at, answered_by, answered_at, ended_at)
      VALUES (${station}, ${ward}, ${`sla-${i}`}, 'ended', ${`sla-room-${i}`}, now(), now(), ${new Date(at)},
              ${answerS === null ? null : an!.id}, ${answerS === null ? null : new Date(at + answerS * 1000)},
              ${new Date(at + ((answerS ?? 25) + (talkS ?? 0)) * 1000)})
      RETURNING id`;
    await db.sql`INSERT INTO call_events (call_id, at, kind, actor) VALUES (${c!.id}, ${new Date(at)}, 'raised', 'station:x')`;
    if (answerS !== null)
      await db.sql`INSERT INTO call_events (call_id, at, kind, actor) VALUES (${c!.id}, ${new Date(at + answerS * 1000)}, 'answered', 'staff:canbo.an')`;
    await db.sql`INSERT INTO call_events (call_id, at, kind, actor) VALUES (${c!.id}, ${new Date(at + ((answerS ?? 25) + (talkS ?? 0)) * 1000)}, 'ended', 'hub')`;
    if (calledBack)
      await db.sql`INSERT INTO call_events (call_id, at, kind, actor, detail) VALUES (${c!.id}, ${new Date(at + 60_000)}, 'callback', 'staff:canbo.an', ${db.sql.json({ callbackCallId: randomUUID() })})`;
  }
  // and one ringing now
  const { call: ringing } = await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json();

  const expect = (since: number, ward: number | null, withRinging: boolean) => {
    const xs = seeded.filter((s) => s.at >= since && (ward === null || s.ward === ward));
    const calls = xs.length + (withRinging ? 1 : 0);
    const w15 = xs.filter((s) => s.answerS !== null && s.answerS <= 15).length;
    const w20 = xs.filter((s) => s.answerS !== null && s.answerS <= 20).length;
    const talks = xs.filter((s) => s.talkS !== null).map((s) => s.talkS!);
    return {
      calls,
      answered: xs.filter((s) => s.answerS !== null).length,
      within15s: w15,
      within20s: w20,
      pct15: calls ? Math.round((1000 * w15) / calls) / 10 : null,
      pct20: calls ? Math.round((1000 * w20) / calls) / 10 : null,
      abandoned: xs.filter((s) => s.abandoned).length,
      calledBack: xs.filter((s) => s.calledBack).length,
      avgTalkS: talks.length ? Math.round((talks.reduce((a, b) => a + b, 0) / talks.length) * 10) / 10 : null,
    };
  };
  const r = await as('canbo.an', '/api/calls/service-levels');
  assert.equal(r.status, 200);
  const panel = (await r.json()) as ServiceLevelsView;
  const shift = shiftStart(new Date(panel.at)).getTime();
  assert.equal(panel.shiftStart, new Date(shift).toISOString());
  assert.deepEqual(
    panel.rows.map((x) => x.wardId),
    [db.demo.wardId],
    'an officer sees their own ward',
  );
  const mine = panel.rows[0]!;
  assert.deepEqual(mine.day, expect(Date.parse(panel.at) - 24 * 3600_000, db.demo.wardId, true));
  assert.deepEqual(mine.shift, expect(shift, db.demo.wardId, true));
  assert.deepEqual(
    mine.ringing.map((x) => x.id),
    [ringing.id],
  );

  const cmd = (await (await as('chihuy', '/api/calls/service-levels')).json()) as ServiceLevelsView;
  const whole = cmd.rows.find((x) => x.wardId === null)!;
  assert.deepEqual(whole.day, expect(Date.parse(cmd.at) - 24 * 3600_000, null, true));
  const neighbour = cmd.rows.find((x) => x.wardId === db.demo.otherWardId)!;
  assert.deepEqual(neighbour.day, expect(Date.parse(cmd.at) - 24 * 3600_000, db.demo.otherWardId, false));
  assert.ok(cmd.rows.length >= 4, 'command sees every ward and the whole city');
});

test('history: search by outcome and officer; the CSV export is audited; police see only their wards', async () => {
  await db.sql`DELETE FROM audit_log`;
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json();
  await as('canbo.an', `/api/calls/${call.id}/answer`, { method: 'POST' });
  await as('canbo.an', `/api/calls/${call.id}/end`, { method: 'POST', body: '{}' });
  await as('canbo.an', `/api/calls/${call.id}/disposition`, {
    method: 'PUT',
    body: JSON.stringify({ outcome: 'handed_to_114', report: '=cháy' }),
  });

  const q = `/api/calls/history?outcome=handed_to_114&officer=canbo.an&from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`;
  const found = await (await as('chihuy', q)).json();
  assert.deepEqual(
    found.calls.map((c: { id: string }) => c.id),
    [call.id],
  );
  // the neighbouring ward's officer does not see Bình Trưng's history
  assert.deepEqual((await (await as('canbo.cuong', q)).json()).calls, []);
  assert.equal((await as('chihuy', '/api/calls/history?outcome=arrested')).status, 400);
  assert.equal(
    (await db.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'call.history.export'`)[0]!.n,
    0,
    'a search on screen is not an export',
  );

  const csv = await as('chihuy', `${q}&format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
  const text = await csv.text();
  const lines = text.trim().split('\r\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /id,created_at,ward/);
  assert.match(lines[1]!, new RegExp(call.id));
  assert.match(lines[1]!, /Phường Bình Trưng/);
  assert.match(lines[1]!, /handed_to_114/);
  const [audit] = await db.sql`SELECT actor, action, detail FROM audit_log WHERE action = 'call.history.export'`;
  assert.equal(audit!.actor, 'staff:chihuy');
  assert.equal(audit!.detail.rows, 1);
  assert.equal(audit!.detail.filters.outcome, 'handed_to_114');
});
