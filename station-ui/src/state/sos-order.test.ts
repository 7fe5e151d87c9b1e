import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallView, SosState } from '@tram/contracts';
import { staleSos } from './sos-order.ts';

const sending = (key: string): SosState => ({ state: 'sending', key, attempts: 1, since: '2026-12-01T04:00:00.000Z' });
const acknowledged = (key: string): SosState => ({
  state: 'acknowledged',
  key,
  call: { id: 'c1' } as CallView,
  media: { url: 'ws://127.0.0.1:7880', token: 't', room: 'sos-1', identity: 'station:tram-1' },
});

test("the tap's 'sending' answer arriving after that SOS was acknowledged is stale; anything newer is not", () => {
  assert.equal(staleSos(acknowledged('k1'), sending('k1')), true);
  // a new press (another key) after an earlier acknowledged call goes out as usual
  assert.equal(staleSos(acknowledged('k1'), sending('k2')), false);
  assert.equal(staleSos(sending('k1'), acknowledged('k1')), false);
  assert.equal(staleSos(sending('k1'), sending('k1')), false);
  assert.equal(staleSos({ state: 'idle' }, sending('k1')), false);
  assert.equal(staleSos(acknowledged('k1'), { state: 'idle' }), false);
});
