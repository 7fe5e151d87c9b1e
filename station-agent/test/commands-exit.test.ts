// Every command ends: the installer's card command and the card bench exit by themselves when
// their work is done, and on Ctrl+C, leaving no process behind (no pcscd, PostgreSQL or
// livekit-server they started). Each runs as a user would start it (`tsx <script>`), in its own
// process group; Ctrl+C is SIGINT to that group, as a terminal sends it.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { VpcdCard } from '@tram/testing/card/vpcd-card.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';
import type { CardMonitor } from '../src/card/card-monitor.ts';
import { PORT, readerEmpty, vpcdReader } from './vpcd-reader.ts';

const root = join(import.meta.dirname, '../..');
const tsxCli = join(root, 'node_modules/tsx/dist/cli.mjs');

interface Run {
  child: ChildProcess;
  mark: string;
  /** The bench's temp dirs (PostgreSQL data, LiveKit config, its work dir) that existed before it started. */
  dirsBefore: Set<string>;
  out: string[];
  err: string[];
  /** Resolves with how it ended and when. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Resolves when a line matching `re` appears on stdout or stderr. */
  line(re: RegExp, timeoutMs: number): Promise<string>;
}

/** Starts `tsx <args>` in its own process group; every descendant inherits a unique env mark. */
function start(args: string[], env: Record<string, string> = {}): Run {
  const mark = randomUUID();
  const dirsBefore = new Set(benchDirs());
  const child = spawn(process.execPath, [tsxCli, ...args], {
    cwd: root,
    detached: true, // its own process group, like a command started from a shell
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, TRAM_COMMAND_MARK: mark },
  });
  const out: string[] = [];
  const err: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const take = (into: string[]) => (chunk: Buffer) => {
    for (const l of chunk.toString().split('\n').filter(Boolean)) {
      into.push(l);
      for (const w of waiters.filter((x) => x.re.test(l))) w.resolve(l);
    }
  };
  child.stdout!.on('data', take(out));
  child.stderr!.on('data', take(err));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  running.add(child);
  void ended.then(() => running.delete(child));
  return {
    child,
    mark,
    dirsBefore,
    out,
    err,
    ended,
    line: (re, timeoutMs) => {
      const seen = [...out, ...err].find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`no line matching ${re} within ${timeoutMs} ms; stderr:\n${err.join('\n')}`)),
          timeoutMs,
        );
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(t);
            resolve(l);
          },
        });
      });
    },
  };
}

/** Ends within `ms`, or fails the test (and the process group is killed in afterEach). */
async function endsWithin(run: Run, ms: number, what: string) {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still running after ${ms} ms; stderr:\n${run.err.join('\n')}`)), ms);
  });
  try {
    return await Promise.race([run.ended, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Processes still alive that descend from the run: same process group, or carrying its env mark. */
function leftovers(run: Run): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue; // a zombie is already dead (its parent reaps it)
      const sameGroup = Number(fields[2]) === run.child.pid;
      const marked = readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`TRAM_COMMAND_MARK=${run.mark}`);
      if (sameGroup || marked) found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ')}`);
    } catch {
      // gone while we looked
    }
  }
  return found;
}

const benchDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('tram-bench-card-'));

/**
 * Children exit asynchronously after a SIGTERM; give them a moment before calling them leftovers.
 * After Ctrl+C only processes are checked: the tsx CLI SIGKILLs its child when that child does not
 * acknowledge the signal within ~60 ms (busy with crypto on a loaded machine), and then its temp
 * dirs stay; every process still ends, as the terminal signals the whole group.
 */
async function noLeftovers(run: Run, opts: { dirs: boolean }) {
  let left = leftovers(run);
  for (let i = 0; i < 20 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    left = leftovers(run);
  }
  assert.deepEqual(left, [], 'processes left behind');
  // the bench's cleanup ran to its end: its PostgreSQL data and work dirs are gone too
  if (opts.dirs)
    assert.deepEqual(
      benchDirs().filter((d) => !run.dirsBefore.has(d)),
      [],
      'temp dirs left behind',
    );
}

