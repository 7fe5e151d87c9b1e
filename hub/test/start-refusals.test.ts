// `npm start` against real infrastructure: a DATABASE_URL gets no demo accounts, and an external
// LiveKit with the published development secret is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { emptyDatabase } from './support/empty-database.ts';
import { repoRoot } from './support/env.ts';
import { DEV_SECRET } from '../src/config.ts';
import { deferrer } from '@tram/testing/teardown.ts';

/** scripts/start.ts (what `npm start` runs after its preflight and build), with `env` over ours. */
function start(env: Record<string, string | undefined>) {
  const merged: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/start.ts')], {
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

test('npm start with DATABASE_URL seeds no staff and says how to create the first admin', async (t) => {
  const defer = deferrer(t);
  const db = await emptyDatabase();
  defer(() => db.drop());
  const s = start({
    DATABASE_URL: db.url,
    PORT: process.env.TRAM_TEST_HUB_PORT!,
    STATION_CREDENTIAL: undefined,
    STATION_CREDENTIAL_FILE: undefined,
  });
  defer(async () => {
    s.child.kill('SIGTERM');
    await s.exited;
  });
  const deadline = Date.now() + 60_000;
  while (!s.output().includes('Press Ctrl+C to stop.')) {
    if (s.child.exitCode !== null) assert.fail(`npm start exited with ${s.child.exitCode}:\n${s.output()}`);
    if (Date.now() > deadline) assert.fail(`npm start did not come up:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const out = s.output();
  assert.match(out, /npm run admin -- create-admin <username>/);
  assert.doesNotMatch(out, /tram-demo-2025|Demo logins/);
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM staff`)[0]!.n, 0);
  assert.equal((await db.sql`SELECT count(*)::int AS n FROM stations`)[0]!.n, 0);
  // the hub it started is up, on the migrated database
  assert.equal((await fetch(`http://127.0.0.1:${process.env.TRAM_TEST_HUB_PORT}/healthz`)).status, 200);
});

test('npm start refuses an external LiveKit with the public development secret, or none', async () => {
  // an unset secret is refused too: start would otherwise fall back to the development one
  for (const secret of [DEV_SECRET, undefined]) {
    const s = start({
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      LIVEKIT_URL: process.env.LIVEKIT_URL,
      LIVEKIT_API_SECRET: secret,
    });
    assert.equal(await s.exited, 1, s.output());
    assert.match(s.output(), /refusing to use the LiveKit server at http:\/\/127\.0\.0\.1:\d+.*public development secret/);
  }
});
