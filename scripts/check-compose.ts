// `npm run check:compose`: checks compose.yaml and the hub image it builds without a Docker engine.
// compose.yaml is parsed with `yaml`, interpolated as `docker compose config` would, and validated
// against the Compose Specification's JSON schema (as shipped in the `dclint` package) with ajv;
// then our own rules: images pinned to exact versions, health checks where others wait on them,
// every ${VAR} documented, mounted files present. hub/Dockerfile: pinned base, non-root, a health
// check, no TypeScript loader, and every path it copies present (after `npm run build`).
import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { bundles, buildBundle } from './build-bundles.ts';

const root = join(import.meta.dirname, '..');
const read = (f: string) => readFileSync(resolve(root, f), 'utf8');

// A version a registry cannot move: x.y or x.y.z (optionally v-prefixed, optionally a variant), or a digest.
const PINNED = /^[^@]+:v?\d+\.\d+(\.\d+)?(-[A-Za-z0-9.-]+)?$|@sha256:[0-9a-f]{64}$/;

interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  healthcheck?: { test?: unknown; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { type?: string; source?: string })[];
}

/** `docker compose` interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, $VAR, and $$ for a literal $. */
export function interpolate(text: string, value: (name: string) => string): { text: string; vars: string[] } {
  const vars = new Set<string>();
  const out = text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, braced?: string, bare?: string) => {
      const name = braced ?? bare;
      if (!name) return '$';
      vars.add(name);
      return value(name);
    },
  );
  return { text: out, vars: [...vars].sort() };
}

