// The kiosk's first load stays small: its budget is 150 KB of gzipped JavaScript before the first
// screen is interactive (docs/architecture.md). The schemas of @tram/contracts (zod) are for the
// agent and the hub; a value import of the wrong contracts module pulls all of zod into the first
// load and nearly doubles it — this test names that cause rather than only the size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(import.meta.dirname, '../dist');

test('the kiosk page’s initial script is within budget and carries no schema library', () => {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entry = /<script[^>]+src="\.?\/?(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(entry, 'index.html loads an entry script');
  // the entry and every chunk it preloads: what the first screen waits for
  const preloaded = [...html.matchAll(/<link rel="modulepreload"[^>]+href="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const js = Buffer.concat([entry, ...preloaded].map((f) => readFileSync(join(dist, f))));
  const kb = [entry, ...preloaded].reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f))).length / 1024, 0);
  assert.ok(kb < 150, `initial JS is ${kb.toFixed(1)} KB gzip (budget 150 KB)`);
  assert.doesNotMatch(js.toString(), /ZodError/, 'zod is not in the initial script');
  // lazily loaded chunks exist (the call screen with LiveKit is not in the first load)
  assert.ok(readdirSync(join(dist, 'assets')).some((f) => f.startsWith('CallScreen-')));
});
