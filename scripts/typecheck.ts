// `npm run typecheck`: every workspace's tsconfig (sources and tests), two at a time (one tsc per
// core); prints each project's errors and exits 1 if any project fails.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { PROJECTS } from './workspaces.ts';

const root = join(import.meta.dirname, '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

function check(project: string): Promise<{ project: string; ok: boolean; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: root });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => resolve({ project, ok: code === 0, out }));
  });
}

const queue = [...PROJECTS];
const failed: string[] = [];
await Promise.all(
  Array.from({ length: Math.min(2, availableParallelism()) }, async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      const r = await check(p);
      if (!r.ok) failed.push(p);
      process.stdout.write(r.ok ? `typecheck ${p}: ok\n` : `typecheck ${p}: FAILED\n${r.out}`);
    }
  }),
);
process.exit(failed.length ? 1 : 0);
