// Responders added to a live call: the owner (the officer who answered) invites a colleague, a
// neighbouring ward's officer or a 115 medic with a typed handover; the invitee's console rings
// (their own topic), they accept and get a media token; the kiosk sees who joined; the owner may
// hand the call to a joined officer and leave (warm transfer). Every step is in the timeline.
import type { HubDeps } from '../deps.ts';
import type { Tx } from '../db/client.ts';
import type { Staff } from '../auth/staff.ts';
import { participant, topic, type InvitationView, type MediaGrantView, type ResponderView, type Topic } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { callById, insertCallEvent, toView, type CallRow } from './store.ts';
import { topicsFor } from './audience.ts';
import {
  callsRespondedBy,
  insertInvitation,
  markJoined,
  markLeft,
  responderCandidate,
  responderOf,
  respondersOf,
  responderView,
  transferOwner,
} from './responders-store.ts';

/** The call's audience plus every responder's own topic. */
export async function callAudience(tx: HubDeps['sql'] | Tx, call: CallRow): Promise<Topic[]> {
  const rs = await respondersOf(tx, call.id);
  return [...topicsFor(call), ...rs.filter((r) => r.status !== 'left').map((r) => topic.staff(r.staff_id))];
}

/** Whether this staff member is in the call: its owner or a responder who joined. */
export async function inCall(sql: HubDeps['sql'] | Tx, call: CallRow, s: Staff): Promise<boolean> {
  if (call.answered_by === s.id) return true;
  return (await responderOf(sql, call.id, s.id))?.status === 'joined';
}

async function publishResponders(d: HubDeps, tx: Tx, callId: string) {
  const call = (await callById(tx, callId))!;
  const responders = (await respondersOf(tx, callId)).map(responderView);
  const owner = call.answerer_username
    ? { username: call.answerer_username, displayName: call.answerer_name ?? call.answerer_username }
    : null;
  await d.bus.publish(tx, { topics: await callAudience(tx, call), type: 'call.responders', data: { callId, owner, responders } });
}

export async function listResponders(d: HubDeps, callId: string, s: Staff): Promise<Outcome<{ responders: ResponderView[] }>> {
  const call = await callById(d.sql, callId);
  if (!call || !(await inCall(d.sql, call, s))) return fail(404, 'not_found', 'No such call of yours');
  return ok({ responders: (await respondersOf(d.sql, callId)).map(responderView) });
}

export async function addResponder(
  d: HubDeps,
  callId: string,
  owner: Staff,
  body: { username: string; note: string },
): Promise<Outcome<{ responder: ResponderView; created: boolean }>> {
  const call = await callById(d.sql, callId);
  if (!call || call.answered_by !== owner.id) return fail(404, 'not_found', 'No such call answered by you');
  if (call.status !== 'answered') return fail(409, 'call_ended', 'This call has already ended');
  const who = await responderCandidate(d.sql, body.username);
  if (!who) return fail(422, 'no_such_responder', 'No active police, command or medic account has this username');
  if (who.id === owner.id) return fail(422, 'already_owner', 'You are already in this call');
  const created = await d.sql.begin(async (tx) => {
    if (!(await insertInvitation(tx, callId, who.id, owner.id, body.note))) return false;
    await insertCallEvent(tx, callId, 'responder_invited', participant.staff(owner.username), {
      username: who.username,
      name: who.display_name,
      role: who.role,
      note: body.note,
    });
    const responder = responderView((await responderOf(tx, callId, who.id))!);
    const now = (await callById(tx, callId))!;
    await d.bus.publish(tx, { topics: [topic.staff(who.id)], type: 'responder.invited', data: { call: toView(now), responder } });
    await publishResponders(d, tx, callId);
    return true;
  });
  const responder = responderView((await responderOf(d.sql, callId, who.id))!);
  return ok({ responder, created });
}

/** The calls this staff member was added to and has not left (a medic sees only these). */
export async function myInvitations(d: HubDeps, s: Staff): Promise<InvitationView[]> {
  const out: InvitationView[] = [];
  for (const r of await callsRespondedBy(d.sql, s.id)) {
    const call = await callById(d.sql, r.call_id);
    if (call) out.push({ call: toView(call), responder: responderView(r) });
  }
  return out;
}

/** An invited responder joins (again: a fresh token). */
export async function joinAsResponder(d: HubDeps, callId: string, s: Staff): Promise<Outcome<InvitationView & { media: MediaGrantView }>> {
  const call = await callById(d.sql, callId);
  const mine = call && (await responderOf(d.sql, callId, s.id));
  if (!call || !mine || mine.status === 'left') return fail(404, 'not_found', 'You were not added to this call');
  if (call.status === 'ended') return fail(409, 'call_ended', 'This call has already ended');
  await d.sql.begin(async (tx) => {
    const r = await markJoined(tx, callId, s.id);
    if (r !== 'joined') return;
    await insertCallEvent(tx, callId, 'responder_joined', participant.staff(s.username), {
      username: s.username,
      name: s.displayName,
      role: s.role,
    });
    await publishResponders(d, tx, callId);
  });
  const media = await d.media.joinToken(call.room_name, participant.staff(s.username), s.displayName);
  return ok({ call: toView(call), responder: responderView((await responderOf(d.sql, callId, s.id))!), media });
}

/** A responder leaves (or declines the invitation); the call goes on. */
export async function leaveAsResponder(d: HubDeps, callId: string, s: Staff): Promise<Outcome<{ left: boolean }>> {
  const call = await callById(d.sql, callId);
  if (!call || !(await responderOf(d.sql, callId, s.id))) return fail(404, 'not_found', 'You were not added to this call');
  const left = await d.sql.begin(async (tx) => {
    if (!(await markLeft(tx, callId, s.id))) return false;
    await insertCallEvent(tx, callId, 'responder_left', participant.staff(s.username), { username: s.username, role: s.role });
    await publishResponders(d, tx, callId);
    return true;
  });
  return ok({ left });
}

/** Warm transfer: the owner hands the call to a police/command responder who joined, then may leave. */
export async function transferCall(d: HubDeps, callId: string, owner: Staff, to: string): Promise<Outcome<{ owner: string }>> {
  const call = await callById(d.sql, callId);
  if (!call || call.answered_by !== owner.id) return fail(404, 'not_found', 'No such call answered by you');
  if (call.status !== 'answered') return fail(409, 'call_ended', 'This call has already ended');
  const target = await responderCandidate(d.sql, to);
  if (!target || target.role === 'medic')
    return fail(422, 'not_transferable', 'The call can be handed only to a police or command officer');
  const done = await d.sql.begin(async (tx) => {
    if (!(await transferOwner(tx, callId, owner.id, target.id))) return false;
    await insertCallEvent(tx, callId, 'transferred', participant.staff(owner.username), {
      from: owner.username,
      to: target.username,
      name: target.display_name,
    });
    const now = (await callById(tx, callId))!;
    await d.bus.publish(tx, { topics: topicsFor(now), type: 'call.answered', data: { call: toView(now) } });
    await publishResponders(d, tx, callId);
    return true;
  });
  return done ? ok({ owner: target.username }) : fail(409, 'not_joined', `${target.display_name} has not joined the call yet`);
}
