// A doctor's escalation rings the ward police; the officer who answers at the very first ring must
// find the medical handover already there (it is written in the call's own transaction).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { citizenSession, postReadings, reading } from './vitals-fixtures.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: Awaited<ReturnType<typeof startTestHub>>;
let dung: string, police: string, cred: string;

before(async () => {
  db = await freshDatabase();
  hub = await startTestHub(db.url);
  cred = db.demo.station.credential;
  dung = await login(hub.url, 'bacsi.dung', DEMO_PASSWORD);
  police = await login(hub.url, 'canbo.an', DEMO_PASSWORD);
});
after(async () => {
  await hub?.stop();
  await db?.drop();
});

const call = (headers: Record<string, string>, method: string, path: string, body?: unknown) =>
  fetch(`${hub.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

test('an officer who answers the moment the escalation rings reads the handover at once', async () => {
  for (let round = 0; round < 3; round++) {
    const s = await citizenSession(db, db.demo.station.id, `07916000${round}999`);
    const r = await postReadings(hub.url, cred, { sessionId: s.sessionId, readings: [reading('spo2', 86), reading('heart_rate', 128)] });
    assert.equal(r.status, 200);
    assert.equal((await call({ cookie: dung }, 'PUT', '/api/consults/presence', { available: true })).status, 200);
    const q = await call({ authorization: `Station ${cred}`, 'idempotency-key': randomUUID() }, 'POST', '/api/consults', {
      reason: 'breathing',
    });
    assert.equal(q.status, 201);
    const { consult } = await q.json();
    assert.equal((await call({ cookie: dung }, 'POST', `/api/consults/${consult.id}/accept`)).status, 200);

    // The console: on the ring, answer and ask for the handover, with no delay and no retry.
    const ws = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/ws`, { headers: { cookie: police } });
    await new Promise((res) => ws.once('message', res)); // hello
    const handover = new Promise<{ stored: number; answer: number; medical: number; body: any }>((res, rej) => {
      ws.on('message', (m) => {
        const e = JSON.parse(m.toString());
        if (e.type !== 'call.ringing') return;
        const id = e.data.call.id;
        void (async () => {
          // What any console could see from the moment it rings (another hub instance, a faster officer).
          const [row] = await db.sql`SELECT count(*)::int AS n FROM call_medical_handovers WHERE call_id = ${id}`;
          const answer = (await call({ cookie: police }, 'POST', `/api/calls/${id}/answer`)).status;
          const medical = await call({ cookie: police }, 'GET', `/api/calls/${id}/medical`);
          res({ stored: row!.n, answer, medical: medical.status, body: await medical.json() });
        })().catch(rej);
      });
    });
    const escalated = await call({ cookie: dung }, 'POST', `/api/consults/${consult.id}/escalate`);
    assert.equal(escalated.status, 201);
    const got = await handover;
    ws.terminate();
    assert.equal(got.stored, 1, `round ${round}: the handover is stored when the call rings`);
    assert.equal(got.answer, 200, 'the officer answered');
    assert.equal(got.medical, 200, `round ${round}: the handover is there at the first ring (${JSON.stringify(got.body)})`);
    const spo2 = got.body.handover.vitals.find((v: { kind: string }) => v.kind === 'spo2');
    assert.equal(spo2.value, 86);
    // Ready for the next round: the call and consult end.
    await db.sql`UPDATE calls SET status = 'ended', ended_at = now(), next_escalation_at = NULL WHERE status <> 'ended'`;
    await db.sql`UPDATE consults SET status = 'completed', ended_at = now() WHERE status IN ('waiting', 'in_call')`;
  }
});
