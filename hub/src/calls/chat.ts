// The silent SOS: the resident turns the call into text ("Tôi không nói được"); the chat goes
// through the hub, is stored (and in the timeline) so it survives reconnects, and reaches the
// kiosk, the owner and every responder.
import type { HubDeps } from '../deps.ts';
import { participant, QUICK_REPLY_TEXT, type ChatBody, type ChatMessageView } from '@tram/contracts';
import { fail, ok, type Outcome } from '../http/outcome.ts';
import { callById, insertCallEvent, type CallRow } from './store.ts';
import type { Party } from './service.ts';
import { callAudience, inCall } from './responders.ts';
import { insertMessage, isSilent, markSilent, messageByKey, messagesOf } from './chat-store.ts';

async function mayChat(d: HubDeps, call: CallRow | undefined, p: Party): Promise<boolean> {
  if (!call) return false;
  return p.kind === 'station' ? call.station_id === p.station.id : inCall(d.sql, call, p.staff);
}

export async function chatOf(d: HubDeps, callId: string, p: Party): Promise<Outcome<{ silent: boolean; messages: ChatMessageView[] }>> {
  const call = await callById(d.sql, callId);
  if (!(await mayChat(d, call, p))) return fail(404, 'not_found', 'No such call');
  return ok({ silent: await isSilent(d.sql, callId), messages: await messagesOf(d.sql, callId) });
}

export async function postChat(
  d: HubDeps,
  callId: string,
  p: Party,
  key: string,
  body: ChatBody,
): Promise<Outcome<{ message: ChatMessageView; created: boolean }>> {
  const call = await callById(d.sql, callId);
  if (!call || !(await mayChat(d, call, p))) return fail(404, 'not_found', 'No such call');
  if (call.status === 'ended') return fail(409, 'call_ended', 'This call has already ended');
  const sender = p.kind === 'station' ? participant.station(p.station.code) : participant.staff(p.staff.username);
  const quick = 'quick' in body ? body.quick : null;
  if (quick && p.kind !== 'station') return fail(422, 'quick_for_resident', 'Quick replies are the resident’s');
  const text = quick ? QUICK_REPLY_TEXT[quick].vi : (body as { text: string }).text;
  const name = p.kind === 'station' ? 'Người dân' : p.staff.displayName;
  const message = await d.sql.begin(async (tx) => {
    const m = await insertMessage(tx, { callId, key, sender, kind: p.kind === 'station' ? 'resident' : 'staff', name, text, quick });
    if (!m) return null;
    await insertCallEvent(tx, callId, 'chat', sender, { messageId: m.id, text, quick });
    await d.bus.publish(tx, { topics: await callAudience(tx, call), type: 'call.chat', data: { callId, message: m } });
    return m;
  });
  if (message) return ok({ message, created: true });
  const same = (await messageByKey(d.sql, callId, sender, key))!;
  if (same.text !== text) return fail(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different message');
  return ok({ message: same, created: false });
}

/** The resident cannot speak: the call turns to text (video stays on). */
export async function goSilent(d: HubDeps, callId: string, p: Party & { kind: 'station' }): Promise<Outcome<{ silent: true }>> {
  const call = await callById(d.sql, callId);
  if (!call || call.station_id !== p.station.id) return fail(404, 'not_found', 'No such call');
  if (call.status === 'ended') return fail(409, 'call_ended', 'This call has already ended');
  await d.sql.begin(async (tx) => {
    if (!(await markSilent(tx, callId, p.station.id))) return;
    await insertCallEvent(tx, callId, 'silent_mode', participant.station(p.station.code), {});
    await d.bus.publish(tx, { topics: await callAudience(tx, call), type: 'call.silent', data: { callId } });
  });
  return ok({ silent: true });
}
