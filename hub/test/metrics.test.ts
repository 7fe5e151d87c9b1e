// What an operator's Prometheus sees: calls ringing and their age, ring → answer times,
// abandoned calls and request timings, on the internal metrics port only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, listen, login, raiseSos, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url, { METRICS_PORT: '0' });
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

/** The value of one sample line, e.g. `tram_calls_ringing` or `tram_calls_raised_total{kind="sos"}`. */
async function sample(name: string): Promise<number> {
  const text = await (await fetch(hub.metricsUrl!)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `${name} is exported`);
  return Number(line.slice(name.length + 1));
}

async function officer(): Promise<string> {
  const [row] = await db.sql<{ username: string }[]>`
    SELECT s.username FROM staff s JOIN staff_wards w ON w.staff_id = s.id
    WHERE w.ward_id = ${db.demo.wardId} AND s.role = 'police' ORDER BY s.username LIMIT 1`;
  return login(hub.url, row!.username, DEMO_PASSWORD);
}

test('metrics are served on the internal port, not on the public one', async () => {
  assert.ok(hub.metricsUrl?.startsWith('http://127.0.0.1:'));
  assert.notEqual(new URL(hub.metricsUrl!).port, String(hub.port));
  assert.equal((await fetch(`${hub.url}/metrics`)).status, 404);
  assert.equal((await fetch(hub.metricsUrl!.replace('/metrics', '/other'))).status, 404);
});

test('a ringing call shows in the gauges; its answer lands in the ring → answer histogram', async (t) => {
  const cookie = await officer(); // before the call: a login is deliberately slow (scrypt)
  assert.equal(await sample('tram_calls_ringing'), 0);
  const r = await raiseSos(hub.url, db.demo.station.credential, randomUUID());
  assert.equal(r.status, 201);
  const { call } = (await r.json()) as { call: { id: string } };
  t.after(() =>
    fetch(`${hub.url}/api/calls/${call.id}/end`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'resolved' }),
    }),
  );
  assert.equal(await sample('tram_calls_ringing'), 1);
  assert.equal(await sample('tram_calls_raised_total{kind="sos"}'), 1);
  await new Promise((res) => setTimeout(res, 1100));
  assert.ok((await sample('tram_calls_ringing_oldest_seconds')) >= 1, 'the ringing call’s age is at least a second');

  assert.equal((await fetch(`${hub.url}/api/calls/${call.id}/answer`, { method: 'POST', headers: { cookie } })).status, 200);
  assert.equal(await sample('tram_calls_ringing'), 0);
  assert.equal(await sample('tram_calls_active'), 1);
  assert.equal(await sample('tram_call_ring_to_answer_seconds_count'), 1);
  // answered after at least 1.1 s: not in the 1 s bucket, and the sum says how long it rang
  assert.equal(await sample('tram_call_ring_to_answer_seconds_bucket{le="1"}'), 0);
  assert.equal(await sample('tram_call_ring_to_answer_seconds_bucket{le="+Inf"}'), 1);
  const rang = await sample('tram_call_ring_to_answer_seconds_sum');
  assert.ok(rang >= 1.1 && rang < 60, `rang ${rang} s`);
  assert.equal(await sample('tram_calls_abandoned_total'), 0);
});

test('a call the resident ends before anyone answers counts as abandoned', async () => {
  const r = await raiseSos(hub.url, db.demo.station.credential, randomUUID());
  assert.equal(r.status, 201);
  const { call } = (await r.json()) as { call: { id: string } };
  const ended = await fetch(`${hub.url}/api/calls/${call.id}/end`, {
    method: 'POST',
    headers: { authorization: `Station ${db.demo.station.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'hangup' }),
  });
  assert.equal(ended.status, 200);
  assert.equal(await sample('tram_calls_abandoned_total'), 1);
  // request timings are labelled by route pattern, never by the raw path with its ids
  const text = await (await fetch(hub.metricsUrl!)).text();
  assert.match(text, /tram_http_request_seconds_count\{method="POST",route="\/api\/calls\/:id\/end",status="200"\} [1-9]/);
  assert.doesNotMatch(text, new RegExp(call.id));
});

test('an open police console counts for its ward; closing it takes it away', async () => {
  const cookie = await officer();
  const ward = `tram_police_consoles_online{ward="${db.demo.wardId}"}`;
  const console = await listen(hub.url, { cookie });
  assert.equal(await sample(ward), 1);
  assert.equal(await sample('tram_ws_connections{role="police"}'), 1);
  console.close();
  const deadline = Date.now() + 3000;
  while ((await sample(ward)) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await sample(ward), 0);
  assert.equal(await sample('tram_ws_connections{role="police"}'), 0);
});

test('every hub metric the alert rules use is one the hub exports', async () => {
  const { parse } = await import('yaml');
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const rules = parse(readFileSync(join(import.meta.dirname, '../../deploy/prometheus/alerts.yml'), 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  const exported = await (await fetch(hub.metricsUrl!)).text();
  const names = new Set(exported.split('\n').flatMap((l) => (l.startsWith('# TYPE ') ? [l.split(' ')[2]!] : [])));
  const used = rules.groups.flatMap((g) => g.rules.flatMap((r) => r.expr.match(/\btram_[a-z_]+/g) ?? []));
  assert.ok(used.length >= 8);
  for (const m of used) assert.ok(names.has(m.replace(/_(bucket|count|sum)$/, '')), `alert rules use ${m}, which the hub exports`);
});
