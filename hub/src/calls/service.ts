// Emergency calls: raise (idempotent), answer (one winner), end, and the media join grants.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Sql } from '../db/client.ts';
import type { Bus } from '../db/bus.ts';
import type { Media, MediaGrant } from '../livekit/media.ts';
import type { Staff } from '../auth/staff.ts';
import type { Station } from '../stations/registry.ts';
import type { CallView } from '@tram/contracts';
import { addEvent, callById, toView, type CallRow } from './store.ts';
import { canHandle, topicsFor } from './audience.ts';

export interface CallDeps {
  sql: Sql;
  bus: Bus;
  media: Media;
  log: Logger;
  escalation: { t1Ms: number; t2Ms: number };
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: 403 | 404 | 409; code: string; message: string };

const fail = (status: 403 | 404 | 409, code: string, message: string) => ({ ok: false as const, status, code, message });

export const stationIdentity = (s: Pick<Station, 'code'>) => `station:${s.code}`;
export const staffIdentity = (s: Pick<Staff, 'username'>) => `staff:${s.username}`;

/**
 * Persists the call, its first timeline entries and the ringing event in one transaction
 * (so police are rung as soon as it is durable, never for a call that was not stored),
 * then creates the LiveKit room and grants the station a token.
 */
export async function raiseCall(d: CallDeps, station: Station, key: string, note: string | undefined):
  Promise<{ created: boolean; call: CallView; media: MediaGrant | null }> {
  const room = `sos-${randomUUID()}`;
  const t1 = d.escalation.t1Ms / 1000, t2 = d.escalation.t2Ms / 1000;
  const row = await d.sql.begin(async (tx) => {
    const [inserted] = await tx<{ id: string }[]>`
      INSERT INTO calls (station_id, ward_id, idempotency_key, note, status, room_name,
                         escalate_t1_at, escalate_t2_at, next_escalation_at)
      VALUES (${station.id}, ${station.wardId}, ${key}, ${note ?? null}, 'ringing', ${room},
              now() + make_interval(secs => ${t1}), now() + make_interval(secs => ${t2}), now() + make_interval(secs => ${t1}))
      ON CONFLICT (station_id, idempotency_key) DO NOTHING
      RETURNING id`;
    if (!inserted) return null;
    const call = (await callById(tx, inserted.id))!;
    const officers = await tx<{ username: string }[]>`
      SELECT st.username FROM staff st JOIN staff_wards sw ON sw.staff_id = st.id
      WHERE sw.ward_id = ${station.wardId} AND st.role = 'police' AND st.active ORDER BY st.username`;
    await addEvent(tx, call.id, 'raised', stationIdentity(station), { idempotencyKey: key, station: station.code });
    await addEvent(tx, call.id, 'rang', 'hub', { scope: 'ward', ward: station.wardName, officers: officers.map((o) => o.username) });
    await d.bus.publish(tx, { topics: topicsFor(call), type: 'call.ringing', data: { call: toView(call) } });
    return call;
  });
  if (!row) {
    // A retry of a call we already have: same call, fresh token while it is still live.
    const [existing] = await d.sql<{ id: string }[]>`SELECT id FROM calls WHERE station_id = ${station.id} AND idempotency_key = ${key}`;
    const call = (await callById(d.sql, existing!.id))!;
    if (call.status === 'ended') return { created: false, call: toView(call), media: null };
    await ensureRoomLogged(d, call);
    return { created: false, call: toView(call), media: await d.media.joinToken(call.room_name, stationIdentity(station), station.name) };
  }
  await ensureRoomLogged(d, row);
  return { created: true, call: toView(row), media: await d.media.joinToken(row.room_name, stationIdentity(station), station.name) };
}

/** The room is created after the call is durable; a LiveKit outage must not lose or delay the call. */
async function ensureRoomLogged(d: CallDeps, call: CallRow): Promise<boolean> {
  try {
    await d.media.ensureRoom(call.room_name);
    return true;
  } catch (err) {
    d.log.error({ err, call: call.id }, 'creating the media room failed');
    await addEvent(d.sql, call.id, 'media_room_failed', 'hub', { error: String((err as Error).message ?? err) }).catch(() => {});
    return false;
  }
}

