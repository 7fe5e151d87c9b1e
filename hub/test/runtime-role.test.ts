// The hub serves as a role that cannot rewrite the audit trail or change the schema; migrations
// and grants run as the owner (MIGRATION_DATABASE_URL). A whole hub runs on that role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { emptyDatabase } from './support/empty-database.ts';
import { login, raiseSos, startTestHub } from './support/env.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/seed.ts';
import { connectDb } from '../src/db/client.ts';

let db: Awaited<ReturnType<typeof emptyDatabase>>;
let runtimeUrl: string;
const role = `tram_rt_${randomBytes(4).toString('hex')}`;

before(async () => {
  db = await emptyDatabase();
  const password = randomBytes(12).toString('hex');
  await db.sql.unsafe(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  const u = new URL(db.url);
  u.username = role;
  u.password = password;
  runtimeUrl = u.toString();
});
after(async () => {
  const name = new URL(db.url).pathname.slice(1);
  await db.drop();
  const admin = postgres(process.env.TRAM_TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  await admin.unsafe(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
});

test('a hub on the runtime role works; that role can only append to audit_log and cannot create tables', async () => {
  const hub = await startTestHub(runtimeUrl, { MIGRATION_DATABASE_URL: db.url });
  const rt = connectDb(runtimeUrl, 1);
  try {
    const demo = await seedDemo(db.sql); // as the owner, after the hub migrated
    assert.equal((await raiseSos(hub.url, demo.station.credential, randomUUID())).status, 201);
    assert.ok(await login(hub.url, 'quantri', DEMO_PASSWORD), 'login writes a session and an audit row as the runtime role');

    await rt`INSERT INTO audit_log (actor, action, subject) VALUES ('test', 'probe', 'x')`;
    assert.ok((await rt`SELECT count(*)::int AS n FROM audit_log`)[0]!.n >= 2);
    await assert.rejects(rt`UPDATE audit_log SET action = 'rewritten'`, /permission denied/);
    await assert.rejects(rt`DELETE FROM audit_log`, /permission denied/);
    await assert.rejects(rt`TRUNCATE audit_log`, /permission denied/);
    await assert.rejects(rt`CREATE TABLE evil (x int)`, /permission denied/);
    await assert.rejects(rt`DROP TABLE calls`, /must be owner|permission denied/);
    await assert.rejects(rt`DELETE FROM schema_migrations`, /permission denied/);
  } finally {
    await rt.end({ timeout: 2 });
    await hub.stop();
  }
});