function composeSchema(): object {
  const dir = dirname(createRequire(import.meta.url).resolve('dclint/package.json'));
  const schema = JSON.parse(readFileSync(join(dir, 'schemas/compose.schema.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema; // ajv's default meta-schema is draft-07 already; the https spelling is unknown to it
  return schema;
}

export function checkCompose(file = 'compose.yaml', docs = 'docs/deploy-hub.md'): string[] {
  const problems: string[] = [];
  const raw = read(file);
  const { text, vars } = interpolate(raw, (name) => `placeholder-${name.toLowerCase()}`);
  const doc = parse(text) as { services?: Record<string, Service> };

  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(composeSchema());
  if (!validate(doc)) for (const e of validate.errors ?? []) problems.push(`${file}: ${e.instancePath || '/'} ${e.message}`);

  const services = doc.services ?? {};
  const lkVersion = /VERSION="\$\{LIVEKIT_VERSION:-(v[\d.]+)\}"/.exec(read('media/obtain-livekit.sh'))?.[1];
  for (const [name, s] of Object.entries(services)) {
    if (s.image && !PINNED.test(s.image)) problems.push(`${file}: service ${name}: image ${s.image} is not pinned to an exact version`);
    if (!s.image && !s.build) problems.push(`${file}: service ${name} has neither image nor build`);
    if (s.image?.startsWith('livekit/livekit-server:') && s.image !== `livekit/livekit-server:${lkVersion}`) {
      problems.push(`${file}: ${s.image} differs from the version media/obtain-livekit.sh builds (${lkVersion})`);
    }
    const deps = Array.isArray(s.depends_on) ? {} : (s.depends_on ?? {});
    for (const [dep, d] of Object.entries(deps)) {
      if (d.condition === 'service_healthy' && !hasHealthcheck(services[dep]))
        problems.push(`${file}: ${name} waits for ${dep} to be healthy, but ${dep} has no health check`);
    }
    for (const v of s.volumes ?? []) {
      const source = typeof v === 'string' ? v.split(':')[0]! : (v.source ?? '');
      if (source.startsWith('./') && !existsSync(join(root, source)))
        problems.push(`${file}: service ${name} mounts ${source}, which does not exist`);
    }
  }
  const documented = existsSync(resolve(root, docs)) ? read(docs) : '';
  for (const v of vars) if (!documented.includes(`\`${v}\``)) problems.push(`${file}: \${${v}} is not documented in ${docs}`);
  return problems;
}

function hasHealthcheck(s: Service | undefined): boolean {
  if (!s) return false;
  if (s.healthcheck && !s.healthcheck.disable) return true;
  const dockerfile =
    typeof s.build === 'object'
      ? join(s.build.context ?? '.', s.build.dockerfile ?? 'Dockerfile')
      : s.build
        ? join(s.build, 'Dockerfile')
        : undefined;
  return Boolean(dockerfile && /^HEALTHCHECK\s+(?!NONE)/m.test(read(dockerfile)));
}

/** Dockerfile lines with their continuations joined. */
function instructions(dockerfile: string): string[] {
  return read(dockerfile)
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export async function checkDockerfile(dockerfile = 'hub/Dockerfile'): Promise<string[]> {
  const problems: string[] = [];
  const lines = instructions(dockerfile);
  const args = new Map<string, string>();
  for (const l of lines) {
    const arg = /^ARG\s+(\w+)=(\S+)/.exec(l);
    if (arg) args.set(arg[1]!, arg[2]!);
    const from = /^FROM\s+(\S+)/.exec(l);
    if (from) {
      const image = from[1]!.replace(/^\$\{?(\w+)\}?$/, (_, n: string) => args.get(n) ?? '');
      if (!PINNED.test(image))
        problems.push(`${dockerfile}: base image ${from[1]} (${image || 'unset'}) is not pinned to an exact version`);
    }
    const copy = /^COPY\s+(.*)$/.exec(l);
    if (copy) {
      const parts = copy[1]!.split(/\s+/);
      const fromStage = parts.find((p) => p.startsWith('--from='));
      const sources = parts.filter((p) => !p.startsWith('--')).slice(0, -1);
      for (const src of sources) {
        // --from=build copies what the build stage made at /app/<path>: the same path here after `npm run build`
        const path = fromStage ? src.replace(/^\/app\//, '') : src;
        if (!existsSync(join(root, path)))
          problems.push(`${dockerfile}: COPY ${src} — ${path} does not exist${fromStage ? ' (run npm run build first)' : ''}`);
        else if (!fromStage && ignoredByDocker(path)) problems.push(`${dockerfile}: COPY ${src} — .dockerignore excludes it`);
      }
    }
  }
  const users = lines.filter((l) => l.startsWith('USER '));
  if (!users.length || /^USER\s+(root|0)(:|$)/.test(users.at(-1)!))
    problems.push(`${dockerfile}: the final stage must run as a non-root USER`);
  if (!lines.some((l) => /^HEALTHCHECK\s+(?!NONE)/.test(l))) problems.push(`${dockerfile}: no HEALTHCHECK`);
  const cmd = lines.filter((l) => l.startsWith('CMD ')).at(-1) ?? '';
  if (!/"node"/.test(cmd) || /tsx|\.ts"/.test(cmd))
    problems.push(`${dockerfile}: CMD must run the compiled bundle with plain node (${cmd || 'none'})`);
  problems.push(...(await hubRuntimeDependencies()).map((p) => `${dockerfile}: ${p}`));
  return problems;
}

// The runtime stage installs only the hub's production dependencies (`npm ci --omit=dev -w hub`):
// every package the bundle imports must be among them, directly or through a @tram/* workspace.
async function hubRuntimeDependencies(): Promise<string[]> {
  const hub = bundles.find((b) => b.name === 'hub')!;
  const { externals } = await buildBundle(hub, { write: false });
  const installed = new Set<string>();
  const visit = (pkgJson: string) => {
    const deps = Object.keys((JSON.parse(read(pkgJson)) as { dependencies?: Record<string, string> }).dependencies ?? {});
    for (const d of deps) {
      if (installed.has(d)) continue;
      installed.add(d);
      const ws = d.startsWith('@tram/') ? workspaceOf(d) : undefined;
      if (ws) visit(join(ws, 'package.json'));
    }
  };
  visit('hub/package.json');
  return externals
    .filter((e) => !installed.has(e))
    .map((e) => `the hub bundle imports ${e}, which is not a production dependency of hub (or of a @tram/* package it depends on)`);
}

function workspaceOf(name: string): string | undefined {
  const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
  return workspaces.find((w) => (JSON.parse(read(join(w, 'package.json'))) as { name: string }).name === name);
}

// The patterns our .dockerignore uses: exact paths and `**/name` anywhere.
function ignoredByDocker(path: string): boolean {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const segments = path.split('/');
  return patterns.some((p) => (p.startsWith('**/') ? segments.includes(p.slice(3)) : path === p || path.startsWith(`${p}/`)));
}

if (import.meta.filename === process.argv[1]) {
  const problems = [...checkCompose(), ...(await checkDockerfile())];
  for (const p of problems) console.error(p);
  console.log(problems.length ? `${problems.length} problem(s)` : 'compose.yaml and hub/Dockerfile: ok');
  process.exit(problems.length ? 1 : 0);
}
