// `npx tsx scripts/screenshots.ts [--no-run]`: the screenshots of the screens changed for the
// human-factors pass (issue 15), made by the browser tests themselves in real Chromium (kiosk:
// portrait 1080x1920 and landscape 1920x1080, Vietnamese and English; the clinician console, whose
// labels carry both languages, at both sizes and at 1280x800), copied to docs/screenshots/ for
// review. The tests check each screen with axe-core as they take it. `--no-run` only copies what
// the last test run left in test-output/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, 'docs/screenshots');
const TESTS = ['station-ui/test/kiosk-human', 'clinician-console/test/consult-e2e'];

/** Screens of test-output/screens/, each in portrait and landscape. */
const SCREENS = [
  'kiosk-consult-connecting-vi',
  'kiosk-consult-connecting-en',
  'kiosk-consult-camera-off-vi',
  'kiosk-consult-camera-off-en',
  'kiosk-consult-hangup-confirm-vi',
  'kiosk-consult-hangup-confirm-en',
  'kiosk-consult-advice-marked-en',
  'clinician-in-call',
  'clinician-muted',
  'clinician-note-saved',
  'clinician-end-confirm',
];
/** Single shots of test-output/screenshots/. */
const SHOTS = ['consult-e2e-1280x800'];

if (!process.argv.includes('--no-run')) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/test.ts'), ...TESTS], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error('the tests that take the screenshots failed: nothing copied');
    process.exit(1);
  }
}
mkdirSync(out, { recursive: true });
const missing: string[] = [];
const copy = (from: string, name: string) => {
  if (existsSync(from)) copyFileSync(from, join(out, name));
  else missing.push(from);
};
for (const s of SCREENS)
  for (const tag of ['portrait', 'landscape']) copy(join(root, 'test-output/screens', `${s}-${tag}.png`), `${s}-${tag}.png`);
for (const s of SHOTS) copy(join(root, 'test-output/screenshots', `${s}.png`), `${s}.png`);
if (missing.length) {
  console.error(`missing:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`${SCREENS.length * 2 + SHOTS.length} screenshots in ${out}`);
