// Which webhook events are applied comes from what the domains say they act on, and a domain's
// switch handles exactly its list (a case outside it, or an event of it without a case, does not
// compile: media.ts `actsOn` and `unhandled`). This checks the rest: nothing a domain acts on goes
// unapplied, nothing else is applied, and each is applied with the lock its domain asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebhookEventNames } from 'livekit-server-sdk';
import { CALL_MEDIA_EVENTS } from '../calls/media-events.ts';
import { CONSULT_MEDIA_EVENTS } from '../consults/media-events.ts';
import type { ActsOn } from './media.ts';
import { howApplied } from './service.ts';

const LIVEKIT_EVENTS = [
  'room_started',
  'room_finished',
  'participant_joined',
  'participant_left',
  'participant_connection_aborted',
  'track_published',
  'track_unpublished',
  'egress_started',
  'egress_updated',
  'egress_ended',
  'ingress_started',
  'ingress_ended',
] as const satisfies readonly WebhookEventNames[];
// a kind LiveKit adds to the SDK and this list lacks fails to compile here ('' is the SDK's unset)
const everyKind: [Exclude<WebhookEventNames, (typeof LIVEKIT_EVENTS)[number] | ''>] extends [never] ? true : false = true;

const domains: [string, ActsOn, string[]][] = [
  ['calls', CALL_MEDIA_EVENTS, ['sos-1', 'callback-1']],
  ['consults', CONSULT_MEDIA_EVENTS, ['consult-1']],
];

test('every event a domain acts on is applied to its rooms, locked or not as it says; no other event is', () => {
  assert.ok(everyKind);
  for (const [name, acts, rooms] of domains)
    for (const room of rooms)
      for (const event of LIVEKIT_EVENTS) assert.equal(howApplied({ event, room }), acts[event], `${name}: ${event} in ${room}`);
});

test('each domain acts on some events, and whatever the SOS load leans on stays lock-free', () => {
  for (const [name, acts] of domains) assert.ok(Object.keys(acts).length > 0, name);
  // a burst of new SOS rooms sends one room_started each: it must not queue on delivery locks
  assert.equal(howApplied({ event: 'room_started', room: 'sos-1' }), 'repeatable');
  assert.equal(howApplied({ event: 'participant_joined', room: 'sos-1' }), 'locked');
});
