// LiveKit webhook events applied to calls: who joined or left the media, and rooms that closed.
import type { HubDeps } from '../deps.ts';
import { endCall } from './service.ts';
import { callByRoom, insertCallEvent } from './store.ts';
import type { WebhookEvent } from '../livekit/media.ts';

export async function applyMediaEvent(d: HubDeps, e: WebhookEvent): Promise<'applied' | 'ignored'> {
  if (!e.room) return 'ignored';
  const call = await callByRoom(d.sql, e.room);
  if (!call) return 'ignored';
  const actor = 'livekit';
  switch (e.event) {
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
    default:
      return 'ignored';
  }
  return 'applied';
}
