// Missed calls and callbacks: the console lists abandoned calls; an officer calls the station
// back (a new outbound call linked to the missed one, persisted before anyone is told), the kiosk
// rings, the resident picks up or declines, or the ring deadline passes (SKIP LOCKED loop).
import { randomUUID } from 'node:crypto';
import type { HubDeps } from '../deps.ts';
import type { Tx } from '../db/client.ts';
import type { Staff } from '../auth/staff.ts';
import type { Station } from '../stations/store.ts';
import {
  participant,
  type CallView,
  type CallbackPlaced,
  type CallbackView,
  type MediaGrantView,
  type MissedCallView,
  type Topic,
} from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { callById, insertCallEvent, toView, type CallRow } from './store.ts';
import { canHandle, topicsFor } from './audience.ts';
import { endCall } from './service.ts';
import {
  callbackById,
  callbackView,
  closeMissed,
  insertCallback,
  isOpenMissed,
  markStationAnswered,
  openCallbackOf,
  openMissed,
  takeDueCallbacks,
} from './callback-store.ts';
import { startTicker, type Ticker } from '../jobs/ticker.ts';

/** Who hears about a missed call and its callbacks: the original call's audience. */
const missedTopics = (c: CallRow): Topic[] => topicsFor(c);

/** The open missed calls this officer may call back. */
export async function missedCalls(d: HubDeps, officer: Staff): Promise<MissedCallView[]> {
  const out: MissedCallView[] = [];
  for (const m of await openMissed(d.sql)) {
    const call = await callById(d.sql, m.id);
    if (!call || !canHandle(officer, call)) continue;
    out.push({
      call: toView(call),
      attempts: m.attempts,
      ringing: m.ringing_id ? { callId: m.ringing_id, by: m.ringing_by ?? '' } : null,
    });
  }
  return out;
}

/** Closes a missed call with a reason (it leaves every console's list). */
export async function dismissMissed(
  d: HubDeps,
  id: string,
  officer: Staff,
  body: { reason: string; note?: string | undefined },
): Promise<Outcome<{ callId: string }>> {
  const call = await callById(d.sql, id);
  if (!call || !canHandle(officer, call)) return fail(404, 'not_found', 'No such call in your area');
  const state = await isOpenMissed(d.sql, id);
  if (state === 'not_missed') return fail(409, 'not_missed', 'This call was not missed');
  if (state === 'closed') return fail(409, 'already_closed', 'This missed call was already called back or dismissed');
  const done = await d.sql.begin(async (tx) => {
    if (!(await closeMissed(tx, id, 'dismissed', officer.id, body.reason, body.note ?? null))) return false;
    await insertCallEvent(tx, id, 'missed_dismissed', participant.staff(officer.username), {
      reason: body.reason,
      note: body.note ?? null,
    });
    await d.bus.publish(tx, { topics: missedTopics(call), type: 'missed.changed', data: { callId: id } });
    return true;
  });
  return done ? ok({ callId: id }) : fail(409, 'already_closed', 'This missed call was already called back or dismissed');
}

/**
 * Calls a station back about a missed call. The callback row, both timelines ('callback' on the
 * original, with the new call's id) and the ringing event are one transaction; then the room and
 * the officer's token. Pressing again while it rings returns the same callback.
 */
export async function placeCallback(
  d: HubDeps,
  originalId: string,
  officer: Staff,
): Promise<Outcome<CallbackPlaced & { created: boolean }>> {
  const original = await callById(d.sql, originalId);
  if (!original || !canHandle(officer, original)) return fail(404, 'not_found', 'No such call in your area');
  const state = await isOpenMissed(d.sql, originalId);
  if (state === 'not_missed') return fail(409, 'not_missed', 'Only a missed call can be called back');
  if (state === 'closed') return fail(409, 'already_closed', 'This missed call was already called back or dismissed');
  const me = participant.staff(officer.username);
  const placed = await d.sql.begin(async (tx) => {
    const id = await insertCallback(tx, {
      original,
      officerId: officer.id,
      key: `hub:callback:${randomUUID()}`,
      room: `callback-${randomUUID()}`,
      ringS: d.config.escalation.callbackRingMs / 1000,
    });
    if (!id) return null;
    const call = (await callById(tx, id))!;
    const cb = callbackView((await callbackById(tx, id))!);
    await insertCallEvent(tx, id, 'callback_placed', me, {
      originalCallId: originalId,
      officer: officer.username,
      name: officer.displayName,
    });
    await insertCallEvent(tx, originalId, 'callback', me, { callbackCallId: id, officer: officer.username });
    await d.bus.publish(tx, { topics: topicsFor(call), type: 'callback.ringing', data: { call: toView(call), callback: cb } });
    await d.bus.publish(tx, { topics: missedTopics(original), type: 'missed.changed', data: { callId: originalId } });
    return { call, cb };
  });
  if (!placed) {
    const open = await openCallbackOf(d.sql, originalId);
    if (open && open.officer_username === officer.username) {
      const call = (await callById(d.sql, open.id))!;
      return ok({ created: false, call: toView(call), callback: callbackView(open), media: await officerToken(d, call, officer) });
    }
    if (open) return fail(409, 'callback_in_progress', `${open.officer_name} is already calling this station back`);
    return fail(409, 'station_busy', 'The station is in another call now; try again when it ends');
  }
  return ok({ created: true, call: toView(placed.call), callback: placed.cb, media: await officerToken(d, placed.call, officer) });
}

