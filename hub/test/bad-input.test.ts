// Bad input gets a 4xx with a clear JSON error, and nothing is written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import WebSocket from 'ws';
import { request } from 'node:http';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const counts = async () =>
  (
    await db.sql`SELECT (SELECT count(*) FROM calls)::int AS calls, (SELECT count(*) FROM call_events)::int AS events, (SELECT count(*) FROM staff_sessions)::int AS sessions`
  )[0];

function rawPost(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${hub.url}${path}`, { method: 'POST', headers, agent: false }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function expectError(r: Response, status: number, code: string) {
  assert.equal(r.status, status);
  assert.match(r.headers.get('content-type') ?? '', /application\/json/);
  const b = await r.json();
  assert.equal(b.error.code, code);
  assert.ok(typeof b.error.message === 'string' && b.error.message.length > 5);
  assert.doesNotMatch(JSON.stringify(b), /at \w+ \(|node_modules|\.ts:\d+/, 'no stack trace');
  return b;
}

test('SOS requests with bad input are refused and write nothing', async () => {
  const cred = db.demo.station.credential;
  const before = await counts();
  const post = (headers: Record<string, string>, body: string) =>
    fetch(`${hub.url}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const auth = { authorization: `Station ${cred}` };

  let b = await expectError(await post({ ...auth }, '{"kind":"sos"}'), 400, 'invalid_request');
  assert.match(b.error.message, /Idempotency-Key header is required/);
  b = await expectError(await post({ ...auth, 'idempotency-key': 'short' }, '{"kind":"sos"}'), 400, 'invalid_request');
  b = await expectError(await post({ ...auth, 'idempotency-key': randomUUID() }, '{}'), 400, 'invalid_request');
  assert.equal(b.error.issues[0].path, 'kind');
  await expectError(await post({ ...auth, 'idempotency-key': randomUUID() }, '{"kind":42}'), 400, 'invalid_request');
  await expectError(await post({ ...auth, 'idempotency-key': randomUUID() }, '{"kind":"sos","note":7}'), 400, 'invalid_request');
  await expectError(await post({ ...auth, 'idempotency-key': randomUUID() }, '{"kind":"sos","extra":true}'), 400, 'invalid_request');
  await expectError(await post({ ...auth, 'idempotency-key': randomUUID() }, '{"kind":'), 400, 'invalid_request');
  // on its own connection: the hub answers 413 before reading it all and closes that socket
  const huge = await rawPost(
    '/api/calls',
    { ...auth, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    JSON.stringify({ kind: 'sos', note: 'x'.repeat(200_000) }),
  );
  assert.equal(huge.status, 413);
  assert.equal(JSON.parse(huge.body).error.code, 'body_too_large');
  await expectError(
    await post(
      { authorization: 'Station tram-dao-kim-cuong-01:wrongwrongwrongwrongwrong', 'idempotency-key': randomUUID() },
      '{"kind":"sos"}',
    ),
    401,
    'unauthorized',
  );
  await expectError(
    await post({ authorization: `Station nosuchstation:${cred.split(':')[1]}`, 'idempotency-key': randomUUID() }, '{"kind":"sos"}'),
    401,
    'unauthorized',
  );
  await expectError(await post({ 'idempotency-key': randomUUID() }, '{"kind":"sos"}'), 401, 'unauthorized');
  assert.deepEqual(await counts(), before);
});

