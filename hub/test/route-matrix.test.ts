// Keeps the HTTP surface closed: every route of the hub's own route table × every kind of caller,
// with the status each must get. Requests are harmless (unknown ids, empty bodies): what is
// checked is who gets past the gates. A route added to the hub fails this test until it is listed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, login, raiseSos, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { registerStation } from '../src/stations/service.ts';
import { createStaff } from '../src/auth/service.ts';
import { authorizeSocket } from '../src/realtime/authorize.ts';
import type { HubDeps } from '../src/deps.ts';
import type { IncomingMessage } from 'node:http';
import { reviewTopic, topic } from '@tram/contracts';

const ROLES = [
  'anonymous',
  'stationA',
  'stationB',
  'policeX',
  'policeY',
  'command',
  'clinician',
  'clinicianOther',
  'admin',
  'medic',
] as const;
type Role = (typeof ROLES)[number];
type Row = Record<Role, number>;

const STATIONS: Role[] = ['stationA', 'stationB'];
const STAFF: Role[] = ['policeX', 'policeY', 'command', 'clinician', 'clinicianOther', 'admin', 'medic'];
const OFFICERS: Role[] = ['policeX', 'policeY', 'command'];
const CLINICIANS: Role[] = ['clinician', 'clinicianOther'];
// may follow live vitals (FHIR Subscription); officers and medics only of an escalated call they are in
const FOLLOWERS: Role[] = [...CLINICIANS, ...OFFICERS, 'medic'];

/** `allowed` get `okStatus` (or their override); anonymous 401; everyone else 403. */
function gate(allowed: Role[], okStatus: number, overrides: Partial<Row> = {}): Row {
  const row = {} as Row;
  for (const r of ROLES) row[r] = r === 'anonymous' ? 401 : allowed.includes(r) ? okStatus : 403;
  return { ...row, ...overrides };
}
const everyone = (status: number): Row => Object.fromEntries(ROLES.map((r) => [r, status])) as Row;

