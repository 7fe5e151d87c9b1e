// A private redis-server on loopback (Debian's package, installed by preflight), for the LiveKit
// cluster in tests and for `npm run start:cluster` on a machine without a Redis of its own.
// Nothing is persisted: LiveKit keeps only live room placement in it.
import { spawn } from 'node:child_process';
import { waitForPort } from './livekit.ts';

export interface RunningRedis {
  address: string;
  password: string | undefined;
  stop(): Promise<void>;
}

export async function startRedis(o: { port: number; password?: string }): Promise<RunningRedis> {
  const args = ['--port', String(o.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'];
  // The password goes through stdin-free config: redis-server reads `--requirepass` from argv,
  // visible to local users; this server is loopback-only and lives as long as the test run.
  if (o.password) args.push('--requirepass', o.password);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let exited = false;
  const exitedEarly = new Promise<never>((_, reject) =>
    child.once('exit', (code) => {
      exited = true;
      reject(new Error(`redis-server exited with code ${code}`));
    }),
  );
  child.once('error', () => {});
  await Promise.race([waitForPort(o.port, 10_000), exitedEarly]);
  exitedEarly.catch(() => {});
  return {
    address: `127.0.0.1:${o.port}`,
    password: o.password,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
