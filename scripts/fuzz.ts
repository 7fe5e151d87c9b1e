// `npm run fuzz [-- --inputs N] [target …]`: property-based fuzzing of every parser that takes
// outside input (see scripts/fuzz/targets.ts), N inputs per target (default 10,000). Prints one
// line per target, then `{"bench":"fuzz",…}` last; exits 1 on any crash or hang.
import { fuzz, targetNames } from './fuzz/run.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--inputs');
const inputs = at >= 0 ? Number(args[at + 1]) : 10_000;
const seed = Number(process.env.FUZZ_SEED ?? 20261130);
const wanted = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--inputs');
const names = (await targetNames()).filter((n) => wanted.length === 0 || wanted.some((w) => n.includes(w)));
if (!Number.isInteger(inputs) || inputs < 1 || names.length === 0) {
  console.error('usage: npm run fuzz -- [--inputs N] [target filter …]');
  process.exit(2);
}

const results = await fuzz(names, { inputs, seed }, (r) => {
  console.log(
    `${r.target.padEnd(34)} ${String(r.inputs).padStart(6)} inputs  ${r.crashes} crashes  ${r.hangs} hangs  slowest ${r.slowestMs.toFixed(1)} ms`,
  );
  for (const e of r.examples) console.log(`  ${e}`);
});
const sum = (k: 'inputs' | 'crashes' | 'hangs') => results.reduce((n, r) => n + r[k], 0);
console.log(
  JSON.stringify({ bench: 'fuzz', targets: results.length, inputs: sum('inputs'), crashes: sum('crashes'), hangs: sum('hangs') }),
);
process.exit(sum('crashes') + sum('hangs') > 0 ? 1 : 0);
