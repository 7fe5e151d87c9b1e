/**
 * On-disk queue of readings waiting for the hub, so a hub outage or an agent
 * restart loses nothing.
 *
 * Layout (one directory):
 *   open.jsonl            readings being collected; one JSON line per reading,
 *                         appended and fsync'd before append() returns
 *   batch-<seq>.jsonl     sealed batches (at most MAX_BATCH readings, one
 *                         session each), sent oldest first
 * A batch is sealed by renaming open.jsonl (atomic); a partly acknowledged
 * batch is rewritten through a temporary file and a rename. After a crash a
 * torn last line of open.jsonl is cut off (that reading was never
 * acknowledged to anyone, since append() had not returned).
 *
 * Bound: at most `maxReadings` readings. When a new reading would exceed it,
 * the oldest sealed batch that is not being sent is deleted (and counted in
 * `evicted`): during a long outage the newest measurements are the ones a
 * clinician can still act on.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { MAX_BATCH, type Reading } from '@tram/contracts';
import { ChangeLog } from '../log-on-change.ts';

interface Line {
  sessionId: string;
  reading: Reading;
}

export interface QueuedBatch {
  /** File name; pass back to settle()/drop(). */
  name: string;
  sessionId: string;
  readings: Reading[];
}

export interface DiskQueueOptions {
  maxReadings?: number;
  batchSize?: number;
  log?: (msg: string) => void;
}

const OPEN = 'open.jsonl';
const BATCH = /^batch-(\d{12})\.jsonl$/;

export class DiskQueue {
  private readonly sealed: QueuedBatch[] = [];
  private open: Line[] = [];
  private fd: number | undefined;
  private seq = 0;
  private inFlight: string | undefined;
  private readonly maxReadings: number;
  private readonly batchSize: number;
  private readonly log: (msg: string) => void;
  /** A long outage evicts a batch every MAX_BATCH readings: say "full" once, and when it is over. */
  private readonly fullLog: ChangeLog;
  /** Readings deleted unsent because the queue was full. */
  evicted = 0;

  constructor(
    private readonly dir: string,
    opts: DiskQueueOptions = {},
  ) {
    this.maxReadings = opts.maxReadings ?? 10_000;
    this.batchSize = Math.min(opts.batchSize ?? MAX_BATCH, MAX_BATCH);
    this.log = opts.log ?? ((m) => console.warn(`vitals queue: ${m}`));
    this.fullLog = new ChangeLog(this.log);
    if (!(this.maxReadings >= this.batchSize)) throw new RangeError('maxReadings must be at least one batch');
    mkdirSync(dir, { recursive: true });
    this.load();
  }

  get size(): number {
    return this.sealed.reduce((n, b) => n + b.readings.length, 0) + this.open.length;
  }

  append(sessionId: string, reading: Reading): void {
    const first = this.open[0];
    if (first && (first.sessionId !== sessionId || this.open.length >= this.batchSize)) this.seal();
    this.makeRoom();
    const line = JSON.stringify({ sessionId, reading } satisfies Line) + '\n';
    this.fd ??= openSync(join(this.dir, OPEN), 'a', 0o600);
    writeSync(this.fd, line);
    fsyncSync(this.fd);
    this.open.push({ sessionId, reading });
  }

  /** The oldest batch to send (sealing the open readings if nothing else waits), or undefined when empty. */
  next(): QueuedBatch | undefined {
    if (this.sealed.length === 0 && this.open.length > 0) this.seal();
    const b = this.sealed[0];
    this.inFlight = b?.name;
    return b && { ...b, readings: [...b.readings] };
  }

  /** Remove the readings the hub has answered for; the rest of the batch stays queued. */
  settle(name: string, done: ReadonlySet<string>): void {
    const i = this.sealed.findIndex((b) => b.name === name);
    this.inFlight = undefined;
    if (i < 0) return;
    const b = this.sealed[i] as QueuedBatch;
    // The hub is taking readings again: the outage that filled the queue is over.
    if (done.size > 0) this.fullLog.clear('full', `draining again; ${this.evicted} reading(s) were deleted unsent while full`);
    const rest = b.readings.filter((r) => !done.has(r.id));
    if (rest.length === 0) {
      this.drop(name);
      return;
    }
    if (rest.length === b.readings.length) return;
    const tmp = join(this.dir, `${name}.tmp`);
    writeDurably(tmp, rest.map((r) => JSON.stringify({ sessionId: b.sessionId, reading: r }) + '\n').join(''));
    renameSync(tmp, join(this.dir, name));
    syncDir(this.dir);
    b.readings = rest;
  }

  drop(name: string): void {
    const i = this.sealed.findIndex((b) => b.name === name);
    if (this.inFlight === name) this.inFlight = undefined;
    if (i < 0) return;
    this.sealed.splice(i, 1);
    rmSync(join(this.dir, name), { force: true });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private seal(): void {
    const first = this.open[0];
    if (!first) return;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    const name = `batch-${String(++this.seq).padStart(12, '0')}.jsonl`;
    renameSync(join(this.dir, OPEN), join(this.dir, name));
    syncDir(this.dir);
    this.sealed.push({ name, sessionId: first.sessionId, readings: this.open.map((l) => l.reading) });
    this.open = [];
  }

  private makeRoom(): void {
    while (this.size + 1 > this.maxReadings) {
      const victim = this.sealed.find((b) => b.name !== this.inFlight);
      if (!victim) break; // only the in-flight batch and the open one: bounded by two batches anyway
      this.evicted += victim.readings.length;
      this.fullLog.say('full', `full (${this.maxReadings} readings): deleting the oldest unsent batches to keep the newest`);
      this.drop(victim.name);
    }
  }

  private load(): void {
    const names = readdirSync(this.dir).sort();
    for (const n of names) if (n.endsWith('.tmp')) rmSync(join(this.dir, n), { force: true }); // an interrupted rewrite; the original is intact
    for (const name of names) {
      const m = BATCH.exec(name);
      if (!m) continue;
      this.seq = Math.max(this.seq, Number(m[1]));
      const lines = this.readLines(join(this.dir, name), false);
      const first = lines[0];
      if (!first) {
        rmSync(join(this.dir, name), { force: true });
        continue;
      }
      this.sealed.push({ name, sessionId: first.sessionId, readings: lines.map((l) => l.reading) });
    }
    const open = join(this.dir, OPEN);
    if (existsSync(open)) this.open = this.readLines(open, true);
  }

  private readLines(file: string, repairTail: boolean): Line[] {
    const text = readFileSync(file, 'utf8');
    const out: Line[] = [];
    let good = 0;
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) break; // torn write: no newline, never acknowledged
      try {
        const l = JSON.parse(text.slice(pos, nl)) as Line;
        if (typeof l.sessionId === 'string' && typeof l.reading?.id === 'string') out.push(l);
        else this.log(`${file}: skipped a malformed line`);
      } catch {
        this.log(`${file}: skipped an unreadable line`);
      }
      good += Buffer.byteLength(text.slice(pos, nl + 1));
      pos = nl + 1;
    }
    if (repairTail && good < Buffer.byteLength(text)) {
      this.log(`${file}: cut a torn last line`);
      truncateSync(file, good);
    }
    return out;
  }
}

function writeDurably(file: string, text: string): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Make a rename/unlink itself durable (Linux: fsync on the directory). */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
