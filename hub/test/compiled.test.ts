// Production runs compiled JavaScript: build the bundles as `npm run build` does, then start
// `node hub/dist/main.js` and `node station-agent/dist/main.js` — plain node, no TypeScript
// loader, from another working directory — and use them as an operator and a kiosk would.
import { AGENT_KEY } from '@tram/contracts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, hubEnv, login, repoRoot } from './support/env.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { freePort } from '../../scripts/ports.ts';
import { deferrer } from '@tram/testing/teardown.ts';

/** The environment without anything that would load tsx into the child. */
function plainNode(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const e = { ...env };
  delete e.NODE_OPTIONS;
  return e;
}

async function until(child: ChildProcess, url: string, what: string): Promise<Response> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return r;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null) return r();
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

test('the compiled hub and agent run on plain node: health, staff login, kiosk page and its hub calls', async (t) => {
  const defer = deferrer(t);
  execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/build-bundles.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const f of ['hub/dist/main.js', 'hub/dist/admin.js', 'hub/dist/migrations/001_foundation.sql', 'station-agent/dist/main.js']) {
    assert.ok(existsSync(join(repoRoot, f)), `${f} was built`);
  }
  assert.ok(existsSync(join(repoRoot, 'station-ui/dist/index.html')), 'the kiosk page is built (npm run build)');

  const db = await freshDatabase();
  defer(() => db.drop());
  const elsewhere = mkdtempSync(join(tmpdir(), 'tram-compiled-'));
  defer(() => rmSync(elsewhere, { recursive: true, force: true }));

  const env = plainNode(hubEnv(db.url));
  const hub = spawn(process.execPath, [join(repoRoot, 'hub/dist/main.js')], {
    cwd: elsewhere,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  defer(() => stop(hub));
  const hubUrl = `http://127.0.0.1:${env.PORT}`;
  const health = await until(hub, `${hubUrl}/healthz`, 'the compiled hub');
  assert.equal(health.status, 200);
  assert.ok(await login(hubUrl, 'canbo.an', DEMO_PASSWORD), 'a demo officer signs in');

  const agentPort = await freePort();
  const agent = spawn(process.execPath, [join(repoRoot, 'station-agent/dist/main.js')], {
    cwd: elsewhere,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: plainNode({
      ...process.env,
      HUB_URL: hubUrl,
      AGENT_PORT: String(agentPort),
      STATION_CREDENTIAL: db.demo.station.credential,
      AGENT_DATA_DIR: join(elsewhere, 'agent'),
      CARD_READER: 'off',
    }),
  });
  defer(() => stop(agent));
  const page = await until(agent, `http://127.0.0.1:${agentPort}/`, 'the compiled agent');
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  const html = await page.text();
  assert.match(html, /<div id=/);
  // the kiosk's call through the agent (with the key only its page carries) reaches the compiled hub
  const key = new RegExp(`<meta name="${AGENT_KEY.meta}" content="([^"]+)"`).exec(html)?.[1];
  assert.ok(key, 'the served page carries the agent key');
  const availability = await fetch(`http://127.0.0.1:${agentPort}/api/consults/availability`, { headers: { [AGENT_KEY.header]: key } });
  assert.equal(availability.status, 200);
  assert.equal(typeof (await availability.json()).available, 'number');
});
