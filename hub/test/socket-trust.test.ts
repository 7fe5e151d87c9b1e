// The hub's sockets hold against a misbehaving or former user: a /fhir/ws subscription socket
// closes when the staff session it rides on ends (logout, deactivation, idle expiry), and socket
// upgrades are rate limited per address and per credential, with a cap on open sockets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { breakGlassFor } from './fhir-care.ts';
import { citizenSession } from './vitals-fixtures.ts';

const TOPIC = 'https://tram.vn/fhir/SubscriptionTopic/vital-signs-observation';
const BP = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let patient: string;
before(async () => {
  db = await freshDatabase();
  patient = (await citizenSession(db, db.demo.station.id)).citizenId;
});
after(async () => {
  await db?.drop();
});

/** A hub with these settings for the length of `f`. */
async function withHub(env: Record<string, string>, f: (url: string) => Promise<void>) {
  const hub = await startTestHub(db.url, env);
  try {
    await f(hub.url);
  } finally {
    await hub.stop();
  }
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what} not within ${ms} ms`)), ms))]);

/** A clinician's /fhir/ws socket bound to a live subscription on the patient; resolves once the handshake came. */
async function boundSubscriptionSocket(hubUrl: string, cookie: string) {
  await breakGlassFor(hubUrl, cookie, patient);
  const fhir = (path: string, init: RequestInit = {}) =>
    fetch(`${hubUrl}/fhir/${path}`, { ...init, headers: { cookie, 'content-type': 'application/fhir+json', ...init.headers } });
  const created = await fhir('Subscription', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'Subscription',
      status: 'requested',
      reason: 'Theo dõi sinh hiệu',
      criteria: TOPIC,
      _criteria: { extension: [{ url: `${BP}/backport-filter-criteria`, valueString: `Observation?patient=Patient/${patient}` }] },
      channel: { type: 'websocket', payload: 'application/fhir+json' },
    }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const sub = (await created.json()) as { id: string };
  const p = (await (await fhir(`Subscription/${sub.id}/$get-ws-binding-token`)).json()) as {
    parameter: { name: string; valueString?: string; valueUrl?: string }[];
  };
  const token = p.parameter.find((x) => x.name === 'token')!.valueString!;
  const url = p.parameter.find((x) => x.name === 'websocket-url')!.valueUrl!;
  const ws = new WebSocket(url);
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  const frames: any[] = [];
  const handshake = new Promise<void>((res, rej) => {
    ws.on('message', (m) => {
      frames.push(JSON.parse(m.toString()));
      if (frames.at(-1).resourceType === 'Bundle') res();
    });
    ws.once('close', () => rej(new Error(`closed before the handshake: ${JSON.stringify(frames)}`)));
  });
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  ws.send(`bind-with-token ${token}`);
  await within(handshake, 3000, 'handshake');
  return { ws, closed, token, url };
}

/** An upgrade's answer: 101 (then closed again) or the HTTP status and headers of the refusal. */
function upgrade(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; retryAfter?: string; body?: string; ws?: WebSocket }>((res) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => res({ status: 101, ws }));
    ws.once('unexpected-response', (_req, r) => {
      let body = '';
      r.on('data', (b: Buffer) => (body += b));
      r.on('end', () => res({ status: r.statusCode!, retryAfter: r.headers['retry-after'], body }));
    });
    ws.once('error', () => {});
  });
}

test('a /fhir/ws subscription socket closes within a second when its clinician logs out', async () => {
  await withHub({}, async (url) => {
    const cookie = await login(url, 'bacsi.dung', DEMO_PASSWORD);
    const s = await boundSubscriptionSocket(url, cookie);
    const t0 = performance.now();
    assert.equal((await fetch(`${url}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status, 200);
    assert.equal(await within(s.closed, 1000, 'close after logout'), 4401);
    console.log(`closed ${(performance.now() - t0).toFixed(0)} ms after the logout`);
    // The token died with the session: binding it again is refused.
    const again = new WebSocket(s.url);
    await new Promise((r) => again.once('open', r));
    again.send(`bind-with-token ${s.token}`);
    assert.equal(
      await within(new Promise<number>((r) => again.once('close', (c) => r(c))), 3000, 'close'),
      4401,
      'the old token is refused',
    );
  });
});

test('a /fhir/ws subscription socket closes within a second when its clinician is deactivated', async () => {
  await withHub({}, async (url) => {
    const cookie = await login(url, 'bacsi.dung', DEMO_PASSWORD);
    const s = await boundSubscriptionSocket(url, cookie);
    await db.sql`UPDATE staff SET active = false WHERE username = 'bacsi.dung'`;
    try {
      assert.equal(await within(s.closed, 1000, 'close after deactivation'), 4401);
    } finally {
      await db.sql`UPDATE staff SET active = true WHERE username = 'bacsi.dung'`;
    }
  });
});