test('staff endpoints validate too: bad login, bad ids, wrong role', async () => {
  const before = await counts();
  await expectError(
    await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"canbo.an"}',
    }),
    400,
    'invalid_request',
  );
  await expectError(
    await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"canbo.an","password":"nope"}',
    }),
    401,
    'bad_credentials',
  );
  await expectError(
    await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"nobody","password":"nope"}',
    }),
    401,
    'bad_credentials',
  );
  assert.deepEqual(await counts(), before);
  const police = await login(hub.url, 'canbo.an', DEMO_PASSWORD);
  const clinician = await login(hub.url, 'bacsi.dung', DEMO_PASSWORD);
  await expectError(
    await fetch(`${hub.url}/api/calls/not-a-uuid/answer`, { method: 'POST', headers: { cookie: police } }),
    400,
    'invalid_request',
  );
  await expectError(
    await fetch(`${hub.url}/api/calls/${randomUUID()}/answer`, { method: 'POST', headers: { cookie: police } }),
    404,
    'not_found',
  );
  await expectError(await fetch(`${hub.url}/api/calls`, { headers: { cookie: clinician } }), 403, 'forbidden');
  await expectError(await fetch(`${hub.url}/api/calls`, {}), 401, 'unauthorized');
  await expectError(
    await fetch(`${hub.url}/api/admin/stations/${randomUUID()}/credential`, { method: 'POST', headers: { cookie: police } }),
    403,
    'forbidden',
  );
  await expectError(await fetch(`${hub.url}/api/nope`), 404, 'not_found');
  for (const headers of [
    {},
    { cookie: 'tram_session=forged' },
    { authorization: 'Station tram-dao-kim-cuong-01:wrongwrongwrongwrongwrong' },
  ]) {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/ws`, { headers });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('open', () => {
        ws.terminate();
        reject(new Error('an unauthenticated socket was accepted'));
      });
      ws.once('error', () => {});
    });
    assert.equal(status, 401);
  }
});

test('a rotated station credential stops working at once', async () => {
  const admin = await login(hub.url, 'quantri', DEMO_PASSWORD);
  const r = await fetch(`${hub.url}/api/admin/stations/${db.demo.station.id}/credential`, { method: 'POST', headers: { cookie: admin } });
  assert.equal(r.status, 200);
  const { credential } = await r.json();
  const old = await fetch(`${hub.url}/api/station`, { headers: { authorization: `Station ${db.demo.station.credential}` } });
  assert.equal(old.status, 401);
  const fresh = await fetch(`${hub.url}/api/station`, { headers: { authorization: `Station ${credential}` } });
  assert.equal(fresh.status, 200);
  assert.equal((await fresh.json()).station.code, 'tram-dao-kim-cuong-01');
  const [audit] = await db.sql`SELECT actor, action FROM audit_log WHERE action = 'station.rotate_credential'`;
  assert.equal(audit!.actor, 'staff:quantri');
  db.demo.station.credential = credential;
});

test('healthz tells anyone only whether the hub is up; an admin sees the database and LiveKit', async () => {
  const r = await fetch(`${hub.url}/healthz`);
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { ok: true });
  const police = await fetch(`${hub.url}/healthz`, { headers: { cookie: await login(hub.url, 'canbo.an', DEMO_PASSWORD) } });
  assert.deepEqual(await police.json(), { ok: true });
  const admin = await fetch(`${hub.url}/healthz`, { headers: { cookie: await login(hub.url, 'quantri', DEMO_PASSWORD) } });
  const b = await admin.json();
  assert.equal(b.database, 'up');
  assert.equal(b.livekit, 'up');
});

test('registering a station code that exists is refused with 409 and moves nothing', async () => {
  const admin = await login(hub.url, 'quantri', DEMO_PASSWORD);
  const r = await fetch(`${hub.url}/api/admin/stations`, {
    method: 'POST',
    headers: { cookie: admin, 'content-type': 'application/json' },
    body: JSON.stringify({ code: db.demo.station.code, name: 'Giả mạo', address: 'Nơi khác', wardId: db.demo.otherWardId }),
  });
  assert.equal(r.status, 409);
  assert.equal((await r.json()).error.code, 'station_exists');
  const [row] = await db.sql`SELECT name, ward_id FROM stations WHERE code = ${db.demo.station.code}`;
  assert.equal(row!.ward_id, db.demo.wardId);
  assert.notEqual(row!.name, 'Giả mạo');
  const still = await fetch(`${hub.url}/api/station`, { headers: { authorization: `Station ${db.demo.station.credential}` } });
  assert.equal(still.status, 200, 'the station keeps its credential');
});

test('the consoles are served with a strict Content-Security-Policy that still lets them reach LiveKit', async () => {
  for (const path of ['/police/', '/clinician/']) {
    const r = await fetch(`${hub.url}${path}`);
    await r.body?.cancel();
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/, path);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    const lk = new URL(process.env.LIVEKIT_PUBLIC_URL!);
    assert.ok(csp.includes(`//${lk.host}`), `connect-src names LiveKit (${lk.host}): ${csp}`);
  }
});
