// The install-time mend of postgres.js: applied once to the text it was made for, left alone once
// applied, and refused (not half-applied) for another release or changed text. What it does to a
// running hub is hub/test/db-connection-lost.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: plain JavaScript without declarations (it runs before anything is installed)
import { mendAll, mends } from './patch-deps.mjs';

interface Edit {
  from: string;
  to: string;
  count: number;
}
const [pg] = mends as { package: string; versions: string[]; files: string[]; edits: Edit[] }[];

/** A node_modules/postgres holding, in each file, the text the mend expects (as many times as it expects). */
function fakeInstall(version: string, body = pg!.edits.map((e) => e.from.repeat(e.count)).join('\n// between\n')) {
  const root = mkdtempSync(join(tmpdir(), 'tram-patch-'));
  const dir = join(root, 'node_modules/postgres');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'postgres', version }));
  for (const f of pg!.files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), body);
  }
  return { root, read: (f: string) => readFileSync(join(dir, f), 'utf8') };
}

test('the postgres.js mend is applied to each of its files once, and a second install leaves them as they are', (t) => {
  const { root, read } = fakeInstall(pg!.versions[0]!);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.deepEqual(mendAll(root), []);
  for (const f of pg!.files) {
    const text = read(f);
    assert.match(text, /if \(!socket\)/, `${f}: the write guard`);
    assert.equal(text.split('chunk = nextWriteTimer = null // tram').length - 1, 2, `${f}: both teardowns drop the pending write`);
  }
  const once = pg!.files.map(read);
  assert.deepEqual(mendAll(root), []);
  assert.deepEqual(pg!.files.map(read), once);
});

test('another release, or text that changed, is refused and left untouched', (t) => {
  const other = fakeInstall('3.5.0');
  const changed = fakeInstall(pg!.versions[0]!, 'function nextWrite(fn) { /* rewritten upstream */ }\n');
  t.after(() => {
    rmSync(other.root, { recursive: true, force: true });
    rmSync(changed.root, { recursive: true, force: true });
  });
  const before = other.read(pg!.files[0]!);
  assert.match(mendAll(other.root).join('\n'), /postgres@3\.5\.0 .*not made for/);
  assert.equal(other.read(pg!.files[0]!), before);
  const problems = mendAll(changed.root);
  assert.equal(problems.length, pg!.files.length);
  assert.match(problems[0]!, /not as expected/);
  assert.doesNotMatch(changed.read(pg!.files[0]!), /tram:/);
});
