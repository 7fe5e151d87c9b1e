// A running pcscd for the card tests: the vsmartcard-vpcd driver it loads listens on
// 127.0.0.1:35963 for a virtual card. Reuses a pcscd that already runs; one it starts is stopped by
// stop(), and killed when this process exits any other way (Ctrl+C, an error), so no pcscd a
// test or bench started outlives it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { waitForPort } from '../media/livekit.ts';

export const VPCD_PORT = 35963;

export async function ensurePcscd(): Promise<{ stop(): Promise<void> }> {
  if (spawnSync('pgrep', ['-x', 'pcscd']).status === 0) return { stop: async () => {} };
  if (!existsSync('/usr/sbin/pcscd')) throw new Error('pcscd is not installed: run npm run preflight');
  const child: ChildProcess = spawn('/usr/sbin/pcscd', ['--foreground', '--error'], { stdio: 'ignore' });
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  try {
    await waitForPort(VPCD_PORT, 10_000);
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
