// Runs fuzz targets in a worker thread, so an input that never returns is caught by a watchdog
// (no progress for hangMs: the worker is stopped, that target counts a hang, and a new worker goes
// on with the next target) instead of stalling the run. Crashes (an error the parser should not
// let out) are counted per input; the first few are kept with the input, to reproduce.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import type { Target } from './targets.ts';

export interface FuzzResult {
  target: string;
  inputs: number;
  crashes: number;
  hangs: number;
  slowestMs: number;
  examples: string[];
}
export interface FuzzOptions {
  inputs: number;
  seed: number;
  /** The module whose `targets()` to run (tests point this at deliberately broken targets). */
  module?: string;
  /** No progress for this long is a hang. */
  hangMs?: number;
  /** One input slower than this counts as a hang too (a quadratic blow-up is a denial of service). */
  slowMs?: number;
}

interface Job {
  names: string[];
  opts: FuzzOptions;
  progress: SharedArrayBuffer;
}

const show = (v: unknown) => {
  const s =
    v instanceof Uint8Array
      ? `bytes ${Buffer.from(v).toString('hex')}`
      : JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x));
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
};

async function loadTargets(module: string | undefined): Promise<Target[]> {
  const m = (await import(module ?? new URL('./targets.ts', import.meta.url).href)) as { targets(): Target[] };
  return m.targets();
}

async function worker(): Promise<void> {
  const { names, opts, progress } = workerData as Job;
  // [0]: index of the target being run; [1]: inputs done in it
  const p = new Int32Array(progress);
  const all = await loadTargets(opts.module);
  for (const [i, name] of names.entries()) {
    const t = all.find((x) => x.name === name)!;
    Atomics.store(p, 0, i);
    Atomics.store(p, 1, 0);
    const out: FuzzResult = { target: name, inputs: 0, crashes: 0, hangs: 0, slowestMs: 0, examples: [] };
    for (let done = 0; done < opts.inputs; done += 500) {
      for (const input of fc.sample(t.arbitrary, { numRuns: Math.min(500, opts.inputs - done), seed: opts.seed + done })) {
        const t0 = performance.now();
        try {
          t.run(input);
        } catch (err) {
          out.crashes++;
          if (out.examples.length < 3)
            out.examples.push(`${(err as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(err)} <- ${show(input)}`);
        }
        const ms = performance.now() - t0;
        out.slowestMs = Math.max(out.slowestMs, ms);
        if (ms > (opts.slowMs ?? 1000)) {
          out.hangs++;
          if (out.examples.length < 3) out.examples.push(`slow: ${ms.toFixed(0)} ms <- ${show(input)}`);
        }
        out.inputs++;
        Atomics.add(p, 1, 1);
      }
    }
    parentPort!.postMessage(out);
  }
}

export async function targetNames(module?: string): Promise<string[]> {
  return (await loadTargets(module)).map((t) => t.name);
}

/** Runs the named targets, `opts.inputs` inputs each; calls `onResult` as each target finishes. */
export async function fuzz(names: string[], opts: FuzzOptions, onResult: (r: FuzzResult) => void = () => {}): Promise<FuzzResult[]> {
  const results: FuzzResult[] = [];
  let rest = names;
  while (rest.length) {
    const progress = new SharedArrayBuffer(8);
    const p = new Int32Array(progress);
    const w = new Worker(new URL(import.meta.url), {
      workerData: { names: rest, opts, progress } satisfies Job,
      execArgv: ['--import', 'tsx'],
    });
    const finished = await new Promise<number>((resolve, reject) => {
      let count = 0;
      let last = -1;
      let lastChange = Date.now();
      const watchdog = setInterval(() => {
        const now = Atomics.load(p, 1) + Atomics.load(p, 0) * 1e6;
        if (now !== last) {
          last = now;
          lastChange = Date.now();
          return;
        }
        if (Date.now() - lastChange > (opts.hangMs ?? 10_000)) {
          clearInterval(watchdog);
          const name = rest[Atomics.load(p, 0)]!;
          const r = {
            target: name,
            inputs: Atomics.load(p, 1),
            crashes: 0,
            hangs: 1,
            slowestMs: opts.hangMs ?? 10_000,
            examples: [`no progress for ${opts.hangMs ?? 10_000} ms`],
          };
          results.push(r);
          onResult(r);
          void w.terminate().then(() => resolve(count + 1));
        }
      }, 200);
      w.on('message', (r: FuzzResult) => {
        results.push(r);
        onResult(r);
        count++;
        lastChange = Date.now();
        if (count === rest.length) {
          clearInterval(watchdog);
          void w.terminate().then(() => resolve(count));
        }
      });
      w.once('error', (e) => {
        clearInterval(watchdog);
        reject(e);
      });
    });
    rest = rest.slice(finished);
  }
  return results;
}

if (!isMainThread && (workerData as Job | undefined)?.names) await worker();
