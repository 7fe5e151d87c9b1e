// Live vitals through topic-based Subscriptions (Backport IG for R4, websocket channel): handshake,
// heartbeats, full-resource event notifications, and $events catch-up after a lost socket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'fhir-kit-client';
import WebSocket from 'ws';
import { freshDatabase, listen, login, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { createStaff } from '../src/auth/service.ts';
import { breakGlassFor } from './fhir-care.ts';
import { citizenSession, postReadings, reading } from './vitals-fixtures.ts';

const TOPIC = 'https://tram.vn/fhir/SubscriptionTopic/vital-signs-observation';
const BP = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let s: Awaited<ReturnType<typeof citizenSession>>;
let client: Client;
before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
  s = await citizenSession(db, db.demo.station.id);
  const cookie = await login(hub.url, 'bacsi.dung', DEMO_PASSWORD);
  await breakGlassFor(hub.url, cookie, s.citizenId);
  client = new Client({ baseUrl: `${hub.url}/fhir`, customHeaders: { cookie } });
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const subscription = (filter: string, heartbeat = 1) => ({
  resourceType: 'Subscription',
  status: 'requested',
  reason: 'Theo dõi sinh hiệu trong buổi khám',
  criteria: TOPIC,
  _criteria: { extension: [{ url: `${BP}/backport-filter-criteria`, valueString: filter }] },
  channel: {
    type: 'websocket',
    payload: 'application/fhir+json',
    _payload: { extension: [{ url: `${BP}/backport-payload-content`, valueCode: 'full-resource' }] },
    extension: [{ url: `${BP}/backport-heartbeat-period`, valueUnsignedInt: heartbeat }],
  },
});
const param = (p: any, name: string) => p.parameter.find((x: any) => x.name === name);
const statusOf = (bundle: any) => bundle.entry[0].resource;
const eventsOf = (bundle: any) =>
  statusOf(bundle)
    .parameter.filter((x: any) => x.name === 'notification-event')
    .map((e: any) => ({
      n: Number(e.part.find((p: any) => p.name === 'event-number').valueString),
      focus: e.part.find((p: any) => p.name === 'focus')?.valueReference.reference as string,
    }));

async function token(c: Client, id: string) {
  const p: any = await c.operation({ resourceType: 'Subscription', id, name: '$get-ws-binding-token', method: 'GET' });
  return {
    token: param(p, 'token').valueString as string,
    url: param(p, 'websocket-url').valueUrl as string,
    expiration: param(p, 'expiration').valueDateTime as string,
  };
}

function socket(url: string) {
  const ws = new WebSocket(url);
  const frames: any[] = [];
  const waiters = new Set<() => void>();
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  ws.on('message', (m) => {
    frames.push(JSON.parse(m.toString()));
    for (const w of waiters) w();
  });
  return {
    ws,
    frames,
    closed,
    open: () =>
      new Promise<void>((res, rej) => {
        ws.once('open', () => res());
        ws.once('error', rej);
      }),
    next(pred: (f: any) => boolean, ms = 5000): Promise<any> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const f = frames.find(pred);
          if (f) {
            waiters.delete(check);
            clearTimeout(t);
            resolve(f);
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching frame in ${ms} ms; got ${frames.map((f) => (f.resourceType === 'Bundle' ? param(statusOf(f), 'type').valueCode : (f.resourceType ?? f.type))).join(', ')}`,
            ),
          );
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}
const ofType = (type: string) => (f: any) => f.resourceType === 'Bundle' && param(statusOf(f), 'type').valueCode === type;

let subId: string;
const seenEvents: { n: number; focus: string }[] = [];
const storedIds: string[] = [];

test('create a subscription and bind with the plain-text frame: handshake, events with full resources, heartbeats', async () => {
  const created: any = await client.create({
    resourceType: 'Subscription',
    body: subscription(`Observation?patient=Patient/${s.citizenId}`),
  });
  assert.equal(created.status, 'active');
  subId = created.id;
  const t = await token(client, subId);
  assert.equal(t.url, `${hub.url.replace('http', 'ws')}/fhir/ws`);
  assert.ok(Date.parse(t.expiration) > Date.now());
  const sock = socket(t.url);
  await sock.open();
  sock.ws.send(`bind-with-token ${t.token}`);
  const hs = await sock.next(ofType('handshake'));
  assert.equal(hs.type, 'history');
  assert.equal(statusOf(hs).resourceType, 'Parameters');
  assert.equal(param(statusOf(hs), 'events-since-subscription-start').valueString, '0');
  assert.equal(param(statusOf(hs), 'topic').valueCanonical, TOPIC);
  assert.match(param(statusOf(hs), 'subscription').valueReference.reference, new RegExp(`/fhir/Subscription/${subId}$`));

  const batch = [reading('temperature', 37.1), reading('spo2', 96), reading('heart_rate', 77)];
  const r = await (await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: batch })).json();
  assert.equal(r.accepted.length, 3);
  const ev = await sock.next(ofType('event-notification'));
  assert.deepEqual(
    eventsOf(ev).map((e: any) => e.n),
    [1, 2, 3],
  );
  assert.equal(param(statusOf(ev), 'events-since-subscription-start').valueString, '3');
  const resources = ev.entry.slice(1).map((e: any) => e.resource);
  assert.deepEqual(
    resources.map((x: any) => x.identifier[0].value),
    batch.map((b) => b.id),
  );
  assert.deepEqual(
    eventsOf(ev).map((e: any) => e.focus),
    ev.entry.slice(1).map((e: any) => e.fullUrl),
  );
  assert.equal(resources[0].meta.versionId, '1');
  seenEvents.push(...eventsOf(ev));
  storedIds.push(...resources.map((x: any) => x.id));

  const hb = await sock.next(ofType('heartbeat'), 3000);
  assert.equal(param(statusOf(hb), 'events-since-subscription-start').valueString, '3');
  sock.ws.send(JSON.stringify({ type: 'ping' }));
  await sock.next((f) => f.type === 'pong');
  const [a] = await db.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'fhir.read' AND detail->>'via' = 'websocket'`;
  assert.ok(a!.n >= 1, 'the websocket delivery is audited');
  sock.ws.close();
  await sock.closed;
});

test('after a lost socket the client sees the gap in the handshake and catches up with $events, each event once', async () => {
  // while nobody is connected: two batches for this resident, one for another resident
  const b1 = [reading('blood_pressure', { systolic: 130, diastolic: 85 }), reading('respiratory_rate', 18)];
  const b2 = [reading('temperature', 38.2)];
  for (const b of [b1, b2])
    assert.equal(
      (await (await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: b })).json()).accepted.length,
      b.length,
    );
  const other = await citizenSession(db, db.demo.station.id, '079160005555');
  await postReadings(hub.url, db.demo.station.credential, { sessionId: other.sessionId, readings: [reading('spo2', 99)] });

  const t = await token(client, subId);
  const sock = socket(t.url);
  await sock.open();
  sock.ws.send(JSON.stringify({ type: 'bind-with-token', payload: { token: t.token } })); // Medplum's JSON frame
  const hs = await sock.next(ofType('handshake'));
  const now = Number(param(statusOf(hs), 'events-since-subscription-start').valueString);
  const lastSeen = Math.max(...seenEvents.map((e) => e.n));
  assert.equal(now, 6);
  const missed: any = await client.operation({
    resourceType: 'Subscription',
    id: subId,
    name: '$events',
    method: 'GET',
    input: { eventsSinceNumber: lastSeen + 1, eventsUntilNumber: now },
  });
  assert.equal(param(statusOf(missed), 'type').valueCode, 'query-event');
  seenEvents.push(...eventsOf(missed));
  storedIds.push(...missed.entry.slice(1).map((e: any) => e.resource.id));
  assert.deepEqual(
    seenEvents.map((e) => e.n),
    [1, 2, 3, 4, 5, 6],
    'every event exactly once',
  );
  const expected = (
    await db.sql<{ id: string }[]>`SELECT id FROM fhir_observations WHERE patient_id = ${s.citizenId} ORDER BY effective, id`
  ).map((x) => x.id);
  assert.deepEqual([...storedIds].sort(), [...expected].sort(), "and they are exactly this resident's Observations");

  // live again on the new socket
  const late = await (
    await postReadings(hub.url, db.demo.station.credential, { sessionId: s.sessionId, readings: [reading('weight', 61)] })
  ).json();
  assert.match(late.rejected[0].reason, /^outside_session/, 'the session was replaced: later readings do not land in it');
  const s2 = await citizenSession(db, db.demo.station.id); // the same resident comes back
  await postReadings(hub.url, db.demo.station.credential, { sessionId: s2.sessionId, readings: [reading('weight', 61)] });
  const ev = await sock.next(ofType('event-notification'));
  assert.deepEqual(
    eventsOf(ev).map((e: any) => e.n),
    [7],
  );
  const status: any = await client.operation({ resourceType: 'Subscription', id: subId, name: '$status', method: 'GET' });
  assert.equal(param(statusOf(status), 'events-since-subscription-start').valueString, '7');
  sock.ws.close();
});

