// The resident's consult with a doctor, through the agent's relay to the hub's /api/consults.
import { createSignal } from 'solid-js';
import type { ConsultReason, ConsultView, MediaGrantView } from '@tram/contracts';
import { errorOf, hub } from '../clients/hub.ts';

export type { ConsultView };
export type Reason = ConsultReason;
/** What the consult screen shows before or instead of a consult. */
export type Blocker = null | 'no_doctor' | 'unavailable' | 'no_session' | 'sending';

export const [consult, setConsult] = createSignal<ConsultView | null>(null);
export const [blocker, setBlocker] = createSignal<Blocker>(null);
export const [available, setAvailable] = createSignal<number | null>(null);
let requestKey: string | null = null;

export async function loadAvailability() {
  try {
    const r = await hub.api.consults.availability.$get();
    if (!r.ok) {
      setAvailable(null);
      setBlocker('unavailable');
      return;
    }
    const n = (await r.json()).available;
    setAvailable(n);
    setBlocker(n === 0 ? 'no_doctor' : null);
  } catch {
    setBlocker('unavailable');
  }
}

export async function requestConsult(reason: Reason) {
  // One key per attempt of this resident, so a double tap or a retry never queues twice.
  requestKey ??= crypto.randomUUID();
  setBlocker('sending');
  try {
    const r = await hub.api.consults.$post({ json: { reason }, header: { 'idempotency-key': requestKey } });
    if (r.ok) {
      setConsult((await r.json()).consult);
      setBlocker(null);
      return;
    }
    requestKey = null;
    const { code } = await errorOf(r, '');
    setBlocker(code === 'no_clinician_available' ? 'no_doctor' : code === 'no_citizen_session' ? 'no_session' : 'unavailable');
  } catch {
    requestKey = null;
    setBlocker('unavailable');
  }
}

export async function cancelConsult() {
  const c = consult();
  if (!c) return;
  try {
    const r = await hub.api.consults[':id'].cancel.$post({ param: { id: c.id } });
    if (r.ok) applyConsult((await r.json()).consult);
  } catch {
    /* the hub ends it when the card is removed */
  }
}

export async function consultMedia(id: string): Promise<MediaGrantView | null> {
  try {
    const r = await hub.api.consults[':id'].media.$post({ param: { id } });
    return r.ok ? (await r.json()).media : null;
  } catch {
    return null;
  }
}

/** Catch up after a missed event (socket reconnect) or while waiting. */
export async function refreshConsult() {
  if (!consult()) return;
  try {
    const r = await hub.api.consults.current.$get();
    if (!r.ok) return;
    const c = (await r.json()).consult;
    if (c && c.id === consult()?.id) setConsult(c);
  } catch {
    /* keep what we have */
  }
}

export function applyConsult(c: ConsultView) {
  // Only the consult this page asked for: after a reset the page forgets it and stays forgotten.
  if (consult()?.id === c.id) setConsult(c);
}

export function clearConsult() {
  setConsult(null);
  setBlocker(null);
  setAvailable(null);
  requestKey = null;
}
