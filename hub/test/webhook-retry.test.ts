// A LiveKit webhook whose applying fails is not recorded as delivered: LiveKit's retry applies it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { freshDatabase, raiseSos, startTestHub } from './support/env.ts';

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

async function deliver(body: string) {
  const t = new AccessToken(process.env.LIVEKIT_API_KEY!, process.env.LIVEKIT_API_SECRET!);
  t.sha256 = createHash('sha256').update(body).digest('base64');
  return fetch(`${hub.url}/livekit/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization: await t.toJwt() },
    body,
  });
}

test('a delivery that failed to apply is applied by its retry, and only once', async () => {
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json();
  const [row] = await db.sql`SELECT room_name FROM calls WHERE id = ${call.id}`;
  const body = JSON.stringify({
    event: 'participant_joined',
    room: { name: row!.room_name },
    participant: { identity: `station:${db.demo.station.code}` },
    id: `EV_${randomUUID()}`,
    createdAt: '1',
  });
  const joined = async () =>
    Number((await db.sql`SELECT count(*)::int AS n FROM call_events WHERE call_id = ${call.id} AND kind = 'media_joined'`)[0]!.n);

  // Applying fails once (the database refuses the timeline row).
  await db.sql.unsafe(`CREATE FUNCTION refuse_media_joined() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.kind = 'media_joined' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$;
    CREATE TRIGGER refuse_media_joined BEFORE INSERT ON call_events FOR EACH ROW EXECUTE FUNCTION refuse_media_joined();`);
  const failed = await deliver(body);
  assert.equal(failed.status, 500);
  assert.equal(await joined(), 0);
  await db.sql.unsafe('DROP TRIGGER refuse_media_joined ON call_events; DROP FUNCTION refuse_media_joined();');

  const retry = await deliver(body);
  assert.equal(retry.status, 200);
  assert.equal((await retry.json()).outcome, 'applied');
  assert.equal(await joined(), 1);
  const again = await deliver(body);
  assert.equal((await again.json()).outcome, 'duplicate');
  assert.equal(await joined(), 1);
});

test('more concurrent deliveries than the hub has database connections are all applied, and the hub keeps answering', async () => {
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json();
  const [row] = await db.sql`SELECT room_name FROM calls WHERE id = ${call.id}`;
  // 60 at once (the pool has 20): each delivery used to hold a connection for its lock while
  // applying needed another, and with 20 in flight every query of the hub waited forever.
  const bodies = Array.from({ length: 60 }, () =>
    JSON.stringify({
      event: 'participant_joined',
      room: { name: row!.room_name },
      participant: { identity: `bot-${randomUUID()}` },
      id: `EV_${randomUUID()}`,
      createdAt: '1',
    }),
  );
  const statuses = await Promise.all(
    bodies.map((b) =>
      Promise.race([
        deliver(b).then((r) => r.status),
        new Promise<string>((r) => setTimeout(() => r('no answer within 20 s'), 20_000).unref()),
      ]),
    ),
  );
  assert.deepEqual(
    statuses,
    bodies.map(() => 200),
  );
  assert.equal((await fetch(`${hub.url}/healthz`)).status, 200);
  const ids = bodies.map((b) => JSON.parse(b).id as string);
  assert.equal(Number((await db.sql`SELECT count(*)::int AS n FROM webhook_deliveries WHERE id = ANY(${ids})`)[0]!.n), 60);
  assert.equal(
    Number(
      (
        await db.sql`SELECT count(*)::int AS n FROM call_events WHERE call_id = ${call.id} AND kind = 'media_joined' AND detail->>'identity' LIKE 'bot-%'`
      )[0]!.n,
    ),
    60,
  );
});

test('events no domain acts on (room_started, track_published) are answered without touching the database', async () => {
  const { call } = await (await raiseSos(hub.url, db.demo.station.credential, randomUUID())).json();
  const [row] = await db.sql`SELECT room_name FROM calls WHERE id = ${call.id}`;
  const ids = ['room_started', 'track_published'].map(() => `EV_${randomUUID()}`);
  for (const [i, event] of ['room_started', 'track_published'].entries()) {
    const r = await deliver(JSON.stringify({ event, room: { name: row!.room_name }, id: ids[i], createdAt: '1' }));
    assert.equal(r.status, 200);
    assert.equal((await r.json()).outcome, 'ignored');
  }
  assert.equal(Number((await db.sql`SELECT count(*)::int AS n FROM webhook_deliveries WHERE id = ANY(${ids})`)[0]!.n), 0);
});
