// A station's credential when many requests of it arrive at once (an agent's retries share one
// database lookup, stations/service.ts): each request's secret is still checked on its own, and a
// rotated credential holds from the next request on (nothing of the shared lookup is kept).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from './support/env.ts';
import { rotateStationCredential, stationByCredential } from '../src/stations/service.ts';

let db: Awaited<ReturnType<typeof freshDatabase>>;
before(async () => {
  db = await freshDatabase();
});
after(async () => {
  await db.drop();
});

test('concurrent requests of one station: the right secret passes, a wrong one fails, whatever arrives together', async () => {
  const good = `Station ${db.demo.station.credential}`;
  const wrong = `Station ${db.demo.station.code}:${'x'.repeat(32)}`;
  const headers = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? wrong : good));
  const seen = await Promise.all(headers.map((h) => stationByCredential(db.sql, h)));
  headers.forEach((h, i) => {
    if (h === good) assert.equal(seen[i]?.id, db.demo.station.id, `request ${i} with the station's credential`);
    else assert.equal(seen[i], null, `request ${i} with a wrong secret`);
  });
});

test('a rotated credential: the old one is refused from the next request on, even right after a burst', async () => {
  const old = `Station ${db.demo.station.credential}`;
  const burst = Promise.all(Array.from({ length: 10 }, () => stationByCredential(db.sql, old)));
  const rotated = await rotateStationCredential(db.sql, db.demo.station.id);
  await burst;
  assert.ok(rotated);
  const [withOld, withNew] = await Promise.all([
    stationByCredential(db.sql, old),
    stationByCredential(db.sql, `Station ${rotated.credential}`),
  ]);
  assert.equal(withOld, null, 'the old credential no longer works');
  assert.equal(withNew?.id, db.demo.station.id, 'the new one does');
});
