// `npm run build:station`: the kiosk PC's install package, dist/tram-station.tar.gz. It holds the
// compiled agent (station-agent/dist/main.js), the kiosk page (station-ui/dist), the agent's
// production node_modules installed from package-lock.json (native addons compiled here, so build
// on the same Debian release and CPU as the kiosk) and deploy/station. Unpacked at /opt/tram it
// runs as `node /opt/tram/station-agent/dist/main.js` (docs/deploy-station.md).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { bundles, buildBundle } from './build-bundles.ts';

const root = join(import.meta.dirname, '..');
const out = join(root, 'dist/tram-station.tar.gz');

if (!existsSync(join(root, 'station-ui/dist/index.html'))) {
  console.error('station-ui/dist is missing: run `npm run build` first');
  process.exit(1);
}
await buildBundle(bundles.find((b) => b.name === 'agent')!);

const stage = mkdtempSync(join(tmpdir(), 'tram-station-'));
try {
  // The workspace manifests and the lockfile, so `npm ci` installs exactly the locked versions, and
  // the postinstall those manifests name.
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
  for (const f of ['package.json', 'package-lock.json', 'scripts/patch-deps.mjs', ...workspaces.map((w) => `${w}/package.json`)]) {
    mkdirSync(dirname(join(stage, f)), { recursive: true });
    cpSync(join(root, f), join(stage, f));
  }
  execFileSync('npm', ['ci', '--omit=dev', '-w', '@tram/station-agent', '--no-audit', '--no-fund'], { cwd: stage, stdio: 'inherit' });
  // the bundle carries our own packages: their links and the other manifests are not needed
  rmSync(join(stage, 'node_modules/@tram'), { recursive: true, force: true });
  for (const w of workspaces.filter((x) => x !== 'station-agent')) rmSync(join(stage, w), { recursive: true, force: true });
  rmSync(join(stage, 'packages'), { recursive: true, force: true });
  rmSync(join(stage, 'scripts'), { recursive: true, force: true });
  for (const d of ['station-agent/dist', 'station-ui/dist', 'deploy/station']) cpSync(join(root, d), join(stage, d), { recursive: true });
  mkdirSync(dirname(out), { recursive: true });
  execFileSync('tar', ['-czf', out, '--owner=0', '--group=0', '-C', stage, '.']);
  console.log(`built ${relative(root, out)}`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
