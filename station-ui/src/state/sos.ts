// The emergency call as the page knows it: the agent's SOS outbox state and the hub's call.
import { createSignal } from 'solid-js';
import type { CallView, HubEvent, MediaGrantView, SosState } from '@tram/contracts';
import { agent } from '../clients/agent.ts';
import { hub } from '../clients/hub.ts';

/** The hub's events about a call. */
export type CallEvent = Extract<HubEvent, { data: { call: CallView } }>;

export const [sos, setSos] = createSignal<SosState>({ state: 'idle' });
export const [call, setCall] = createSignal<CallView | null>(null);
export const [escalated, setEscalated] = createSignal(false);

export async function raiseSos() {
  const s = await agent.sos();
  if (s) applySos(s);
}

export async function endCall(id: string, reason: 'hangup' | 'cancelled') {
  await hub.api.calls[':id'].end.$post({ param: { id }, json: { reason } });
}

export function applySos(s: SosState) {
  setSos(s);
  if (s.state === 'acknowledged' && s.call.status !== 'ended' && call()?.id !== s.call.id) {
    setCall(s.call);
    setEscalated(s.call.escalationLevel >= 2);
  }
}

export function applyCallEvent(type: CallEvent['type'], c: CallView) {
  if (c.id !== call()?.id) return;
  if (type === 'call.escalated') setEscalated(true);
  setCall(c);
}

export function resetCall() {
  setCall(null);
  setEscalated(false);
  setSos({ state: 'idle' });
}

/** The media grant of the SOS call, when the agent has one. */
export const sosMedia = (): MediaGrantView | null => {
  const s = sos();
  return s.state === 'acknowledged' ? s.media : null;
};
