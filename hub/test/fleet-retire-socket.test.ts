// Retiring a station closes its already-open /ws socket at once (as deactivating staff closes
// theirs), not at its next reconnect; other sockets stay open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { freshDatabase, login, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';

function open(url: string, headers: Record<string, string>) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { headers });
  const closed = new Promise<{ code: number; reason: string; at: number }>((r) =>
    ws.on('close', (code, reason) => r({ code, reason: reason.toString(), at: Date.now() })),
  );
  return new Promise<{ ws: WebSocket; closed: typeof closed }>((res, rej) => {
    ws.once('message', () => res({ ws, closed }));
    ws.once('error', rej);
  });
}

test('a retired station: its open socket closes at once with 4401; a police socket stays open', async (t) => {
  const db = await freshDatabase();
  const hub = await startTestHub(db.url);
  t.after(async () => {
    await hub.stop();
    await db.drop();
  });
  const admin = await login(hub.url, 'quantri', DEMO_PASSWORD);
  const police = await login(hub.url, 'canbo.an', DEMO_PASSWORD);
  const station = await open(hub.url, { authorization: `Station ${db.demo.station.credential}` });
  const officer = await open(hub.url, { cookie: police });

  const t0 = Date.now();
  const r = await fetch(`${hub.url}/api/admin/stations/${db.demo.station.id}/retire`, { method: 'POST', headers: { cookie: admin } });
  assert.equal(r.status, 200);
  const closed = await Promise.race([station.closed, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
  assert.ok(closed, 'the retired station socket is still open 3 s after retiring');
  assert.equal(closed.code, 4401);
  assert.equal(closed.reason, 'station retired');
  console.log(`station socket closed ${closed.at - t0} ms after the retire request`);
  assert.equal(officer.ws.readyState, WebSocket.OPEN, 'the officer socket must stay open');
  // and it cannot come back
  await assert.rejects(open(hub.url, { authorization: `Station ${db.demo.station.credential}` }));
  officer.ws.close();
});
