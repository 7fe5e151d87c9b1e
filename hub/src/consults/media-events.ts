// LiveKit webhook events for consult rooms: media joins on the timeline, and a resident who
// leaves the room mid-call ends the consult (the clinician is told through the queue events).
import type { WebhookEvent } from '../livekit/media.ts';
import type { HubDeps } from '../deps.ts';
import { participant } from '@tram/contracts';
import { abandonConsult } from './service.ts';
import { consultByRoom, insertConsultEvent } from './store.ts';

export async function applyConsultMediaEvent(d: HubDeps, e: WebhookEvent): Promise<'applied' | 'ignored'> {
  if (!e.room) return 'ignored';
  const c = await consultByRoom(d.sql, e.room);
  if (!c) return 'ignored';
  if (e.event === 'participant_joined') await insertConsultEvent(d.sql, c.id, 'media_joined', 'livekit', { identity: e.participant });
  else if (e.event === 'participant_left' || e.event === 'participant_connection_aborted') {
    await insertConsultEvent(d.sql, c.id, 'media_left', 'livekit', { identity: e.participant });
    // the resident is the consult's station in the room
    if (e.participant === participant.station(c.station_code) && c.status === 'in_call')
      await abandonConsult(d, c.id, 'resident_left_media');
  } else if (e.event === 'room_finished' && c.status === 'in_call') await abandonConsult(d, c.id, 'media_closed');
  else return 'ignored';
  return 'applied';
}
