import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Strikes } from './media-watch.ts';
import type { RoomState } from '../livekit/media.ts';

const live: RoomState = { state: 'live' };
const gone = (seen = 'the node holding the room did not answer: 503 unavailable'): RoomState => ({ state: 'gone', seen });
const down: RoomState = { state: 'unknown', seen: 'listRooms: fetch failed' };

test('a room seen gone twice in a row is lost, with what each look saw', () => {
  const s = new Strikes();
  assert.deepEqual(s.see('sos-a', gone('first')), { is: 'suspect' });
  assert.deepEqual(s.see('sos-a', gone('second')), { is: 'lost', seen: ['first', 'second'] });
});

test('a blip does not flag: one gone look between live ones, however often', () => {
  const s = new Strikes();
  for (let i = 0; i < 5; i++) {
    assert.equal(s.see('sos-a', gone()).is, 'suspect');
    assert.equal(s.see('sos-a', live).is, 'fine');
  }
});

test('LiveKit not answering at all is no fact about the room: it neither counts nor clears', () => {
  const s = new Strikes();
  assert.equal(s.see('sos-a', down).is, 'fine', 'an outage alone never flags');
  assert.equal(s.see('sos-a', down).is, 'fine');
  assert.equal(s.see('sos-a', gone()).is, 'suspect');
  assert.equal(s.see('sos-a', down).is, 'suspect', 'still one strike');
  assert.equal(s.see('sos-a', gone()).is, 'lost');
});

test('rooms are counted apart; after a loss the count starts again (a room made anew can be lost again)', () => {
  const s = new Strikes();
  s.see('sos-a', gone());
  assert.equal(s.see('sos-b', gone()).is, 'suspect', 'b has its own count');
  assert.equal(s.see('sos-a', gone()).is, 'lost');
  assert.equal(s.see('sos-a', gone()).is, 'suspect', 'a starts again');
  assert.equal(s.see('sos-a', gone()).is, 'lost');
});

test('a room no longer watched is forgotten: its call ending or being flagged resets it', () => {
  const s = new Strikes();
  s.see('sos-a', gone());
  s.see('sos-b', gone());
  s.keepOnly(['sos-b']);
  assert.equal(s.see('sos-a', gone()).is, 'suspect', 'a was forgotten');
  assert.equal(s.see('sos-b', gone()).is, 'lost', 'b was kept');
});
