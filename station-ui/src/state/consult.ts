// The resident's consult with a doctor, through the agent's proxy to the hub's /api/consults.
import { createSignal } from 'solid-js';
import type { ConsultView, MediaGrantView } from '@tram/contracts';

export type { ConsultView };
export type Reason = ConsultView['reason'];
/** What the consult screen shows before or instead of a consult. */
export type Blocker = null | 'no_doctor' | 'unavailable' | 'no_session' | 'sending';

export const [consult, setConsult] = createSignal<ConsultView | null>(null);
export const [blocker, setBlocker] = createSignal<Blocker>(null);
export const [available, setAvailable] = createSignal<number | null>(null);
let requestKey: string | null = null;

const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body ?? {}) });

export async function loadAvailability() {
  try {
    const r = await fetch('/api/consults/availability');
    if (!r.ok) { setAvailable(null); setBlocker('unavailable'); return; }
    const n = ((await r.json()) as { available: number }).available;
    setAvailable(n);
    setBlocker(n === 0 ? 'no_doctor' : null);
  } catch { setBlocker('unavailable'); }
}

export async function requestConsult(reason: Reason) {
  // One key per attempt of this resident, so a double tap or a retry never queues twice.
  requestKey ??= crypto.randomUUID();
  setBlocker('sending');
  try {
    const r = await post('/api/consults', { reason }, { 'idempotency-key': requestKey });
    const body = (await r.json().catch(() => null)) as { consult?: ConsultView; error?: { code: string } } | null;
    if (r.ok && body?.consult) { setConsult(body.consult); setBlocker(null); return; }
    requestKey = null;
    const code = body?.error?.code;
    setBlocker(code === 'no_clinician_available' ? 'no_doctor' : code === 'no_citizen_session' ? 'no_session' : 'unavailable');
  } catch { requestKey = null; setBlocker('unavailable'); }
}

export async function cancelConsult() {
  const c = consult();
  if (!c) return;
  try {
    const r = await post(`/api/consults/${c.id}/cancel`);
    if (r.ok) applyConsult(((await r.json()) as { consult: ConsultView }).consult);
  } catch { /* the hub ends it when the card is removed */ }
}

export async function consultMedia(id: string): Promise<MediaGrantView | null> {
  try {
    const r = await post(`/api/consults/${id}/media`);
    return r.ok ? ((await r.json()) as { media: MediaGrantView }).media : null;
  } catch { return null; }
}

/** Catch up after a missed event (socket reconnect) or while waiting. */
export async function refreshConsult() {
  if (!consult()) return;
  try {
    const r = await fetch('/api/consults/current');
    if (!r.ok) return;
    const c = ((await r.json()) as { consult: ConsultView | null }).consult;
    if (c && c.id === consult()?.id) setConsult(c);
  } catch { /* keep what we have */ }
}

export function applyConsult(c: ConsultView) {
  // Only the consult this page asked for: after a reset the page forgets it and stays forgotten.
  if (consult()?.id === c.id) setConsult(c);
}

export function clearConsult() { setConsult(null); setBlocker(null); setAvailable(null); requestKey = null; }