async function officerToken(d: HubDeps, call: CallRow, officer: Staff): Promise<MediaGrantView> {
  await d.media.ensureRoom(call.room_name).catch((err) => d.log.error({ err, call: call.id }, 'creating the media room failed'));
  return d.media.joinToken(call.room_name, participant.staff(officer.username), officer.displayName);
}

async function publishUpdate(d: HubDeps, tx: Tx, id: string): Promise<{ call: CallView; callback: CallbackView }> {
  const call = (await callById(tx, id))!;
  const data = { call: toView(call), callback: callbackView((await callbackById(tx, id))!) };
  await d.bus.publish(tx, { topics: topicsFor(call), type: 'callback.updated', data });
  return data;
}

/** The resident picks up the callback on the kiosk: the missed call counts as called back. */
export async function pickUpCallback(
  d: HubDeps,
  id: string,
  station: Station,
): Promise<Outcome<{ call: CallView; callback: CallbackView; media: MediaGrantView }>> {
  const cb = await callbackById(d.sql, id);
  if (!cb || cb.station_id !== station.id) return fail(404, 'not_found', 'No such call');
  const me = participant.station(station.code);
  const r = await d.sql.begin(async (tx) => {
    if (!(await markStationAnswered(tx, id, station.id))) return null;
    await insertCallEvent(tx, id, 'station_answered', me, {});
    if (await closeMissed(tx, cb.callback_of, 'called_back', null, null, null)) {
      await insertCallEvent(tx, cb.callback_of, 'called_back', me, { callbackCallId: id });
      const original = (await callById(tx, cb.callback_of))!;
      await d.bus.publish(tx, { topics: missedTopics(original), type: 'missed.changed', data: { callId: cb.callback_of } });
    }
    return publishUpdate(d, tx, id);
  });
  const now = r ?? { call: toView((await callById(d.sql, id))!), callback: callbackView((await callbackById(d.sql, id))!) };
  // Picked up already (a retry): a fresh token while it is live.
  if (!r && now.callback.status !== 'answered') return fail(409, 'call_ended', 'This call has already ended');
  const row = (await callById(d.sql, id))!;
  return ok({ ...now, media: await d.media.joinToken(row.room_name, me, station.name) });
}

/** The resident declines the callback: it ends, recorded; the missed call stays listed. */
export async function declineCallback(d: HubDeps, id: string, station: Station): Promise<Outcome<{ callback: CallbackView }>> {
  const cb = await callbackById(d.sql, id);
  if (!cb || cb.station_id !== station.id) return fail(404, 'not_found', 'No such call');
  if (cb.station_answered_at) return fail(409, 'already_answered', 'This call was answered; hang up instead');
  if (cb.status === 'ended') {
    return callbackView(cb).status === 'declined'
      ? ok({ callback: callbackView(cb) })
      : fail(409, 'call_ended', 'This call has already ended');
  }
  const r = await endCall(d, id, { kind: 'station', station }, 'declined');
  if (!r.ok) return r.code === 'call_ended' ? fail(409, 'call_ended', 'This call has already ended') : r;
  await finishCallback(d, id, cb.callback_of, 'callback_declined', participant.station(station.code));
  return ok({ callback: callbackView((await callbackById(d.sql, id))!) });
}

async function finishCallback(d: HubDeps, id: string, originalId: string, kind: string, actor: string) {
  await d.sql.begin(async (tx) => {
    await insertCallEvent(tx, originalId, kind, actor, { callbackCallId: id });
    await publishUpdate(d, tx, id);
    const original = (await callById(tx, originalId))!;
    await d.bus.publish(tx, { topics: missedTopics(original), type: 'missed.changed', data: { callId: originalId } });
  });
}

/** Ends every callback whose ring deadline passed, recorded on both timelines. */
export async function expireDueCallbacks(d: HubDeps, batch = 50): Promise<number> {
  const due = await d.sql.begin((tx) => takeDueCallbacks(tx, batch));
  for (const id of due) {
    const cb = (await callbackById(d.sql, id))!;
    const r = await endCall(d, id, 'hub', 'callback_unanswered');
    if (r.ok) await finishCallback(d, id, cb.callback_of, 'callback_unanswered', 'hub');
  }
  return due.length;
}

export function startCallbackLoop(d: HubDeps): Ticker {
  return startTicker({
    everyMs: d.config.escalation.tickMs,
    log: d.log,
    failure: 'callback deadline tick failed',
    step: () => expireDueCallbacks(d),
  });
}
