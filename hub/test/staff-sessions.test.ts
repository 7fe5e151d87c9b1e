// Staff sessions hold against an attacker: login throttling before any hashing, failed logins
// audited, old hashes upgraded, idle timeout, and sessions (with their sockets) ended by logout,
// a password reset or deactivation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { request } from 'node:http';
import WebSocket from 'ws';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { createStaff } from '../src/auth/service.ts';

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

const me = (cookie: string) => fetch(`${hub.url}/api/auth/me`, { headers: { cookie } });
const tryLogin = (username: string, password: string) =>
  fetch(`${hub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });

/** A /ws socket of this cookie; resolves with the close code when the hub closes it. */
async function socket(cookie: string) {
  const ws = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/ws`, { headers: { cookie } });
  await new Promise((res, rej) => {
    ws.once('message', res);
    ws.once('error', rej);
  });
  const closed = new Promise<number>((res) => ws.once('close', (code) => res(code)));
  return { ws, closed };
}
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what} not within ${ms} ms`)), ms))]);

test('five wrong passwords lock the username: the next try is 429 with Retry-After, even the right password, and each failure is audited', async () => {
  for (let i = 0; i < 5; i++) assert.equal((await tryLogin('canbo.binh', 'sai-mat-khau')).status, 401);
  const locked = await tryLogin('canbo.binh', DEMO_PASSWORD);
  assert.equal(locked.status, 429);
  assert.match(locked.headers.get('retry-after') ?? '', /^\d+$/);
  assert.equal((await locked.json()).error.code, 'too_many_attempts');
  const audited = await db.sql`SELECT actor, detail FROM audit_log WHERE action = 'login_failed' AND subject = 'staff:canbo.binh'`;
  assert.equal(audited.length, 5);
  assert.match(audited[0]!.actor, /^client:/);
  assert.deepEqual(audited[4]!.detail.locked, ['user']);
  // Another account is not locked by it.
  assert.ok(await login(hub.url, 'canbo.an', DEMO_PASSWORD));
});

test('an old N=2^14 hash still logs in, and is replaced by an N=2^17 one without ending sessions', async () => {
  const salt = randomBytes(16);
  const key = scryptSync(DEMO_PASSWORD, salt, 32, { N: 16384, r: 8, p: 1 });
  await db.sql.begin(async (tx) => {
    await tx`SELECT set_config('tram.rehash', 'on', true)`; // planting the old hash is not a reset
    await tx`UPDATE staff SET password_hash = ${`scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`} WHERE username = 'chihuy'`;
  });
  const first = await login(hub.url, 'chihuy', DEMO_PASSWORD);
  const [row] = await db.sql`SELECT password_hash FROM staff WHERE username = 'chihuy'`;
  assert.match(row!.password_hash, /^scrypt\$131072\$8\$1\$/);
  assert.equal((await me(first)).status, 200, 'the rehash kept the session');
});

test('logout, a password reset and deactivation end the session and close its sockets at once', async () => {
  const a = await login(hub.url, 'canbo.an', DEMO_PASSWORD);
  const s1 = await socket(a);
  await fetch(`${hub.url}/api/auth/logout`, { method: 'POST', headers: { cookie: a } });
  assert.equal(await within(s1.closed, 3000, 'close after logout'), 4401);

  const b = await login(hub.url, 'canbo.an', DEMO_PASSWORD);
  const s2 = await socket(b);
  await createStaff(db.sql, {
    username: 'canbo.an',
    displayName: 'Thiếu úy Nguyễn Văn An',
    role: 'police',
    password: 'mat-khau-moi-0123',
    wardIds: [db.demo.wardId],
  });
  assert.equal(await within(s2.closed, 3000, 'close after password reset'), 4401);
  assert.equal((await me(b)).status, 401, 'the reset ended the session');

  const c = await login(hub.url, 'canbo.an', 'mat-khau-moi-0123');
  const s3 = await socket(c);
  await db.sql`UPDATE staff SET active = false WHERE username = 'canbo.an'`;
  assert.equal(await within(s3.closed, 3000, 'close after deactivation'), 4401);
  assert.equal((await me(c)).status, 401);
});

test('a session unused for longer than the idle timeout ends', async () => {
  const c = await login(hub.url, 'bacsi.dung', DEMO_PASSWORD);
  assert.equal((await me(c)).status, 200);
  await db.sql`UPDATE staff_sessions SET last_seen_at = now() - interval '31 minutes'`;
  assert.equal((await me(c)).status, 401);
});

test('the wrong kind of caller gets 403, not 401: a station on a staff route, a staff cookie raising a call', async () => {
  const station = await fetch(`${hub.url}/api/auth/me`, { headers: { authorization: `Station ${db.demo.station.credential}` } });
  assert.equal(station.status, 403);
  const admin = await login(hub.url, 'quantri', DEMO_PASSWORD);
  const raise = await fetch(`${hub.url}/api/calls`, {
    method: 'POST',
    headers: { cookie: admin, 'idempotency-key': 'abcdefgh-1234', 'content-type': 'application/json' },
    body: '{"kind":"sos"}',
  });
  assert.equal(raise.status, 403);
  const nobody = await fetch(`${hub.url}/api/auth/me`);
  assert.equal(nobody.status, 401);
});

test('a 413 says Connection: close, and the client gets the whole answer', async () => {
  const { status, headers, body } = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((res, rej) => {
    const req = request(`${hub.url}/api/calls`, {
      method: 'POST',
      headers: {
        authorization: `Station ${db.demo.station.credential}`,
        'idempotency-key': 'abcdefgh-5678',
        'content-type': 'application/json',
        'content-length': String(64 * 1024),
        connection: 'keep-alive',
      },
    });
    req.on('response', (r) => {
      let b = '';
      r.on('data', (d) => (b += d));
      r.on('end', () => res({ status: r.statusCode!, headers: r.headers, body: b }));
    });
    req.on('error', rej);
    req.end(Buffer.alloc(64 * 1024, 'a'));
  });
  assert.equal(status, 413);
  assert.equal(headers.connection, 'close');
  assert.equal(JSON.parse(body).error.code, 'body_too_large');
});

test('a WebSocket upgrade to an unknown path is answered 404, not left hanging', async () => {
  const ws = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/nothing-here`);
  const status = await within(
    new Promise<number>((res) => {
      ws.once('unexpected-response', (_req, r) => res(r.statusCode!));
      ws.once('error', () => res(-1));
    }),
    3000,
    'an answer',
  );
  assert.equal(status, 404);
});
