// Identity at the hub: a card read is accepted only when the hub itself verifies it (Passive
// Authentication against its CSCA store, Active Authentication over its own challenge); a refused
// read stores nothing; sessions end on card removal or inactivity; reads are audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { freshDatabase, listen, startTestHub } from './support/env.ts';
import { makeTestCccd, signActiveChallenge, type TestCccd } from '@tram/testing/icao/test-documents.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let dir: string;
let cred: string;
const doc = makeTestCccd();

before(async () => {
  db = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), 'csca-'));
  writeFileSync(join(dir, 'csca.pem'), doc.cscaPem);
  hub = await startTestHub(db.url, { CSCA_PATHS: dir, CITIZEN_IDLE_S: '2' });
  cred = db.demo.station.credential;
});
after(async () => {
  await hub?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
const call = (method: string, path: string, body?: unknown) =>
  fetch(`${hub.url}${path}`, {
    method,
    headers: { authorization: `Station ${cred}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function submit(d: TestCccd, o: { aa?: 'sign' | 'omit' | 'wrong-key' | 'wrong-challenge' } = {}) {
  const aa = o.aa ?? 'sign';
  const ch = await (await call('POST', '/api/identity/challenge')).json();
  const nonce = Uint8Array.from(Buffer.from(ch.nonce, 'hex'));
  let activeAuth: { challengeId: string; signature: string } | undefined;
  if (d.aaPrivateKey && aa !== 'omit') {
    const key = aa === 'wrong-key' ? generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey : d.aaPrivateKey;
    const challenge = aa === 'wrong-challenge' ? Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) : nonce;
    activeAuth = { challengeId: ch.challengeId, signature: b64(signActiveChallenge(key, challenge)) };
  }
  return call('POST', '/api/identity', {
    access: 'PACE',
    sod: b64(d.sod),
    dataGroups: Object.fromEntries([...d.dataGroups].map(([n, v]) => [String(n), b64(v)])),
    ...(activeAuth ? { activeAuth } : {}),
  });
}

const stored = async () =>
  (await db.sql`SELECT (SELECT count(*) FROM citizens)::int AS citizens, (SELECT count(*) FROM citizen_sessions)::int AS sessions`)[0];

test('refused reads store nothing: tampered DG13, unknown CSCA, failed or missing Active Authentication', async () => {
  const cases: [string, Promise<Response>, RegExp][] = [
    ['tampered DG13', submit(makeTestCccd({}, { tamperDg13: true })), /dg_hash_mismatch:13/],
    ['unknown CSCA', submit(makeTestCccd({}, { unknownCsca: true })), /ds_certificate_untrusted/],
    ['clone (other AA key)', submit(doc, { aa: 'wrong-key' }), /active_auth_failed/],
    ['replayed signature over another challenge', submit(doc, { aa: 'wrong-challenge' }), /active_auth_failed/],
    ['AA skipped though the chip has DG15', submit(doc, { aa: 'omit' }), /active_auth_missing/],
  ];
  for (const [what, res, failure] of cases) {
    const r = await res;
    assert.equal(r.status, 422, what);
    const b = await r.json();
    assert.equal(b.error.code, 'verification_failed', what);
    assert.match(b.error.failures.join(','), failure, what);
  }
  assert.deepEqual({ ...(await stored()) }, { citizens: 0, sessions: 0 });
  const [refusals] = await db.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'identity.refused'`;
  assert.equal(refusals!.n, cases.length);
});

test('a genuine card opens a session with the checks that passed; the minimum is stored; reads are audited', async () => {
  const r = await submit(doc);
  assert.equal(r.status, 201);
  const b = await r.json();
  assert.equal(b.citizen.fullName, 'Nguyễn Thị Mai');
  assert.equal(b.citizen.idNumber, '••••••••1234', 'the full ID number is not sent back to the kiosk');
  assert.deepEqual(
    { access: b.checks.access, pa: b.checks.passiveAuthentication, aa: b.checks.activeAuthentication },
    { access: 'PACE', pa: 'passed', aa: 'passed' },
  );
  const [c] = await db.sql`SELECT * FROM citizens`;
  assert.deepEqual(Object.keys(c!).sort(), [
    'created_at',
    'date_of_birth',
    'erased_at',
    'full_name',
    'id',
    'id_number',
    'sex',
    'updated_at',
  ]);
  assert.deepEqual([c!.id_number, c!.full_name, c!.date_of_birth, c!.sex], ['001195001234', 'Nguyễn Thị Mai', '15/03/1995', 'Nữ']);
  const s = await call('GET', '/api/identity/session');
  assert.equal(s.status, 200);
  assert.equal((await s.json()).citizen.fullName, 'Nguyễn Thị Mai');
  const audits = await db.sql`SELECT action FROM audit_log WHERE subject = ${`citizen:${c!.id}`} ORDER BY id`;
  assert.deepEqual(
    audits.map((a) => a.action),
    ['identity.verified', 'identity.read'],
  );
});

test('an Active Authentication challenge is single-use', async () => {
  const ch = await (await call('POST', '/api/identity/challenge')).json();
  const signature = b64(signActiveChallenge(doc.aaPrivateKey!, Uint8Array.from(Buffer.from(ch.nonce, 'hex'))));
  const body = {
    access: 'BAC',
    sod: b64(doc.sod),
    dataGroups: Object.fromEntries([...doc.dataGroups].map(([n, v]) => [String(n), b64(v)])),
    activeAuth: { challengeId: ch.challengeId, signature },
  };
  assert.equal((await call('POST', '/api/identity', body)).status, 201);
  const replay = await call('POST', '/api/identity', body);
  assert.equal(replay.status, 422);
  assert.match((await replay.json()).error.message, /unknown, used or expired/);
});

test('a chip without an Active Authentication key is accepted and says so', async () => {
  const r = await submit(makeTestCccd({ idNumber: '079088004321', fullName: 'Trần Văn Hùng', sex: 'Nam' }, { aaKey: 'none' }));
  assert.equal(r.status, 201);
  const b = await r.json();
  assert.equal(b.checks.activeAuthentication, 'not_supported');
  assert.equal(b.citizen.fullName, 'Trần Văn Hùng');
  // the previous resident's session at this station was replaced
  const open = await db.sql`SELECT count(*)::int AS n FROM citizen_sessions WHERE ended_at IS NULL`;
  assert.equal(open[0]!.n, 1);
});

test('card removed ends the session and the station is told', async () => {
  const station = await listen(hub.url, { station: cred });
  try {
    assert.equal((await submit(doc)).status, 201);
    const r = await call('DELETE', '/api/identity/session', { reason: 'card_removed' });
    assert.equal((await r.json()).ended, 1);
    const e = await station.next((e) => e.type === 'identity.session_ended' && e.data.reason === 'card_removed');
    assert.ok(e.data.sessionId);
    assert.equal((await call('GET', '/api/identity/session')).status, 404);
  } finally {
    station.close();
  }
});

test('an idle session ends by itself', async () => {
  const station = await listen(hub.url, { station: cred });
  try {
    assert.equal((await submit(doc)).status, 201);
    const e = await station.next((e) => e.type === 'identity.session_ended' && e.data.reason === 'idle', 8000);
    const [row] = await db.sql`SELECT end_reason FROM citizen_sessions WHERE id = ${e.data.sessionId}`;
    assert.equal(row!.end_reason, 'idle');
  } finally {
    station.close();
  }
});

test('malformed card submissions get a 400 and write nothing', async () => {
  const before = await stored();
  for (const body of [
    { access: 'PACE', sod: 'AAAA', dataGroups: { 1: 'AAAA' } },
    { access: 'NFC', sod: 'AAAA', dataGroups: { 1: 'AAAA', 13: 'AAAA' } },
    { access: 'BAC', sod: '%%%', dataGroups: { 1: 'AAAA', 13: 'AAAA' } },
    { access: 'BAC', sod: 'AAAA', dataGroups: { 1: 'AAAA', 13: 'AAAA' }, activeAuth: { challengeId: 'x', signature: 'AAAA' } },
  ]) {
    const r = await call('POST', '/api/identity', body);
    assert.equal(r.status, 400, JSON.stringify(body));
  }
  const garbage = await call('POST', '/api/identity', { access: 'BAC', sod: 'AAAA', dataGroups: { 1: 'AAAA', 13: 'AAAA' } });
  assert.equal(garbage.status, 422);
  assert.match((await garbage.json()).error.failures.join(), /sod_malformed/);
  assert.deepEqual(await stored(), before);
});

test('the SOD decides whether Active Authentication is due: leaving DG15 (or the signature) out is refused, nothing stored', async () => {
  const before = { ...(await stored()) };
  const withoutDg15: TestCccd = { ...doc, dataGroups: new Map([...doc.dataGroups].filter(([n]) => n !== 15)) };
  for (const [what, res, failure] of [
    ['DG15 left out (EF.COM hid it)', submit(withoutDg15, { aa: 'omit' }), /dg15_missing/],
    ['DG15 left out, a stray signature sent', submit({ ...withoutDg15, aaPrivateKey: doc.aaPrivateKey! }), /dg15_missing/],
    ['DG15 sent, no signature', submit(doc, { aa: 'omit' }), /active_auth_missing/],
  ] as const) {
    const r = await res;
    assert.equal(r.status, 422, what);
    const b = await r.json();
    assert.match(b.error.failures.join(','), failure, what);
  }
  assert.deepEqual({ ...(await stored()) }, before);
});

test('an expired card is refused with a clear message (MRZ or DG13 expiry), nothing stored', async () => {
  const before = { ...(await stored()) };
  const r = await submit(makeTestCccd({ idNumber: '001190005678', expiry: '01/01/2024' }));
  assert.equal(r.status, 422);
  const b = await r.json();
  assert.deepEqual(b.error.failures, ['document_expired:2024-01-01']);
  assert.match(b.error.message, /expired on 2024-01-01/);
  assert.deepEqual({ ...(await stored()) }, before);
});
