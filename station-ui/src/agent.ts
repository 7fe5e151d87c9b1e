// The kiosk page talks only to the local agent: SOS through its outbox, events through its socket.
import { createSignal } from 'solid-js';
import type { CallView, MediaGrantView } from '@tram/hub/schemas';
import type { CardAccess, CardState } from '../agent/gateway/card-state.ts';

export type SosState =
  | { state: 'idle' }
  | { state: 'sending'; key: string; attempts: number; lastError?: string }
  | { state: 'acknowledged'; key: string; call: CallView; media: MediaGrantView | null };

export const [hubUp, setHubUp] = createSignal(true);
export const [sos, setSos] = createSignal<SosState>({ state: 'idle' });
export const [call, setCall] = createSignal<CallView | null>(null);
export const [escalated, setEscalated] = createSignal(false);
export const [card, setCard] = createSignal<CardState>({ state: 'absent' });

export async function submitAccess(access: CardAccess) {
  await fetch('/agent/card/access', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(access) });
}

export async function raiseSos() {
  const r = await fetch('/agent/sos', { method: 'POST' });
  if (r.ok) applySos((await r.json()) as SosState);
}

export async function endCall(id: string, reason: 'hangup' | 'cancelled') {
  await fetch(`/api/calls/${id}/end`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason }) });
}

function applySos(s: SosState) {
  setSos(s);
  if (s.state === 'acknowledged' && s.call.status !== 'ended' && call()?.id !== s.call.id) {
    setCall(s.call);
    setEscalated(s.call.escalationLevel >= 2);
  }
}

export function connectAgent() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/agent/ws`);
  ws.onmessage = (m) => {
    const e = JSON.parse(String(m.data)) as { type: string; data: any };
    if (e.type === 'agent.state') { setHubUp(e.data.hub === 'up'); applySos(e.data.sos); if (e.data.card) setCard(e.data.card); return; }
    if (e.type === 'card.state') { setCard(e.data as CardState); return; }
    const c = e.data?.call as CallView | undefined;
    if (!c || c.id !== call()?.id) return;
    if (e.type === 'call.escalated') setEscalated(true);
    setCall(c);
  };
  ws.onclose = () => setTimeout(connectAgent, 1000);
}

export function resetCall() { setCall(null); setEscalated(false); setSos({ state: 'idle' }); }
