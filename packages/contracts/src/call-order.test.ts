import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallView } from './api.ts';
import { staleCallView } from './call-order.ts';

const view = (status: CallView['status'], escalationLevel = 0, id = 'c1'): CallView => ({
  id,
  status,
  escalationLevel,
  station: { id: 's', code: 'st', name: 'Trạm', address: 'A', wardId: 1, ward: 'W', city: 'HCM' },
  note: null,
  identified: false,
  outcome: null,
  createdAt: '2026-11-30T00:00:00Z',
  answeredAt: null,
  answeredBy: null,
  endedAt: null,
  endReason: null,
});

test('a repeated ring arriving after the answer or the end is stale; forward moves are not', () => {
  assert.equal(staleCallView(view('answered'), view('ringing')), true);
  assert.equal(staleCallView(view('ended'), view('ringing')), true);
  assert.equal(staleCallView(view('ended'), view('answered')), true);
  assert.equal(staleCallView(view('ringing', 1), view('ringing', 0)), true);
  assert.equal(staleCallView(view('ringing'), view('ringing')), false);
  assert.equal(staleCallView(view('ringing'), view('answered')), false);
  assert.equal(staleCallView(view('ringing', 0), view('ringing', 1)), false);
  assert.equal(staleCallView(null, view('ringing')), false);
  assert.equal(staleCallView(view('ended', 0, 'other'), view('ringing')), false);
});
