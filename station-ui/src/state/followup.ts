// The kiosk's side of the police follow-up: a callback ringing the station (answered with one
// tap, no card), who else joined the call, and the silent SOS chat. Fed by the hub's events
// relayed by the agent; the chat is read back from the hub, so it survives a reload.
import { createSignal } from 'solid-js';
import type { CallView, CallbackView, ChatMessageView, HubEvent, MediaGrantView, QuickReply, ResponderView } from '@tram/contracts';
import { hub } from '../clients/hub.ts';
import { muted } from './voice.ts';

export const [incoming, setIncoming] = createSignal<{ call: CallView; callback: CallbackView } | null>(null);
export const [callback, setCallback] = createSignal<{ call: CallView; callback: CallbackView; media: MediaGrantView } | null>(null);
export const [responders, setResponders] = createSignal<{ callId: string; list: ResponderView[] } | null>(null);
const [chat, setChat] = createSignal<{ callId: string; silent: boolean; messages: ChatMessageView[] } | null>(null);
export { chat };

const key = () => crypto.randomUUID();

export function onFollowupEvent(e: HubEvent): boolean {
  switch (e.type) {
    case 'callback.ringing':
      if (!callback()) setIncoming(e.data);
      return true;
    case 'callback.updated': {
      const i = incoming();
      if (i && i.call.id === e.data.call.id && e.data.callback.status !== 'ringing') setIncoming(null);
      const c = callback();
      if (c && c.call.id === e.data.call.id) setCallback({ ...c, call: e.data.call, callback: e.data.callback });
      return true;
    }
    case 'call.ended': {
      const i = incoming();
      if (i && i.call.id === e.data.call.id) setIncoming(null);
      const c = callback();
      if (c && c.call.id === e.data.call.id) {
        setCallback({ ...c, call: e.data.call });
        setTimeout(() => callback()?.call.id === e.data.call.id && setCallback(null), 5000);
      }
      return false; // the SOS state follows it too
    }
    case 'call.responders':
      setResponders({ callId: e.data.callId, list: e.data.responders });
      return true;
    case 'call.silent':
      setChat((c) =>
        c && c.callId === e.data.callId ? { ...c, silent: true } : { callId: e.data.callId, silent: true, messages: c?.messages ?? [] },
      );
      return true;
    case 'call.chat': {
      const m = e.data.message;
      setChat((c) => {
        const base = c && c.callId === e.data.callId ? c : { callId: e.data.callId, silent: false, messages: [] };
        return base.messages.some((x) => x.id === m.id) ? base : { ...base, messages: [...base.messages, m] };
      });
      if (m.from === 'staff') say(m.text);
      return true;
    }
  }
  return false;
}

/** Reads an officer's words aloud when the kiosk voice is on (the browser's own speech, if any). */
function say(text: string) {
  if (muted() || typeof speechSynthesis === 'undefined') return;
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'vi-VN';
  speechSynthesis.speak(u);
}

export async function answerCallback(): Promise<boolean> {
  const i = incoming();
  if (!i) return false;
  const r = await hub.api.calls[':id'].pickup.$post({ param: { id: i.call.id }, header: { 'idempotency-key': key() } });
  setIncoming(null);
  if (!r.ok) return false;
  const b = await r.json();
  setCallback({ call: b.call, callback: b.callback, media: b.media });
  return true;
}

export async function declineCallback() {
  const i = incoming();
  if (!i) return;
  setIncoming(null);
  await hub.api.calls[':id'].decline.$post({ param: { id: i.call.id }, header: { 'idempotency-key': key() } });
}

export async function hangUpCallback() {
  const c = callback();
  if (!c) return;
  await hub.api.calls[':id'].end.$post({ param: { id: c.call.id }, json: { reason: 'hangup' } });
  setCallback(null);
}

export async function loadChat(callId: string) {
  const r = await hub.api.calls[':id'].chat.$get({ param: { id: callId } });
  if (r.ok) {
    const b = await r.json();
    setChat({ callId, silent: b.silent, messages: b.messages });
  }
}

export async function goSilent(callId: string) {
  setChat((c) => ({ callId, silent: true, messages: c?.callId === callId ? c.messages : [] }));
  await hub.api.calls[':id'].silent.$post({ param: { id: callId }, header: { 'idempotency-key': key() } });
  await loadChat(callId);
}

export async function sendQuick(callId: string, quick: QuickReply) {
  const r = await hub.api.calls[':id'].chat.$post({ param: { id: callId }, header: { 'idempotency-key': key() }, json: { quick } });
  if (r.ok) {
    const { message } = await r.json();
    setChat((c) =>
      c && c.callId === callId && !c.messages.some((x) => x.id === message.id) ? { ...c, messages: [...c.messages, message] } : c,
    );
  }
}

export function resetFollowup() {
  setIncoming(null);
  setCallback(null);
  setResponders(null);
  setChat(null);
}
