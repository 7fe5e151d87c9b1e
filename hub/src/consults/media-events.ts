// LiveKit webhook events for consult rooms: media joins on the timeline, and a resident who
// leaves the room mid-call ends the consult (the clinician is told through the queue events).
import { type ActsOn, actsOn, unhandled, type WebhookEvent } from '../livekit/media.ts';
import type { HubDeps } from '../deps.ts';
import { participant } from '@tram/contracts';
import { abandonConsult } from './service.ts';
import { consultByRoom, insertConsultEvent } from './store.ts';

/** What consults act on; livekit/service.ts applies exactly these to consult rooms. */
export const CONSULT_MEDIA_EVENTS = {
  participant_joined: 'locked',
  participant_left: 'locked',
  participant_connection_aborted: 'locked',
  room_finished: 'locked',
} as const satisfies ActsOn;

export async function applyConsultMediaEvent(d: HubDeps, e: WebhookEvent): Promise<'applied' | 'ignored'> {
  const event = e.event;
  if (!e.room || !actsOn(CONSULT_MEDIA_EVENTS, event)) return 'ignored';
  const c = await consultByRoom(d.sql, e.room);
  if (!c) return 'ignored';
  switch (event) {
    case 'participant_joined':
      await insertConsultEvent(d.sql, c.id, 'media_joined', 'livekit', { identity: e.participant });
      break;
    case 'participant_left':
    case 'participant_connection_aborted':
      await insertConsultEvent(d.sql, c.id, 'media_left', 'livekit', { identity: e.participant });
      // the resident is the consult's station in the room
      if (e.participant === participant.station(c.station_code) && c.status === 'in_call')
        await abandonConsult(d, c.id, 'resident_left_media');
      break;
    case 'room_finished':
      if (c.status !== 'in_call') return 'ignored';
      await abandonConsult(d, c.id, 'media_closed');
      break;
    default:
      return unhandled(event);
  }
  return 'applied';
}
