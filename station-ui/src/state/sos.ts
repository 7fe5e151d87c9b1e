// The emergency call as the page knows it: the agent's SOS outbox state and the hub's call.
import { createSignal } from 'solid-js';
import type { CallView, MediaGrantView } from '@tram/contracts';

export type SosState =
  | { state: 'idle' }
  | { state: 'sending'; key: string; attempts: number; lastError?: string }
  | { state: 'acknowledged'; key: string; call: CallView; media: MediaGrantView | null };

export const [sos, setSos] = createSignal<SosState>({ state: 'idle' });
export const [call, setCall] = createSignal<CallView | null>(null);
export const [escalated, setEscalated] = createSignal(false);

export async function raiseSos() {
  const r = await fetch('/agent/sos', { method: 'POST' });
  if (r.ok) applySos((await r.json()) as SosState);
}

export async function endCall(id: string, reason: 'hangup' | 'cancelled') {
  await fetch(`/api/calls/${id}/end`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason }) });
}

export function applySos(s: SosState) {
  setSos(s);
  if (s.state === 'acknowledged' && s.call.status !== 'ended' && call()?.id !== s.call.id) {
    setCall(s.call);
    setEscalated(s.call.escalationLevel >= 2);
  }
}

export function applyCallEvent(type: string, c: CallView) {
  if (c.id !== call()?.id) return;
  if (type === 'call.escalated') setEscalated(true);
  setCall(c);
}

export function resetCall() { setCall(null); setEscalated(false); setSos({ state: 'idle' }); }

/** The media grant of the SOS call, when the agent has one. */
export const sosMedia = (): MediaGrantView | null => { const s = sos(); return s.state === 'acknowledged' ? s.media : null; };
