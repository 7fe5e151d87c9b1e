// A kiosk flooding the hub with SOS presses, each with a new Idempotency-Key, from its own process
// (as it would be its own machine): its client work must not delay the measuring process's clock.
// Used by hub/test/sos-flood.test.ts and scripts/bench/sos-flood.ts.
import { spawn } from 'node:child_process';

const FLOOD = `
let stop = false, retryAfter = null;
const statuses = {};
const minEach = Number(process.env.MIN_EACH);
process.stdin.on('data', () => { stop = true; });
await Promise.all(Array.from({ length: Number(process.env.WORKERS) }, async () => {
  let sent = 0;
  while (!stop || sent < minEach) {
    const r = await fetch(process.env.HUB + '/api/calls', { method: 'POST', body: '{"kind":"sos"}', headers: {
      authorization: 'Station ' + process.env.CRED, 'idempotency-key': crypto.randomUUID(), 'content-type': 'application/json' } });
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status === 429) retryAfter ??= r.headers.get('retry-after');
    await r.body?.cancel();
    sent++;
  }
}));
process.stdout.write(JSON.stringify({ statuses, retryAfter }));
process.exit(0);
`;

export interface FloodResult {
  /** responses by HTTP status */
  statuses: Record<string, number>;
  /** the first 429's Retry-After */
  retryAfter: string | null;
  total: number;
}

/** Starts `workers` concurrent loops of SOS presses; stop() ends them once each sent `minEach`. */
export function startFlood(hubUrl: string, credential: string, o: { workers?: number; minEach?: number } = {}) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', FLOOD], {
    env: { ...process.env, HUB: hubUrl, CRED: credential, WORKERS: String(o.workers ?? 8), MIN_EACH: String(o.minEach ?? 125) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  const done = new Promise<FloodResult>((res, rej) =>
    child.once('exit', (code) => {
      if (code !== 0) return rej(new Error(`the flood client exited with ${code}`));
      const r = JSON.parse(out) as Omit<FloodResult, 'total'>;
      res({ ...r, total: Object.values(r.statuses).reduce((a, b) => a + b, 0) });
    }),
  );
  return {
    stop(): Promise<FloodResult> {
      child.stdin!.end('stop');
      return done;
    },
  };
}
