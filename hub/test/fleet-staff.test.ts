// Staff administration through the admin API: an account is created with a role and wards and a
// one-time password that must be changed at the first login; a reset does the same; deactivating
// an account closes its open console socket at once. Every change is audited, and the audit viewer
// filters, exports CSV, and audits its own use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import type { RunningHub } from '../src/server.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: RunningHub;
let admin: string;

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
  admin = await login(hub.url, 'quantri', DEMO_PASSWORD);
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const post = (path: string, body?: unknown) =>
  fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: { cookie: admin, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const tryLogin = (username: string, password: string) =>
  fetch(`${hub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
const changePassword = (username: string, password: string, newPassword: string) =>
  fetch(`${hub.url}/api/auth/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, newPassword }),
  });

test('a new account must change its one-time password before its first session', async () => {
  const r = await post('/api/admin/staff', {
    username: 'canbo.moi',
    displayName: 'Thiếu úy Mới',
    role: 'police',
    wardIds: [db.demo.wardId],
  });
  assert.equal(r.status, 201);
  const { staff, oneTimePassword } = await r.json();
  assert.equal(staff.role, 'police');
  assert.deepEqual(staff.wardIds, [db.demo.wardId]);
  assert.equal(staff.mustChangePassword, true);
  const first = await tryLogin('canbo.moi', oneTimePassword);
  assert.equal(first.status, 403);
  assert.equal((await first.json()).error.code, 'password_change_required');
  assert.equal(first.headers.get('set-cookie'), null, 'no session');
  assert.equal((await changePassword('canbo.moi', oneTimePassword, 'mat-khau-rieng-cua-toi')).status, 200);
  assert.equal((await tryLogin('canbo.moi', oneTimePassword)).status, 401, 'the one-time password is gone');
  assert.equal((await tryLogin('canbo.moi', 'mat-khau-rieng-cua-toi')).status, 200);
});

test('bad input is a 400 and creates nothing; a taken username is a 409', async () => {
  const before = (await db.sql`SELECT count(*)::int AS n FROM staff`)[0]!.n;
  for (const body of [
    { username: 'x.y.z', displayName: 'A', role: 'emperor', wardIds: [] },
    { username: 'A B', displayName: 'A', role: 'police' },
    { username: 'ok.name', displayName: 'A', role: 'police', wardIds: [999999] },
  ]) {
    const r = await post('/api/admin/staff', body);
    assert.equal(r.status, 400, JSON.stringify(body));
  }
  assert.equal((await post('/api/admin/staff', { username: 'canbo.an', displayName: 'A', role: 'police' })).status, 409);
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM staff`)[0]!.n, before);
});

test('deactivating an officer closes their open console socket at once; a reset forces a change', async () => {
  const cookie = await login(hub.url, 'canbo.binh', DEMO_PASSWORD);
  const ws = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/ws`, { headers: { cookie } });
  await new Promise((res, rej) => {
    ws.once('message', res);
    ws.once('error', rej);
  });
  const closed = new Promise<number>((res) => ws.once('close', (code) => res(code)));
  const [row] = await db.sql`SELECT id FROM staff WHERE username = 'canbo.binh'`;
  const t0 = performance.now();
  const r = await post(`/api/admin/staff/${row!.id}/deactivate`);
  assert.equal(r.status, 200);
  assert.equal((await r.json()).staff.active, false);
  const code = await Promise.race([
    closed,
    new Promise<number>((_, rej) => setTimeout(() => rej(new Error('socket still open after 3 s')), 3000)),
  ]);
  assert.equal(code, 4401);
  console.log(`socket closed ${Math.round(performance.now() - t0)} ms after the deactivation`);
  assert.equal((await fetch(`${hub.url}/api/auth/me`, { headers: { cookie } })).status, 401);
  assert.equal((await tryLogin('canbo.binh', DEMO_PASSWORD)).status, 401);

  // a reset: the old password stops working and the next login must change the one-time one
  const [an] = await db.sql`SELECT id FROM staff WHERE username = 'canbo.an'`;
  const anCookie = await login(hub.url, 'canbo.an', DEMO_PASSWORD);
  const reset = await post(`/api/admin/staff/${an!.id}/reset-password`);
  assert.equal(reset.status, 200);
  const { oneTimePassword } = await reset.json();
  assert.equal((await fetch(`${hub.url}/api/auth/me`, { headers: { cookie: anCookie } })).status, 401, 'sessions ended');
  assert.equal((await tryLogin('canbo.an', DEMO_PASSWORD)).status, 401);
  assert.equal((await tryLogin('canbo.an', oneTimePassword)).status, 403);
  // an admin cannot lock themselves out
  const [me] = await db.sql`SELECT id FROM staff WHERE username = 'quantri'`;
  assert.equal((await post(`/api/admin/staff/${me!.id}/deactivate`)).status, 409);
});

test('the audit viewer filters by actor, subject and action; the CSV export is audited', async () => {
  const get = (q: string) => fetch(`${hub.url}/api/admin/audit?${q}`, { headers: { cookie: admin } });
  const byAdmin = (await (await get('actor=staff:quantri&action=staff.deactivate')).json()).rows;
  assert.equal(byAdmin.length, 1);
  assert.equal(byAdmin[0].subject, 'staff:canbo.binh');
  const bySubject = (await (await get('subject=staff')).json()).rows as { subject: string }[];
  assert.ok(bySubject.length >= 3);
  assert.ok(bySubject.every((r) => r.subject.startsWith('staff:')));
  const future = (await (await get(`from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`)).json()).rows;
  assert.equal(future.length, 0);
  assert.equal((await get('limit=0')).status, 400);
  const csv = await get('action=staff.create');
  assert.equal(csv.status, 200);
  const csvFile = await fetch(`${hub.url}/api/admin/audit.csv?action=staff.create`, { headers: { cookie: admin } });
  assert.match(csvFile.headers.get('content-type') ?? '', /text\/csv/);
  const text = await csvFile.text();
  assert.match(text, /^id,at,actor,action,subject,detail\r\n/);
  assert.match(text, /staff:quantri,staff\.create,staff:canbo\.moi/);
  const [exported] = await db.sql`SELECT actor, detail FROM audit_log WHERE action = 'audit.export'`;
  assert.equal(exported!.actor, 'staff:quantri');
  assert.equal(exported!.detail.rows, 1);
  // police cannot read the audit trail
  const police = await login(hub.url, 'canbo.cuong', DEMO_PASSWORD);
  assert.equal((await fetch(`${hub.url}/api/admin/audit`, { headers: { cookie: police } })).status, 403);
});
