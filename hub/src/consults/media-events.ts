// LiveKit webhook events for consult rooms: media joins on the timeline, and a resident who
// leaves the room mid-call ends the consult (the clinician is told through the queue events).
import type { WebhookEvent } from '../livekit/media.ts';
import type { ConsultDeps } from './service.ts';
import { abandonConsult } from './service.ts';
import { addEvent, consultByRoom } from './store.ts';

export async function applyConsultMediaEvent(d: ConsultDeps, e: WebhookEvent): Promise<'applied' | 'ignored'> {
  if (!e.room) return 'ignored';
  const c = await consultByRoom(d.sql, e.room);
  if (!c) return 'ignored';
  if (e.event === 'participant_joined') await addEvent(d.sql, c.id, 'media_joined', 'livekit', { identity: e.participant });
  else if (e.event === 'participant_left' || e.event === 'participant_connection_aborted') {
    await addEvent(d.sql, c.id, 'media_left', 'livekit', { identity: e.participant });
    if (e.participant?.startsWith('station:') && c.status === 'in_call') await abandonConsult(d, c.id, 'resident_left_media');
  } else if (e.event === 'room_finished' && c.status === 'in_call') await abandonConsult(d, c.id, 'media_closed');
  else return 'ignored';
  return 'applied';
}