test("another clinician's logout leaves the socket open; an idle-expired session's token no longer binds", async () => {
  await withHub({}, async (url) => {
    const cookie = await login(url, 'bacsi.dung', DEMO_PASSWORD);
    const s = await boundSubscriptionSocket(url, cookie);
    const other = await login(url, 'bacsi.dung', DEMO_PASSWORD); // a second session of the same doctor
    await fetch(`${url}/api/auth/logout`, { method: 'POST', headers: { cookie: other } });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(s.ws.readyState, WebSocket.OPEN, 'only the session the socket rides on closes it');
    s.ws.close();
    await db.sql`UPDATE staff_sessions SET last_seen_at = now() - interval '31 minutes'`;
    const again = new WebSocket(s.url);
    await new Promise((r) => again.once('open', r));
    again.send(`bind-with-token ${s.token}`);
    assert.equal(await within(new Promise<number>((r) => again.once('close', (c) => r(c))), 3000, 'close'), 4401);
  });
});

test('socket upgrades from one address over the limit get 429 with Retry-After, on /ws and /fhir/ws alike', async () => {
  await withHub({ WS_UPGRADE_BURST: '4', WS_UPGRADE_PER_S: '0.2' }, async (url) => {
    const ws = url.replace(/^http/, 'ws');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await upgrade(`${ws}/ws`)).status);
    assert.deepEqual(answers, [401, 401, 401, 401], 'within the burst, an unknown caller is told to log in');
    const over = await upgrade(`${ws}/ws`);
    assert.equal(over.status, 429);
    assert.match(over.retryAfter ?? '', /^\d+$/);
    assert.equal(JSON.parse(over.body!).error.code, 'rate_limited');
    assert.equal((await upgrade(`${ws}/fhir/ws`)).status, 429, 'the address is limited on the FHIR socket too');
  });
});

test('one credential reconnecting in a loop gets 429, and may hold only so many sockets open', async () => {
  await withHub({ WS_CREDENTIAL_BURST: '3', WS_CREDENTIAL_PER_S: '0.2', WS_SOCKETS_PER_CREDENTIAL: '2' }, async (url) => {
    const ws = url.replace(/^http/, 'ws');
    const cookie = await login(url, 'canbo.an', DEMO_PASSWORD);
    const a = await upgrade(`${ws}/ws`, { cookie });
    const b = await upgrade(`${ws}/ws`, { cookie });
    assert.deepEqual([a.status, b.status], [101, 101]);
    const third = await upgrade(`${ws}/ws`, { cookie });
    assert.equal(third.status, 429, 'a third open socket is refused');
    assert.equal(JSON.parse(third.body!).error.code, 'too_many_sockets');
    // The burst (3) is spent now: even with a socket closed, the next attempt waits.
    a.ws!.close();
    await new Promise((r) => setTimeout(r, 200));
    const looping = await upgrade(`${ws}/ws`, { cookie });
    assert.equal(looping.status, 429);
    assert.equal(JSON.parse(looping.body!).error.code, 'rate_limited');
    // Another officer is not affected.
    const other = await login(url, 'canbo.binh', DEMO_PASSWORD);
    const c = await upgrade(`${ws}/ws`, { cookie: other });
    assert.equal(c.status, 101);
    b.ws!.close();
    c.ws!.close();
  });
});

test('a clinician may hold only so many /fhir/ws sockets bound at once', async () => {
  await withHub({ WS_SOCKETS_PER_CREDENTIAL: '1' }, async (url) => {
    const cookie = await login(url, 'bacsi.dung', DEMO_PASSWORD);
    const s = await boundSubscriptionSocket(url, cookie);
    const second = new WebSocket(s.url);
    await new Promise((r) => second.once('open', r));
    second.send(`bind-with-token ${s.token}`);
    assert.equal(await within(new Promise<number>((r) => second.once('close', (c) => r(c))), 3000, 'close'), 4429);
    s.ws.close();
    await s.closed;
    await new Promise((r) => setTimeout(r, 100));
    const third = new WebSocket(s.url);
    const frame = new Promise<any>((r) => third.once('message', (m) => r(JSON.parse(m.toString()))));
    await new Promise((r) => third.once('open', r));
    third.send(`bind-with-token ${s.token}`);
    assert.equal((await within(frame, 3000, 'handshake')).resourceType, 'Bundle', 'after closing one, a new socket binds');
    third.close();
  });
});
