// When a staff session stops being valid, sockets opened with it must close at once, on every hub
// instance: logout publishes `session.ended`; a password reset, deactivation or role change makes
// PostgreSQL publish `staff.revoked` (trigger of migration 008). Any socket endpoint (/ws here,
// /fhir/ws) subscribes with `onRevoked` and closes what matches. A retired station's credential
// stops working the same way (`station.retired`, published by fleet/service.ts).
import type { Bus, BusEvent } from '../db/bus.ts';

export type Revocation = { staffId: string } | { session: string } | { stationId: string };

/** Calls `f` for every revocation any hub instance publishes; returns the unsubscribe. */
export function onRevoked(bus: Bus, f: (r: Revocation) => void): () => void {
  return bus.subscribe((e: BusEvent) => {
    if (e.type === 'staff.revoked') f({ staffId: e.data.staffId });
    else if (e.type === 'session.ended') f({ session: e.data.session });
    else if (e.type === 'station.retired') f({ stationId: e.data.stationId });
  });
}

/** Whether a revocation hits a socket opened by this staff member with this session digest. */
export const revokes = (r: Revocation, who: { staffId: string; session: string }) =>
  'staffId' in r ? r.staffId === who.staffId : 'session' in r && r.session === who.session;

/** WebSocket close code for "your session ended": the client should not reconnect with it. */
export const SESSION_ENDED_CLOSE = 4401;

/** WebSocket close code (1012 "service restart") for "reconnect and refetch": events may have been missed. */
export const RESYNC_CLOSE = 1012;
