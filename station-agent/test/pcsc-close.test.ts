// Closing a PC/SC context right after a reader event returns. pcsc-lite drops a cancel that comes
// while the monitor thread is between two waits, and the binding's stop() then blocks the event
// loop for good: the installer's card command never exits and the agent cannot shut down. The
// closes run in a child process, so a hang is a failure here and not a stuck test run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CardMonitor } from '../src/card/card-monitor.ts';
import { readerEmpty, vpcdReader } from './vpcd-reader.ts';

const root = join(import.meta.dirname, '../..');
const ROUNDS = 20;
let monitor: CardMonitor;
let readerName: string;

before(async () => {
  ({ monitor, readerName } = await vpcdReader());
});
after(async () => {
  await readerEmpty(monitor, readerName);
  await monitor.close();
});

test(`closing a context as a reader event lands returns, ${ROUNDS} times in a row`, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'pcsc-close-child.ts'), String(ROUNDS)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // each round takes a few hundred ms; a hung close never returns
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const code = await exited;
  clearTimeout(timer);
  const closed = out.match(/closed \d+/g) ?? [];
  assert.equal(closed.length, ROUNDS, `close() hung after ${closed.length} of ${ROUNDS} rounds\n${err}`);
  assert.equal(code, 0, err);
});