export async function answerCall(d: CallDeps, id: string, officer: Staff): Promise<Outcome<{ call: CallView; media: MediaGrant }>> {
  const before = await callById(d.sql, id);
  if (!before || !canHandle(officer, before)) return fail(404, 'not_found', 'No such call in your area');
  const won = await d.sql.begin(async (tx) => {
    // The conditional update is the arbiter: of concurrent answers, exactly one sees status = 'ringing'.
    const [r] = await tx<{ id: string }[]>`
      UPDATE calls SET status = 'answered', answered_by = ${officer.id}, answered_at = now(), next_escalation_at = NULL
      WHERE id = ${id} AND status = 'ringing' RETURNING id`;
    if (!r) return null;
    const call = (await callById(tx, id))!;
    await addEvent(tx, id, 'answered', staffIdentity(officer), { officer: officer.username, name: officer.displayName });
    await d.bus.publish(tx, { topics: topicsFor(call), type: 'call.answered', data: { call: toView(call) } });
    return call;
  });
  if (!won) {
    const now = (await callById(d.sql, id))!;
    return now.status === 'ended'
      ? fail(409, 'call_ended', 'This call has already ended')
      : fail(409, 'already_answered', `This call was already answered by ${now.answerer_name ?? 'another officer'}`);
  }
  await ensureRoomLogged(d, won);
  return { ok: true, value: { call: toView(won), media: await d.media.joinToken(won.room_name, staffIdentity(officer), officer.displayName) } };
}

export type Party = { kind: 'station'; station: Station } | { kind: 'staff'; staff: Staff };

function partyMayEnd(p: Party, c: CallRow): boolean {
  if (p.kind === 'station') return p.station.id === c.station_id;
  if (p.staff.role === 'command') return canHandle(p.staff, c) || c.answered_by === p.staff.id;
  return c.answered_by === p.staff.id;
}

const partyIdentity = (p: Party) => (p.kind === 'station' ? stationIdentity(p.station) : staffIdentity(p.staff));

export async function endCall(d: CallDeps, id: string, by: Party | 'hub', reason: string): Promise<Outcome<CallView>> {
  const before = await callById(d.sql, id);
  if (!before) return fail(404, 'not_found', 'No such call');
  if (by !== 'hub' && !partyMayEnd(by, before)) {
    return by.kind === 'station' ? fail(404, 'not_found', 'No such call') : fail(403, 'forbidden', 'Only the officer who answered can end this call');
  }
  const ended = await d.sql.begin(async (tx) => {
    const [r] = await tx<{ id: string }[]>`
      UPDATE calls SET status = 'ended', ended_at = now(), end_reason = ${reason}, next_escalation_at = NULL
      WHERE id = ${id} AND status <> 'ended' RETURNING id`;
    if (!r) return null;
    const call = (await callById(tx, id))!;
    await addEvent(tx, id, 'ended', by === 'hub' ? 'hub' : partyIdentity(by), { reason });
    await d.bus.publish(tx, { topics: topicsFor(call), type: 'call.ended', data: { call: toView(call) } });
    return call;
  });
  if (!ended) return fail(409, 'call_ended', 'This call has already ended');
  // Closing the room disconnects whoever is still in it.
  await d.media.deleteRoom(ended.room_name).catch((err) => d.log.warn({ err, call: id }, 'deleting the media room failed'));
  return { ok: true, value: toView(ended) };
}

/** A fresh token for a party already in the call (e.g. the kiosk page reloaded). */
export async function rejoinCall(d: CallDeps, id: string, p: Party): Promise<Outcome<MediaGrant>> {
  const c = await callById(d.sql, id);
  if (!c || c.status === 'ended') return fail(404, 'not_found', 'No such live call');
  if (p.kind === 'station') {
    if (c.station_id !== p.station.id) return fail(404, 'not_found', 'No such live call');
    return { ok: true, value: await d.media.joinToken(c.room_name, stationIdentity(p.station), p.station.name) };
  }
  if (c.answered_by !== p.staff.id) return fail(403, 'forbidden', 'Only the officer who answered can join this call');
  return { ok: true, value: await d.media.joinToken(c.room_name, staffIdentity(p.staff), p.staff.displayName) };
}