const running = new Set<ChildProcess>();
let monitor: CardMonitor;
let readerName: string;
const cards: VpcdCard[] = [];

before(async () => {
  ({ monitor, readerName } = await vpcdReader());
});

afterEach(async () => {
  for (const c of running)
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  while (cards.length)
    await cards
      .pop()!
      .remove()
      .catch(() => {});
  await readerEmpty(monitor, readerName);
});

after(async () => {
  await monitor.close();
});

describe('commands end by themselves and on Ctrl+C', () => {
  it('npm run card -- read: prints the identity, exits 0, leaves nothing running', async () => {
    const v = virtualCccd({ doc: { aaKey: 'none' } });
    const card = new VpcdCard({ chip: v.chip, port: PORT });
    cards.push(card);
    const inserted = monitor.next('card-inserted', { reader: readerName, timeoutMs: 5000 });
    await card.insert();
    await inserted;
    const run = start([
      'station-agent/src/card/diag.ts',
      'read',
      '--id',
      v.access.idNumber,
      '--dob',
      v.access.dateOfBirth,
      '--expiry',
      v.access.dateOfExpiry,
      '--reader',
      readerName,
      '--wait',
      '0',
    ]);
    const end = await endsWithin(run, 60_000, 'the card command');
    assert.equal(end.code, 0, run.err.join('\n'));
    assert.equal(JSON.parse(run.out.at(-1)!).identity.fullName, v.doc.person.fullName);
    await noLeftovers(run, { dirs: true });
  });

  it('npm run card -- read, Ctrl+C while it waits for a card: exits 130 at once, leaves nothing running', async () => {
    const run = start(['station-agent/src/card/diag.ts', 'read', '--can', '123456', '--reader', readerName, '--wait', '300']);
    await run.line(/waiting for a card/, 60_000);
    const sent = performance.now();
    process.kill(-run.child.pid!, 'SIGINT');
    const end = await endsWithin(run, 10_000, 'the card command after Ctrl+C');
    assert.equal(end.code, 130);
    assert.ok(end.at - sent < 5000, `took ${Math.round(end.at - sent)} ms`);
    assert.deepEqual(run.out, [], 'nothing printed as a result');
    await noLeftovers(run, { dirs: false });
  });

  it('npm run bench -- card (1+1 reads): prints its result and exits by itself, leaving nothing running', async () => {
    const run = start(['scripts/bench.ts', 'card', '--reads=1']);
    const result = JSON.parse(await run.line(/^\{"bench":"card"/, 180_000));
    const printed = performance.now();
    assert.equal(result.reads, 2);
    // the bug this guards against: the result was printed, and the process never exited
    // stopping the bench's stack (hub, LiveKit, PostgreSQL) takes a while on a loaded machine; never is the bug
    const end = await endsWithin(run, 60_000, 'the card bench after printing its result');
    assert.equal(end.code, 0, run.err.join('\n'));
    assert.ok(end.at - printed < 60_000);
    await noLeftovers(run, { dirs: true });
  });

  it('npm run bench -- card, Ctrl+C mid-read: stops, cleans up, leaves nothing running', async () => {
    const run = start(['scripts/bench.ts', 'card', '--reads=20']);
    // mid-run: the bench has inserted its first virtual card and is reading it
    await monitor.next('card-inserted', { reader: readerName, timeoutMs: 180_000 });
    process.kill(-run.child.pid!, 'SIGINT');
    const end = await endsWithin(run, 30_000, 'the card bench after Ctrl+C');
    assert.notEqual(end.code, 0);
    assert.equal(run.out.filter((l) => l.startsWith('{"bench"')).length, 0, 'no result for an interrupted run');
    await noLeftovers(run, { dirs: false });
  });
});
