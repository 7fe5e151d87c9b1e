// Escalation on persisted deadlines survives a hub restart: the process is killed right after the
// SOS and a new one, started before the deadline, applies both steps on time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase, listen, login, raiseSos, spawnHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { freePort } from '../../scripts/ports.ts';
import { registerStation } from '../src/stations/service.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
before(async () => {
  db = await freshDatabase();
});
after(async () => {
  await db?.drop();
});

// T1 leaves room for a second hub process to start (tsx loads the whole hub) on a loaded 2-core machine.
const T1 = 15_000,
  T2 = 19_000;

test('escalation fires after the hub was killed and started again before the deadline', async () => {
  const timers = { ESCALATE_T1_MS: String(T1), ESCALATE_T2_MS: String(T2), ESCALATION_TICK_MS: '100' };
  const first = await spawnHub(db.url, timers);
  const res = await raiseSos(first.url, db.demo.station.credential, randomUUID());
  assert.equal(res.status, 201);
  const { call } = await res.json();
  const raisedAt = Date.parse(call.createdAt);
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));

  const second = await spawnHub(db.url, timers);
  try {
    assert.ok(Date.now() < raisedAt + T1, 'the new hub is up before the first deadline');
    // an officer of a neighbouring ward, the command centre, and the kiosk itself
    const neighbour = await listen(second.url, { cookie: await login(second.url, 'canbo.cuong', DEMO_PASSWORD) });
    const command = await listen(second.url, { cookie: await login(second.url, 'chihuy', DEMO_PASSWORD) });
    const kiosk = await listen(second.url, { station: db.demo.station.credential });
    try {
      const widened = await neighbour.next((e) => e.type === 'call.ringing' && e.data.call.id === call.id, T1 + 3000);
      assert.equal(widened.data.call.escalationLevel, 1);
      const alert = await command.next((e) => e.type === 'call.escalated' && e.data.call.id === call.id, T2);
      assert.equal(alert.data.call.escalationLevel, 2);
      const fallback = await kiosk.next((e) => e.type === 'call.escalated' && e.data.call.id === call.id, 1000);
      assert.equal(fallback.data.fallback, '113');

      const steps = await db.sql<
        { kind: string; at: Date; detail: any }[]
      >`SELECT kind, at, detail FROM call_events WHERE call_id = ${call.id} ORDER BY id`;
      const wide = steps.find((s) => s.kind === 'rang' && s.detail.scope === 'neighbours')!;
      const esc = steps.find((s) => s.kind === 'escalated')!;
      assert.ok(wide.at.getTime() >= raisedAt + T1 - 50, 'not widened before T1');
      assert.ok(wide.at.getTime() < raisedAt + T1 + 1500, 'widened soon after T1');
      assert.ok(esc.at.getTime() >= raisedAt + T2 - 50, 'not escalated before T2');
      // Phường Bình Trưng widens to its neighbours An Khánh and Cát Lái (two-level government: no district)
      assert.deepEqual(wide.detail.officers, ['canbo.cuong', 'canbo.giang']);
      // each step exactly once
      assert.equal(steps.filter((s) => s.kind === 'escalated').length, 1);
      assert.equal(steps.filter((s) => s.kind === 'rang').length, 2);
      // the widened officer may now answer
      const ans = await fetch(`${second.url}/api/calls/${call.id}/answer`, {
        method: 'POST',
        headers: { cookie: await login(second.url, 'canbo.cuong', DEMO_PASSWORD) },
      });
      assert.equal(ans.status, 200);
    } finally {
      neighbour.close();
      command.close();
      kiosk.close();
    }
  } finally {
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }
});

test('two hub instances on one database apply each escalation step once', async () => {
  const timers = { ESCALATE_T1_MS: '1000', ESCALATE_T2_MS: '2000', ESCALATION_TICK_MS: '50' };
  const a = await spawnHub(db.url, timers);
  const b = await spawnHub(db.url, { ...timers, PORT: String(await freePort()) }).catch(async (e) => {
    a.child.kill();
    throw e;
  });
  try {
    // Ten stations (a station has at most one open call).
    const stations = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        registerStation(db.sql, { code: `tram-esc-${i}`, name: `Trạm ${i}`, address: `${i} Lê Lợi`, wardId: db.demo.wardId }),
      ),
    );
    const calls = await Promise.all(
      stations.map(async (st) => (await (await raiseSos(a.url, st.credential, randomUUID())).json()).call.id as string),
    );
    await new Promise((r) => setTimeout(r, 3500));
    for (const id of calls) {
      const kinds = (await db.sql<{ kind: string }[]>`SELECT kind FROM call_events WHERE call_id = ${id} ORDER BY id`).map((r) => r.kind);
      assert.deepEqual(kinds, ['raised', 'rang', 'rang', 'escalated']);
    }
  } finally {
    for (const h of [a, b]) {
      h.child.kill('SIGTERM');
      await new Promise((r) => h.child.once('exit', r));
    }
  }
});