// Unknown ids and empty JSON bodies: an allowed caller gets 400 (invalid body) or 404 (no such thing).
const MATRIX: Record<string, Row> = {
  'GET /healthz': everyone(200),
  'POST /api/auth/login': everyone(400),
  'POST /api/auth/logout': everyone(200),
  // the forced change of a one-time password: no session yet, the old password is the proof
  'POST /api/auth/password': everyone(400),
  'GET /api/auth/me': gate(STAFF, 200),
  'POST /api/calls': gate(STATIONS, 400),
  'GET /api/calls': gate([...STATIONS, 'policeX', 'policeY', 'command'], 200),
  // A real ringing call of station A (ward X): station B and ward Y's police do not see it.
  // A neighbouring ward's police see it only once it widened (T1); command sees every call.
  'GET /api/calls/:id': gate([...STATIONS, 'policeX', 'policeY', 'command'], 200, { stationB: 404, policeY: 404 }),
  'POST /api/calls/:id/answer': gate(['policeX', 'policeY', 'command'], 404),
  'POST /api/calls/:id/end': gate([...STATIONS, 'policeX', 'policeY', 'command'], 404),
  'POST /api/calls/:id/media': gate([...STATIONS, 'policeX', 'policeY', 'command'], 404),
  // The police console's follow-up (issue 12): missed calls and callbacks (officers), picking a
  // callback up (stations), responders (the owner adds; invitees incl. a 115 medic join), the chat.
  'GET /api/calls/missed': gate(OFFICERS, 200),
  'POST /api/calls/:id/callback': gate(OFFICERS, 404),
  'POST /api/calls/:id/dismiss': gate(OFFICERS, 400),
  'POST /api/calls/:id/pickup': gate(STATIONS, 404),
  'POST /api/calls/:id/decline': gate(STATIONS, 404),
  'GET /api/calls/responding': gate([...OFFICERS, 'medic'], 200),
  'GET /api/calls/:id/responders': gate([...OFFICERS, 'medic'], 404),
  'POST /api/calls/:id/responders': gate(OFFICERS, 400),
  'POST /api/calls/:id/join': gate([...OFFICERS, 'medic'], 404),
  'POST /api/calls/:id/leave': gate([...OFFICERS, 'medic'], 404),
  'POST /api/calls/:id/transfer': gate(OFFICERS, 400),
  'GET /api/calls/:id/chat': gate([...STATIONS, ...OFFICERS, 'medic'], 404),
  'POST /api/calls/:id/chat': gate([...STATIONS, ...OFFICERS, 'medic'], 400),
  'POST /api/calls/:id/silent': gate(STATIONS, 404),
  'POST /api/identity/challenge': gate(STATIONS, 201),
  'POST /api/identity': gate(STATIONS, 400),
  'GET /api/identity/session': gate(STATIONS, 404),
  'DELETE /api/identity/session': gate(STATIONS, 400),
  'GET /api/consults/availability': gate(STATIONS, 200),
  'POST /api/consults': gate(STATIONS, 400),
  'GET /api/consults/current': gate(STATIONS, 200),
  'POST /api/consults/:id/cancel': gate(STATIONS, 404),
  'POST /api/consults/:id/media': gate(STATIONS, 404),
  'GET /api/consults/presence': gate(CLINICIANS, 200),
  'PUT /api/consults/presence': gate(CLINICIANS, 400),
  'GET /api/consults/queue': gate(CLINICIANS, 200),
  'POST /api/consults/:id/accept': gate(CLINICIANS, 404),
  'POST /api/consults/:id/rejoin': gate(CLINICIANS, 404),
  'POST /api/consults/:id/remeasure': gate(CLINICIANS, 400),
  'PUT /api/consults/:id/note': gate(CLINICIANS, 400),
  'POST /api/consults/:id/end': gate(CLINICIANS, 404),
  'POST /api/consults/:id/escalate': gate(CLINICIANS, 404),
  'POST /api/admin/stations': gate(['admin'], 400),
  'POST /api/admin/stations/:id/credential': gate(['admin'], 404),
  'GET /api/admin/wards': gate(['admin'], 200),
  'GET /api/admin/stations': gate(['admin'], 200),
  'GET /api/admin/stations/:id': gate(['admin'], 404),
  'POST /api/admin/stations/:id/enrolment': gate(['admin'], 404),
  'POST /api/admin/stations/:id/retire': gate(['admin'], 404),
  'POST /api/admin/stations/:id/self-test': gate(['admin'], 404),
  'GET /api/admin/staff': gate(['admin'], 200),
  'POST /api/admin/staff': gate(['admin'], 400),
  'POST /api/admin/staff/:id/reset-password': gate(['admin'], 404),
  'POST /api/admin/staff/:id/deactivate': gate(['admin'], 404),
  'GET /api/admin/audit': gate(['admin'], 200),
  'GET /api/admin/audit.csv': gate(['admin'], 200),
  // enrolment: no credential yet, the one-time code is the proof
  'POST /api/station/enrol': everyone(400),
  'POST /api/station/heartbeat': gate(STATIONS, 400),
  // an unknown self-test run: the station gets 404 (the test SOS) or 400 (the report's empty body)
  'POST /api/station/self-tests/:id/sos': gate(STATIONS, 404),
  'POST /api/station/self-tests/:id/kiosk': gate(STATIONS, 400),
  'POST /api/admin/retention/purge': gate(['admin'], 200),
  'POST /api/admin/citizens/:id/erase': gate(['admin'], 400),
  // the health handover of a call: only its answering officer and its 115 medics (nobody has answered this one)
  'GET /api/calls/:id/medical': gate(['policeX', 'policeY', 'command', 'medic'], 404),
  // the police console: caller card (unknown call), disposition (empty body), service levels, history
  'GET /api/calls/:id/card': gate(['policeX', 'policeY', 'command'], 404),
  'PUT /api/calls/:id/disposition': gate(['policeX', 'policeY', 'command'], 400),
  'GET /api/calls/service-levels': gate(['policeX', 'policeY', 'command'], 200),
  'GET /api/calls/history': gate(['policeX', 'policeY', 'command'], 200),
  // who read my data: the resident identified at the station now (nobody is)
  'GET /api/audit/mine': gate(STATIONS, 409),
  'POST /fhir/$break-glass': gate(CLINICIANS, 400),
  'POST /api/vitals/readings': gate(STATIONS, 400),
  'GET /api/station': gate(STATIONS, 200),
  // a cancelled SOS countdown, counted per station (no Idempotency-Key here: 400)
  'POST /api/station/sos-cancelled': gate(STATIONS, 400),
  'GET /fhir/metadata': everyone(200),
  // Integration clients only (bearer token); no session of any kind may write.
  'PUT /fhir/Observation/:id': everyone(401),
  'GET /fhir/Patient/:id': gate(CLINICIANS, 404),
  'GET /fhir/Patient': gate(CLINICIANS, 400), // a search without a parameter
  'GET /fhir/Observation/:id': gate(CLINICIANS, 404),
  'POST /fhir/Observation/:op': gate(CLINICIANS, 405),
  'GET /fhir/Observation': gate(CLINICIANS, 200),
  'GET /fhir/Encounter/:id': gate(CLINICIANS, 404),
  'GET /fhir/Encounter': gate(CLINICIANS, 200),
  'GET /fhir/Device/:id': gate(CLINICIANS, 404),
  'GET /fhir/Device': gate(CLINICIANS, 200),
  'GET /fhir/ClinicalImpression/:id': gate(CLINICIANS, 404),
  'GET /fhir/ClinicalImpression': gate(CLINICIANS, 200),
  'POST /fhir/Subscription': gate(FOLLOWERS, 400),
  'GET /fhir/Subscription/:id': gate(FOLLOWERS, 404),
  'DELETE /fhir/Subscription/:id': gate(FOLLOWERS, 404),
  'GET /fhir/Subscription/:id/:op': gate(FOLLOWERS, 404),
  'POST /fhir/Subscription/:id/:op': gate(FOLLOWERS, 404),
  'POST /fhir': gate(CLINICIANS, 400),
  // public services: the kiosk needs an identified resident (nobody is); officers review their authority's queue
  'GET /api/services/prefill': gate(STATIONS, 409),
  'GET /api/services/mine': gate(STATIONS, 409),
  'POST /api/services/status': gate(STATIONS, 400),
  'POST /api/services/submissions': gate(STATIONS, 400),
  'POST /api/services/submissions/:id/resubmit': gate(STATIONS, 400),
  'GET /api/services/queue': gate(['policeX', 'policeY'], 200),
  'GET /api/services/submissions/:id/attachments/:attachment': gate(['policeX', 'policeY'], 400),
  'POST /api/services/submissions/:id/decision': gate(['policeX', 'policeY'], 400),
  // payments: the kiosk's; the ledger is a building manager's (no caller here is one); the aggregator signs
  'GET /api/payments/fees': gate(STATIONS, 409),
  'POST /api/payments/bills/lookup': gate(STATIONS, 400),
  'POST /api/payments': gate(STATIONS, 400),
  'GET /api/payments/:id': gate(STATIONS, 404),
  'POST /api/payments/payos/webhook': everyone(400),
  'GET /api/payments/ledger': gate([], 200),
  'POST /api/payments/ledger': gate([], 400),
  'GET /api/payments/reconciliation': gate([], 200),
  // Signed by LiveKit only: nobody's session or credential is a signature.
  'POST /livekit/webhook': everyone(401),
};

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
const auth = {} as Record<Role, Record<string, string>>;
let callOfA: string;

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url, { RATE_LIMIT_BURST: '10000' });
  const b = await registerStation(db.sql, {
    code: 'tram-an-khanh-01',
    name: 'Trạm An Khánh',
    address: '1 Mai Chí Thọ, Phường An Khánh',
    wardId: db.demo.otherWardId,
  });
  await createStaff(db.sql, { username: 'bacsi.khac', displayName: 'BS. Khác', role: 'clinician', password: DEMO_PASSWORD });
  await createStaff(db.sql, { username: 'yte.115', displayName: 'Cấp cứu 115', role: 'medic', password: DEMO_PASSWORD });
  const cookie = async (u: string) => ({ cookie: await login(hub.url, u, DEMO_PASSWORD) });
  Object.assign(auth, {
    anonymous: {},
    stationA: { authorization: `Station ${db.demo.station.credential}` },
    stationB: { authorization: `Station ${b.credential}` },
    policeX: await cookie('canbo.an'),
    policeY: await cookie('canbo.cuong'),
    command: await cookie('chihuy'),
    clinician: await cookie('bacsi.dung'),
    clinicianOther: await cookie('bacsi.khac'),
    admin: await cookie('quantri'),
    medic: await cookie('yte.115'),
  });
  callOfA = (await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json()).call.id;
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

