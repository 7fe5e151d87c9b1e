// `npm test`: starts PostgreSQL and LiveKit once, then runs every test file with Node's test
// runner, one file at a time (the browser tests need both cores). Extra args filter the files.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startStack } from './stack.ts';

const root = join(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', 'dist', '.data', '.git']);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const filters = process.argv.slice(2);
const files = ['packages/contracts', 'packages/icao', 'packages/testing', 'packages/console-ui', 'hub', 'station-agent', 'station-ui', 'police-console', 'clinician-console']
  .flatMap((w) => testFiles(join(root, w)))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) { console.error('no test files match'); process.exit(1); }

const stack = await startStack('test');
console.log(`test stack: database ${stack.env.TRAM_TEST_DATABASE_URL!.replace(/:[^:@/]+@/, ':***@')}, livekit ${stack.env.LIVEKIT_URL}`);
const code = await new Promise<number>((resolve) => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
    cwd: root, stdio: 'inherit', env: { ...process.env, ...stack.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  });
  child.on('exit', (c) => resolve(c ?? 1));
});
await stack.stop();
process.exit(code);