test('refusals: bad tokens, bad frames, other clinicians, police, unsupported subscriptions', async () => {
  const sock = socket(`${hub.url.replace('http', 'ws')}/fhir/ws`);
  await sock.open();
  sock.ws.send('hello?');
  const oo = await sock.next((f) => f.resourceType === 'OperationOutcome');
  assert.equal(oo.issue[0].code, 'invalid');
  sock.ws.send('bind-with-token: not-a-real-token-0123456789');
  assert.equal(await sock.closed, 4401);

  // the realtime socket at /ws is untouched by this upgrade handler
  const kiosk = await listen(hub.url, { station: db.demo.station.credential });
  kiosk.close();

  await createStaff(db.sql, { username: 'bacsi.khac', displayName: 'BS. Khác', role: 'clinician', password: DEMO_PASSWORD });
  const otherDoc = new Client({ baseUrl: `${hub.url}/fhir`, customHeaders: { cookie: await login(hub.url, 'bacsi.khac', DEMO_PASSWORD) } });
  await assert.rejects(otherDoc.read({ resourceType: 'Subscription', id: subId }), (e: any) => e.response.status === 404);
  await assert.rejects(token(otherDoc, subId), (e: any) => e.response.status === 404);
  const police = new Client({ baseUrl: `${hub.url}/fhir`, customHeaders: { cookie: await login(hub.url, 'canbo.an', DEMO_PASSWORD) } });
  await assert.rejects(
    police.create({ resourceType: 'Subscription', body: subscription(`Observation?patient=${s.citizenId}`) }),
    (e: any) => e.response.status === 403,
  );

  const bad = async (body: any) =>
    assert.rejects(
      client.create({ resourceType: 'Subscription', body }),
      (e: any) => e.response.status === 400 && e.response.data.resourceType === 'OperationOutcome',
    );
  await bad({ ...subscription('Observation?code=8310-5') });
  await bad({ ...subscription(`Observation?patient=${s.citizenId}`), criteria: 'Observation?patient=x' });
  await bad({
    ...subscription(`Observation?patient=${s.citizenId}`),
    channel: { type: 'rest-hook', endpoint: 'https://example.org/hook' },
  });
  await bad({ ...subscription(`Observation?patient=${s.citizenId}`, 0) });
  const before = (await db.sql`SELECT count(*)::int AS n FROM fhir_subscriptions`)[0]!.n;
  assert.equal(before, 1, 'nothing was created by the refused requests');

  // switched off: no token, no more events
  await client.delete({ resourceType: 'Subscription', id: subId });
  assert.equal(((await client.read({ resourceType: 'Subscription', id: subId })) as any).status, 'off');
  await assert.rejects(token(client, subId), (e: any) => e.response.status === 409);
});
