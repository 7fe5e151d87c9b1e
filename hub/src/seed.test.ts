import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSeed } from './seed.ts';

test('npm start seeds the demo into its embedded database only, or when --demo asks', () => {
  assert.equal(startSeed({ externalDatabase: false, demoFlag: false }), 'demo');
  assert.equal(startSeed({ externalDatabase: false, demoFlag: true }), 'demo');
  assert.equal(startSeed({ externalDatabase: true, demoFlag: false }), 'none');
  assert.equal(startSeed({ externalDatabase: true, demoFlag: true }), 'demo');
});
