// The short fuzz run of `npm test` (`npm run fuzz` runs 10,000 inputs per target), and a check
// that the harness really catches crashes and hangs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzz, targetNames } from './run.ts';

test('every parser of outside input survives a short fuzz run: no crash, no hang', async () => {
  const names = await targetNames();
  assert.ok(names.length >= 30, `${names.length} targets`);
  for (const must of ['tlv', 'dg1', 'dg13', 'sod', 'certificate', 'apdu', 'fhir-search', 'serial:nibp2010', 'schema:ingestBody'])
    assert.ok(names.includes(must), must);
  const results = await fuzz(names, { inputs: 150, seed: Date.now() % 1e6 });
  const bad = results.filter((r) => r.crashes || r.hangs);
  assert.deepEqual(bad, [], JSON.stringify(bad, null, 1));
  assert.equal(
    results.reduce((n, r) => n + r.inputs, 0),
    names.length * 150,
  );
});

test('the harness counts crashes, and stops a target that never returns and goes on with the next', async () => {
  const module = new URL('./broken.fixture.ts', import.meta.url).href;
  const results = await fuzz(await targetNames(module), { inputs: 300, seed: 1, module, hangMs: 1500 });
  const by = Object.fromEntries(results.map((r) => [r.target, r]));
  assert.ok(by['crashes-on-a-zero-byte']!.crashes > 0);
  assert.match(by['crashes-on-a-zero-byte']!.examples[0]!, /unexpected zero/);
  assert.equal(by['fine']!.crashes + by['fine']!.hangs, 0);
  assert.equal(by['never-returns-on-ff']!.hangs, 1);
  assert.equal(by['after-a-hang']!.inputs, 300);
});
