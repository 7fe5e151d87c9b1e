import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topic } from '@tram/contracts';
import { canHandle, staffTopics, topicsFor } from './audience.ts';
import type { Staff } from '../auth/staff.ts';

const officer = (wardIds: number[], neighbourOf: number[]): Staff => ({
  id: 'o',
  username: 'o',
  displayName: 'O',
  role: 'police',
  wardIds,
  neighbourOf,
});
const command: Staff = { id: 'c', username: 'c', displayName: 'C', role: 'command', wardIds: [], neighbourOf: [] };
// ward 1 widens to wards 2 and 3
const call = (level: number) => ({ ward_id: 1, neighbour_ids: [2, 3], escalation_level: level, station_id: 's1' });

test('the ward first, then its neighbouring wards, then command (which sees every call)', () => {
  const own = officer([1], [2]),
    neighbour = officer([2], [1]),
    far = officer([9], []);
  assert.deepEqual(
    [0, 1, 2].map((l) => canHandle(own, call(l))),
    [true, true, true],
  );
  assert.deepEqual(
    [0, 1, 2].map((l) => canHandle(neighbour, call(l))),
    [false, true, true],
  );
  assert.deepEqual(
    [0, 1, 2].map((l) => canHandle(far, call(l))),
    [false, false, false],
  );
  assert.deepEqual(
    [0, 1, 2].map((l) => canHandle(command, call(l))),
    [true, true, true],
  );
  assert.deepEqual(topicsFor(call(0)), [topic.ward(1), topic.station('s1'), topic.command]);
  assert.deepEqual(topicsFor(call(1)), [topic.ward(1), topic.station('s1'), topic.ward(2), topic.ward(3), topic.command]);
  assert.deepEqual(staffTopics(neighbour), [topic.ward(2)]);
  assert.deepEqual(staffTopics({ ...command, role: 'clinician' }), []);
});

test('a topic names its kind, so a station id never reads as a ward', () => {
  assert.deepEqual(staffTopics(command), ['topic/command']);
  assert.notEqual(topic.station('1'), topic.ward(1));
});
