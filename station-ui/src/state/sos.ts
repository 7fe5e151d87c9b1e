// The emergency call as the page knows it: the countdown after the tap (so an accidental press can
// be cancelled), the agent's SOS outbox state and the hub's call.
import { createSignal } from 'solid-js';
import { staleCallView, type CallView, type HubEvent, type MediaGrantView, type SosState } from '@tram/contracts';
import { agent } from '../clients/agent.ts';
import { hub } from '../clients/hub.ts';
import { speak, stopVoice } from './voice.ts';
import { staleSos } from './sos-order.ts';

/** The hub's events about a call. */
export type CallEvent = Extract<HubEvent, { data: { call: CallView } }>;

export const [sos, setSos] = createSignal<SosState>({ state: 'idle' });
export const [call, setCall] = createSignal<CallView | null>(null);
export const [escalated, setEscalated] = createSignal(false);

// Seconds between the SOS tap and the call going out (?sos=N in the kiosk URL, 0 = none; default 3).
const param = new URLSearchParams(location.search).get('sos');
export const SOS_COUNTDOWN_S = param !== null && Number.isFinite(Number(param)) && Number(param) >= 0 ? Number(param) : 3;

/** Seconds left before the call goes out, or null when no countdown runs. */
export const [countdown, setCountdown] = createSignal<number | null>(null);
/** A countdown was just cancelled (the screen says "no call was made" for a moment). */
export const [cancelledNote, setCancelledNote] = createSignal(false);
let deadline = 0;
let tick: ReturnType<typeof setInterval> | undefined;

let beforeSend: (() => Promise<unknown>) | undefined;

/**
 * The SOS tap: starts the countdown (or calls at once when it is 0 or a call is already on).
 * `before`: what to do only once the call really goes out (e.g. end the doctor consult).
 */
export function raiseSos(before?: () => Promise<unknown>) {
  if (countdown() !== null) return;
  beforeSend = before;
  if (SOS_COUNTDOWN_S === 0 || call() || sos().state === 'sending') return sendSos();
  setCancelledNote(false);
  deadline = Date.now() + SOS_COUNTDOWN_S * 1000;
  setCountdown(SOS_COUNTDOWN_S);
  speak('sosCountdownVoice');
  tick = setInterval(() => {
    const left = Math.max(0, deadline - Date.now());
    setCountdown(Math.ceil(left / 1000));
    if (left === 0) {
      clearInterval(tick);
      setCountdown(null);
      void sendSos();
    }
  }, 100);
}

/** "HỦY": no call goes out; the hub counts the cancelled countdown for this station. */
export function cancelCountdown() {
  if (countdown() === null) return;
  clearInterval(tick);
  beforeSend = undefined;
  const remainingMs = Math.max(0, Math.round(deadline - Date.now()));
  setCountdown(null);
  stopVoice();
  setCancelledNote(true);
  setTimeout(() => setCancelledNote(false), 4000);
  const key = crypto.randomUUID();
  const report = (tries: number): void => {
    hub.api.station['sos-cancelled']
      .$post({ json: { remainingMs }, header: { 'idempotency-key': key } })
      .then((r) => {
        if (!r.ok && r.status >= 500 && tries > 1) setTimeout(() => report(tries - 1), 2000);
      })
      .catch(() => {
        if (tries > 1) setTimeout(() => report(tries - 1), 2000);
      });
  };
  report(5);
}

async function sendSos() {
  const before = beforeSend;
  beforeSend = undefined;
  await before?.().catch(() => {});
  const s = await agent.sos();
  if (s) applySos(s);
}

/** Cancel an SOS the agent is still trying to deliver (the hub unreachable): nothing goes out. */
export async function cancelPending() {
  const s = await agent.sosCancel();
  if (s) applySos(s);
}

/** A fresh grant for the SOS call after its media connection dropped (null: not now; asked again later). */
export async function rejoinSos(id: string): Promise<MediaGrantView | null> {
  const r = await hub.api.calls[':id'].media.$post({ param: { id } });
  return r.ok ? (await r.json()).media : null;
}

export async function endCall(id: string, reason: 'hangup' | 'cancelled') {
  await hub.api.calls[':id'].end.$post({ param: { id }, json: { reason } });
}

export function applySos(s: SosState) {
  if (staleSos(sos(), s)) return;
  setSos(s);
  if (s.state === 'acknowledged' && s.call.status !== 'ended' && call()?.id !== s.call.id) {
    setCall(s.call);
    setEscalated(s.call.escalationLevel >= 2);
  }
}

export function applyCallEvent(type: CallEvent['type'], c: CallView) {
  if (c.id !== call()?.id || staleCallView(call(), c)) return;
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

/** Whether this press joined the station's call that was already open. */
export const joinedOpenCall = (): boolean => {
  const s = sos();
  return s.state === 'acknowledged' && s.joined === true;
};
/** The officer's outcome in plain words, if the state carries one. */
export const callOutcome = (): string | undefined => {
  const s = sos();
  return s.state === 'acknowledged' ? s.outcome : undefined;
};