/** The hub's own route table (no database needed to build it). */
function hubRoutes(): string[] {
  const app = createApp({ config: loadConfig({}) } as HubDeps);
  const keys = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue; // middleware
    if (/^\/(police|clinician|admin)(\/|$)/.test(r.path)) continue; // the consoles' static files: public by design
    keys.add(`${r.method} ${r.path}`);
  }
  return [...keys];
}

test('/ws: who may connect, and which topics each caller hears', async () => {
  const d = { sql: db.sql } as HubDeps;
  const [stationB] = await db.sql`SELECT id FROM stations WHERE code = 'tram-an-khanh-01'`;
  const staffId = async (u: string) => (await db.sql<{ id: string }[]>`SELECT id FROM staff WHERE username = ${u}`)[0]!.id;
  const own = async (u: string) => topic.staff(await staffId(u));
  // Who hears which realtime topics on /ws (null: refused).
  const WS_TOPICS: Record<Role, string[] | null> = {
    anonymous: null,
    stationA: [topic.station(db.demo.station.id)],
    stationB: [topic.station(stationB!.id)],
    policeX: [topic.ward(db.demo.wardId), reviewTopic('ward_police', db.demo.wardId), await own('canbo.an')],
    policeY: [topic.ward(db.demo.otherWardId), reviewTopic('ward_police', db.demo.otherWardId), await own('canbo.cuong')],
    command: [topic.command, await own('chihuy')],
    clinician: [topic.clinicians],
    clinicianOther: [topic.clinicians],
    admin: [topic.admins],
    // a 115 medic hears only the invitations to calls it is added to
    medic: [await own('yte.115')],
  };
  for (const role of ROLES) {
    const who = await authorizeSocket(d, { headers: auth[role] } as IncomingMessage);
    const expected = WS_TOPICS[role];
    if (!expected) {
      assert.equal(who, null, `${role} is refused`);
      continue;
    }
    assert.ok(who, `${role} may connect`);
    assert.deepEqual(who.topics, expected, `${role}'s topics`);
  }
  console.log(`ws matrix: ${ROLES.length} callers`);
});

