/**
 * Test helpers shared by the device tests: reading collectors, chunking,
 * seeded garbage, and a real pseudo-terminal pair made with socat.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tty from 'node:tty';
import type { TestContext } from 'node:test';
import type { DecoderOptions, DecoderStats, DeviceStatus, Reading } from '@tram/station-agent/devices/common.ts';
import { prng, runSimulator, type DeviceSimulator } from './simulators.ts';

export const FIXED_NOW = new Date('2025-01-02T03:04:05.000Z');

export interface Sink {
  readings: Reading[];
  statuses: DeviceStatus[];
  writes: Uint8Array[];
  opts: DecoderOptions;
}

/** Decoder options that record everything, with a fixed clock. */
export function sink(): Sink {
  const s: Sink = {
    readings: [],
    statuses: [],
    writes: [],
    opts: {
      onReading: (r) => s.readings.push(r),
      onStatus: (st) => s.statuses.push(st),
      write: (b) => s.writes.push(Uint8Array.from(b)),
      now: () => FIXED_NOW,
    },
  };
  return s;
}

interface Pushable {
  push(chunk: Uint8Array): void;
  readonly stats: DecoderStats;
}

/**
 * Feed `bytes` split in two at every possible boundary, and once one byte at
 * a time; `check` sees each fresh decoder's output and must match the
 * single-chunk result.
 */
export function forEverySplit<D extends Pushable>(
  bytes: Uint8Array,
  make: (s: Sink) => D,
  check: (s: Sink, d: D, how: string) => void,
): void {
  for (let i = 1; i < bytes.length; i++) {
    const s = sink();
    const d = make(s);
    d.push(bytes.subarray(0, i));
    d.push(bytes.subarray(i));
    check(s, d, `split at ${i}`);
  }
  const s = sink();
  const d = make(s);
  for (let i = 0; i < bytes.length; i++) d.push(bytes.subarray(i, i + 1));
  check(s, d, 'byte at a time');
}

/** Deterministic random bytes, optionally avoiding some values (e.g. sync bytes). */
export function garbage(n: number, seed = 7, avoid: readonly number[] = []): Uint8Array {
  const rnd = prng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let b: number;
    do b = Math.floor(rnd() * 256);
    while (avoid.includes(b));
    out[i] = b;
  }
  return out;
}

/** Push `total` bytes of garbage in 4 KiB chunks and return the largest buffer seen. */
export function maxBufferUnderGarbage(d: Pushable & { readonly bufferedBytes: number }, total = 2_000_000, seed = 3): number {
  let max = 0;
  const chunk = 4096;
  for (let sent = 0, k = 0; sent < total; sent += chunk, k++) {
    d.push(garbage(chunk, seed + k));
    max = Math.max(max, d.bufferedBytes);
  }
  return max;
}

export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ------------------------------------------------------------- socat ptys ----

export function findSocat(): string | undefined {
  // TRAM_SOCAT pins the binary (or, pointed at a missing path, exercises the skip branch).
  const pinned = process.env['TRAM_SOCAT'];
  if (pinned !== undefined) return fs.existsSync(pinned) ? pinned : undefined;
  const r = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  if (!r.error) return 'socat';
  return fs.existsSync('/usr/bin/socat') ? '/usr/bin/socat' : undefined;
}

export interface PtyEnd {
  onData(cb: (b: Uint8Array) => void): void;
  write(bytes: Uint8Array): void;
  close(): void;
}

/** Open one end of the pair with node:fs streams (read) and a write fd. */
export function openPtyEnd(p: string): PtyEnd {
  const flags = fs.constants.O_RDWR | fs.constants.O_NOCTTY;
  // O_NOCTTY: a test process must never adopt the pty as its controlling terminal. A tty stream
  // polls the fd on the event loop; a file stream would park one libuv pool thread per pending
  // read, and with more ptys than pool threads (4) every write would wait forever.
  const rs = new tty.ReadStream(fs.openSync(p, flags));
  // EIO when socat exits under a pending read is the normal way this ends.
  rs.on('error', () => {});
  const ws = new tty.WriteStream(fs.openSync(p, flags));
  ws.on('error', () => {});
  return {
    onData: (cb) => rs.on('data', (b) => cb(b as Buffer)),
    write: (bytes) => void ws.write(Buffer.from(bytes)),
    close: () => {
      rs.destroy();
      ws.destroy();
    },
  };
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Create `socat pty,raw,echo=0,link=$DIR/a pty,raw,echo=0,link=$DIR/b`, run
 * `fn` with the two link paths, and always kill socat and remove the dir.
 * Skips the test (with a message) only when socat is not installed.
 */
export async function withSocatPair(t: TestContext, fn: (a: string, b: string) => Promise<void>): Promise<void> {
  const socat = findSocat();
  if (!socat) {
    t.skip('socat not found (checked TRAM_SOCAT, PATH, /usr/bin/socat): pty end-to-end test skipped');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tram-pty-'));
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  const proc = spawn(socat, ['-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  try {
    await waitFor(() => (fs.existsSync(a) && fs.existsSync(b)) || proc.exitCode !== null, 5000, 'socat links');
    if (proc.exitCode !== null) throw new Error(`socat exited early (${proc.exitCode}): ${stderr}`);
    await fn(a, b);
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const timeout = setTimeout(() => proc.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timeout);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * End-to-end over a real pty pair: the simulator writes into end `a` and
 * reads host commands from it; the decoder reads end `b` and writes its
 * commands to `b`. Resolves once `done()` holds.
 */
export async function ptyLoop<D extends Pushable>(
  t: TestContext,
  sim: DeviceSimulator,
  make: (write: (b: Uint8Array) => void, s: Sink) => D,
  opts: {
    done: (s: Sink, d: D) => boolean;
    afterOpen?: (d: D) => void;
    beforeClose?: (d: D) => void;
    speed?: number;
    timeoutMs?: number;
  },
): Promise<{ s: Sink; d: D; bytesIn: number } | undefined> {
  let result: { s: Sink; d: D; bytesIn: number } | undefined;
  await withSocatPair(t, async (a, b) => {
    const dev = openPtyEnd(a);
    const host = openPtyEnd(b);
    const s = sink();
    const d = make((bytes) => host.write(bytes), s);
    let bytesIn = 0;
    let opened = false;
    host.onData((bytes) => {
      bytesIn += bytes.length;
      d.push(bytes);
    });
    dev.onData((bytes) => sim.receive(bytes));
    const run = runSimulator(sim, (bytes) => dev.write(bytes), { speed: opts.speed ?? 1 });
    try {
      // Let both read streams open before the host talks.
      await new Promise((r) => setTimeout(r, 50));
      opts.afterOpen?.(d);
      opened = true;
      await waitFor(() => opts.done(s, d), opts.timeoutMs ?? 8000, `decoded data from ${sim.device}`);
      result = { s, d, bytesIn };
    } finally {
      if (opened) opts.beforeClose?.(d);
      run.stop();
      dev.close();
      host.close();
    }
  });
  return result;
}
