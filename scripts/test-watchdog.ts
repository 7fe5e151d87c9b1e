// A test file whose event loop is blocked (a native call that never returns) cannot time itself
// out: Node's --test-timeout is a timer in that same process. The runner passes the test output
// through here; after `limitMs` without a line, the file processes under the runner (and
// everything they started) are killed, so that file fails and the run goes on instead of hanging.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { descendants } from './procs.ts';

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 200);
  } catch {
    return '?';
  }
};

/** Forwards `runner`'s stdout to ours and kills what runs under it after `limitMs` of silence. */
export function watchSilence(
  runner: ChildProcess,
  limitMs: number,
  write: (s: string | Buffer) => unknown = (s) => process.stdout.write(s),
): () => void {
  let last = Date.now();
  runner.stdout?.on('data', (d: Buffer) => {
    last = Date.now();
    write(d);
  });
  const timer = setInterval(
    () => {
      if (Date.now() - last < limitMs || runner.pid === undefined) return;
      const pids = descendants(runner.pid);
      write(`\ntest watchdog: no test output for ${Math.round(limitMs / 1000)} s; killing what runs under the test runner:\n`);
      for (const p of pids) write(`  ${p} ${cmdline(p)}\n`);
      for (const p of pids) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      last = Date.now();
    },
    Math.min(limitMs, 15_000),
  );
  timer.unref();
  return () => clearInterval(timer);
}