test('every route × every caller gets the status it must', async () => {
  const routes = hubRoutes();
  const unlisted = routes.filter((k) => !MATRIX[k]);
  assert.deepEqual(unlisted, [], 'new routes must be added to the matrix with who may call them');
  const stale = Object.keys(MATRIX).filter((k) => !routes.includes(k));
  assert.deepEqual(stale, [], 'the matrix lists routes the hub no longer has');

  const wrong: string[] = [];
  let n = 0;
  // Logout last: it ends the sessions the other rows use.
  const ordered = [...routes.filter((k) => k !== 'POST /api/auth/logout'), 'POST /api/auth/logout'];
  for (const key of ordered) {
    const [method, pattern] = key.split(' ') as [string, string];
    const path = pattern
      .replace(':id', key === 'GET /api/calls/:id' ? callOfA : randomUUID())
      .replace(':op', pattern.startsWith('/fhir/Observation') ? '$lastn' : '$status');
    for (const role of ROLES) {
      const withBody = method !== 'GET' && method !== 'DELETE';
      const r = await fetch(`${hub.url}${path}`, {
        method,
        headers: { ...auth[role], ...(withBody ? { 'content-type': 'application/json' } : {}), 'idempotency-key': randomUUID() },
        ...(withBody ? { body: '{}' } : {}),
      });
      await r.body?.cancel();
      n++;
      if (r.status !== MATRIX[key]![role]) wrong.push(`${key} as ${role}: ${r.status}, expected ${MATRIX[key]![role]}`);
    }
  }
  console.log(`route matrix: ${routes.length} routes × ${ROLES.length} callers = ${n} requests`);
  assert.deepEqual(wrong, []);
});
