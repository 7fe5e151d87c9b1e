// The deployment files, checked without a Docker engine or a kiosk PC: compose.yaml against the
// Compose schema and our rules, hub/Dockerfile (after `npm run build`), and the kiosk PC's systemd
// units with systemd-analyze.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCompose, checkDockerfile, interpolate } from '../../scripts/check-compose.ts';
import { repoRoot } from './support/env.ts';

test('compose.yaml is valid Compose, pinned, health-checked and documented', () => {
  assert.deepEqual(checkCompose(), []);
});

test('the compose checks catch a floating tag, a misspelt key, a missing health check and an undocumented variable', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tram-compose-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'compose.yaml');
  writeFileSync(
    file,
    `services:
  db:
    image: postgres:latest
    healtcheck: { test: ["CMD", "true"] }
  app:
    image: redis
    environment: { SECRET: "\${UNDOCUMENTED_SECRET:?set it}", LITERAL: "$$HOME" }
    depends_on: { db: { condition: service_healthy } }
`,
  );
  const problems = checkCompose(file, join(repoRoot, 'docs/deploy-hub.md')).join('\n');
  assert.match(problems, /image postgres:latest is not pinned/);
  assert.match(problems, /image redis is not pinned/);
  assert.match(problems, /healtcheck|additional properties/);
  assert.match(problems, /app waits for db to be healthy, but db has no health check/);
  assert.match(problems, /\$\{UNDOCUMENTED_SECRET\} is not documented/);
  assert.doesNotMatch(problems, /HOME/, '$$ is a literal dollar, not a variable');
});

test('interpolation follows docker compose: defaults, required values and $$', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax under test
  const r = interpolate('a ${A} b ${B:-x} c ${C:?need C} d $D e $$F', (n) => `<${n}>`);
  assert.equal(r.text, 'a <A> b <B> c <C> d <D> e $F');
  assert.deepEqual(r.vars, ['A', 'B', 'C', 'D']);
});

test('hub/Dockerfile: pinned base, non-root, health check, plain node, and every path it copies exists', async () => {
  assert.ok(
    existsSync(join(repoRoot, 'police-console/dist/index.html')),
    'run `npm run build` first (the image copies the console builds)',
  );
  assert.deepEqual(await checkDockerfile(), []);
});

test('the kiosk PC units are what docs/deploy-station.md promises, and systemd accepts them', (t) => {
  const agent = readFileSync(join(repoRoot, 'deploy/station/tram-agent.service'), 'utf8');
  for (const line of [
    'Restart=always',
    'User=tram',
    'EnvironmentFile=/etc/tram/agent.env',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ReadWritePaths=/var/lib/tram',
    'ExecStart=/usr/local/bin/node --enable-source-maps /opt/tram/station-agent/dist/main.js',
  ]) {
    assert.ok(agent.split('\n').includes(line), `tram-agent.service has ${line}`);
  }
  const kiosk = readFileSync(join(repoRoot, 'deploy/station/tram-kiosk.service'), 'utf8');
  assert.match(kiosk, /--kiosk[\s\S]*http:\/\/127\.0\.0\.1:8790\/\n/);
  assert.ok(kiosk.includes('User=kiosk') && kiosk.includes('Restart=always'));
  const policy = JSON.parse(readFileSync(join(repoRoot, 'deploy/station/chromium-policy.json'), 'utf8')) as Record<string, string[]>;
  assert.deepEqual(policy.VideoCaptureAllowedUrls, ['http://127.0.0.1:8790']);
  assert.match(
    readFileSync(join(repoRoot, 'deploy/station/agent.env.example'), 'utf8'),
    /^STATION_CREDENTIAL_FILE=\/etc\/tram\/station\.credential$/m,
  );

  if (spawnSync('systemd-analyze', ['--version']).status !== 0) return t.skip('systemd-analyze is not installed');
  // verify also checks that ExecStart binaries exist: point them at ones this machine has
  const dir = mkdtempSync(join(tmpdir(), 'tram-units-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of [
    ['tram-agent.service', agent],
    ['tram-kiosk.service', kiosk],
  ] as const) {
    writeFileSync(
      join(dir, name),
      text
        .replace('/usr/local/bin/node', process.execPath)
        .replace('/usr/bin/cage', '/usr/bin/env')
        .replace('EnvironmentFile=/etc/tram/agent.env', 'EnvironmentFile=-/etc/tram/agent.env'),
    );
  }
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', 'tram-agent.service', 'tram-kiosk.service'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const complaints = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('/tram-') || /unknown|invalid|failed/i.test(l));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(complaints, []);
});
