// LiveKit webhook events applied to calls: who joined or left the media, rooms that closed, and
// rooms that started again on another node after theirs died.
import type { HubDeps } from '../deps.ts';
import { endCall } from './service.ts';
import { flagMediaLost } from './media-watch.ts';
import { callByRoom, insertCallEvent, joinedBeforeRestart } from './store.ts';
import { type ActsOn, actsOn, unhandled, type WebhookEvent } from '../livekit/media.ts';

/** What calls act on; livekit/service.ts applies exactly these to call rooms. */
export const CALL_MEDIA_EVENTS = {
  participant_joined: 'locked',
  participant_left: 'locked',
  participant_connection_aborted: 'locked',
  room_finished: 'locked',
  // applied by a conditional update (flagMediaLost), and each new room of a burst sends one
  room_started: 'repeatable',
} as const satisfies ActsOn;

export async function applyMediaEvent(d: HubDeps, e: WebhookEvent): Promise<'applied' | 'ignored'> {
  const event = e.event;
  if (!e.room || !actsOn(CALL_MEDIA_EVENTS, event)) return 'ignored';
  // room_started is looked at for emergency (sos-) rooms only, before any read: a callback's room
  // is left to the media watch
  if (event === 'room_started' && !e.room.startsWith('sos-')) return 'ignored';
  const call = await callByRoom(d.sql, e.room);
  if (!call) return 'ignored';
  const actor = 'livekit';
  switch (event) {
    case 'participant_joined':
      await insertCallEvent(d.sql, call.id, 'media_joined', actor, { identity: e.participant });
      break;
    case 'participant_left':
    case 'participant_connection_aborted':
      await insertCallEvent(d.sql, call.id, 'media_left', actor, { identity: e.participant, event: e.event });
      break;
    case 'room_finished':
      // An answered call whose room closed is over. A ringing one stays ringing (and keeps
      // escalating): an emergency is never dropped because the kiosk's media went away.
      if (call.status === 'answered') await endCall(d, call.id, 'hub', 'media_closed');
      else await insertCallEvent(d.sql, call.id, 'media_room_closed', actor, {});
      break;
    case 'room_started':
      // A room starts when the hub makes it (raise, answer, rejoin; ensureRoom on a running room
      // sends nothing). Started again under an answered call after someone had joined, its node
      // died and a participant reconnecting through a live node brought it back there (seen by
      // experiment, livekit/media.ts): everyone else's media went with the old node. This is
      // LiveKit's own word, so it needs no second look; it catches what the watch may miss. The
      // event's own time, not its arrival, is compared: a first start delivered late is not one.
      if (call.status !== 'answered') return 'ignored';
      if (!(await joinedBeforeRestart(d.sql, call.id, e.createdAt ? new Date(e.createdAt * 1000) : new Date()))) return 'ignored';
      await flagMediaLost(d, call.id, 'room_restarted', {
        room: e.room,
        seen: ['the room was started again (room_started) after participants had joined: its LiveKit node stopped'],
      });
      break;
    default:
      return unhandled(event);
  }
  return 'applied';
}
