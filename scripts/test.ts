// `npm test`: starts PostgreSQL, LiveKit and pcscd once, then runs every test file with Node's
// test runner, one file at a time (the browser tests need both cores). Extra args filter the files.
// `npm run test:unit` (`--unit`): only the unit tests beside the code (`src/**/*.test.ts`), with no
// server started, two files at a time.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { startStack, type Stack } from './stack.ts';
import { watchSilence } from './test-watchdog.ts';
import { PROJECTS } from './workspaces.ts';

const root = join(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', 'dist', '.data', '.git']);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const args = process.argv.slice(2);
const unit = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));
const files = PROJECTS.flatMap((w) => testFiles(join(root, w)))
  .map((f) => relative(root, f))
  .filter((f) => !unit || f.split(sep).includes('src') || f.startsWith('scripts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files match');
  process.exit(1);
}

let stack: Stack | undefined;
let child: ChildProcess | undefined;
let stopping = false;
async function finish(code: number): Promise<never> {
  stopping = true;
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await stack?.stop();
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    if (!stopping) void finish(130);
  });

console.log(`node ${process.version}`);
if (!unit) {
  stack = await startStack('test');
  console.log(`test stack: database ${stack.env.TRAM_TEST_DATABASE_URL!.replace(/:[^:@/]+@/, ':***@')}, livekit ${stack.env.LIVEKIT_URL}`);
}
const code = await new Promise<number>((resolve) => {
  child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${unit ? 2 : 1}`, '--test-reporter=spec', ...files], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'inherit'],
    env: { ...process.env, ...stack?.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  });
  const unwatch = watchSilence(child, Number(process.env.TEST_SILENCE_MIN ?? 8) * 60_000);
  // 'close', not 'exit': the last of its output may still be in the pipe when it exits
  child.on('close', (c) => {
    unwatch();
    resolve(c ?? 1);
  });
});
await finish(code);
