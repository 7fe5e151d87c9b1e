import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoStationWanted } from './mode.ts';

test('the demo station runs on embedded defaults only, never in production or beside real devices', () => {
  assert.equal(demoStationWanted({}, []).demo, true);
  assert.equal(demoStationWanted({ CARD_READER: 'auto' }, []).demo, true);
  assert.equal(demoStationWanted({ DATABASE_URL: 'postgres://x/y' }, ['--demo']).demo, true);
  for (const [env, args] of [
    [{ NODE_ENV: 'production' }, []],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y' }, ['--demo']],
    [{ VITALS_DEVICES: '[]' }, []],
    [{ VITALS_DEVICES_FILE: '/etc/tram/devices.json' }, []],
    [{ CARD_READER: 'ACS ACR39U 00 00' }, []],
    [{ DATABASE_URL: 'postgres://x/y' }, []],
  ] as const) {
    const r = demoStationWanted(env, args);
    assert.equal(r.demo, false, JSON.stringify(env));
    assert.ok(r.why.length > 0);
  }
});
