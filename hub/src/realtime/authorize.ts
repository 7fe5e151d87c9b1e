// Who may open the realtime socket (/ws), and which topics they hear: a station (credential
// header) hears its own station's topic; staff (session cookie) hear the call topics of their
// wards, district or command, and clinicians the consult queue.
import type { IncomingMessage } from 'node:http';
import { parse as parseCookies } from 'hono/utils/cookie';
import { participant, topic } from '@tram/contracts';
import type { HubDeps } from '../deps.ts';
import { SESSION_COOKIE } from '../auth/staff.ts';
import { staffBySession } from '../auth/service.ts';
import { digest } from '../auth/tokens.ts';
import { stationByCredential } from '../stations/service.ts';
import { staffTopics } from '../calls/audience.ts';
import { reviewerTopics } from '../services/topics.ts';
import type { SocketPrincipal } from './sockets.ts';

export async function authorizeSocket(d: HubDeps, req: IncomingMessage): Promise<SocketPrincipal | null> {
  const authz = req.headers.authorization;
  if (authz?.startsWith('Station ')) {
    const st = await stationByCredential(d.sql, authz);
    return st ? { label: participant.station(st.code), role: 'station', topics: [topic.station(st.id)], stationId: st.id } : null;
  }
  const token = parseCookies(req.headers.cookie ?? '', SESSION_COOKIE)[SESSION_COOKIE];
  const staff = token ? await staffBySession(d.sql, token) : null;
  if (!staff) return null;
  return {
    staff: { staffId: staff.id, session: digest(token!).toString('hex'), token: token! },
    label: participant.staff(staff.username),
    role: staff.role,
    wardIds: staff.role === 'police' ? staff.wardIds : [],
    topics: [
      ...staffTopics(staff),
      // public-service applications of their authority and wards (police, commune officers)
      ...reviewerTopics(staff),
      ...(staff.role === 'clinician' ? [topic.clinicians] : []),
      // invitations to join a call (police, command, a 115 medic)
      ...(['police', 'command', 'medic'].includes(staff.role) ? [topic.staff(staff.id)] : []),
      ...(staff.role === 'admin' ? [topic.admins] : []),
    ],
  };
}
