import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { watchSilence } from './test-watchdog.ts';

// A stand-in for the test runner: it starts a "test file" whose event loop is blocked for good
// (as a native call that never returns leaves it), waits for it and reports how it ended.
const runnerScript = `
const { spawn } = require('node:child_process');
const file = spawn(process.execPath, ['-e', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)'], { stdio: 'inherit' });
console.log('file started');
file.on('exit', (code, signal) => console.log('file ended ' + signal));
`;

test('a test file that blocks its event loop is killed after the silence limit and the runner goes on', async () => {
  const runner = spawn(process.execPath, ['-e', runnerScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const started = Date.now();
  const unwatch = watchSilence(runner, 1000, (s) => (out += s));
  const code = await new Promise((r) => runner.once('close', r));
  unwatch();
  assert.equal(code, 0);
  assert.match(out, /^file started\n/);
  assert.match(out, /test watchdog: no test output for 1 s; killing what runs under the test runner:\n\s+\d+ .*Atomics\.wait/);
  assert.match(out, /file ended SIGKILL\n$/);
  assert.ok(Date.now() - started < 10_000);
});

test('a runner that keeps printing is left alone', async () => {
  const runner = spawn(
    process.execPath,
    ['-e', 'let n = 0; const t = setInterval(() => { console.log(n++); if (n === 8) clearInterval(t); }, 250)'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  const unwatch = watchSilence(runner, 1000, (s) => (out += s));
  await new Promise((r) => runner.once('close', r));
  unwatch();
  assert.equal(out, '0\n1\n2\n3\n4\n5\n6\n7\n');
});
