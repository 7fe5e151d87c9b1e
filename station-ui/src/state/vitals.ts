// Booth readings as they arrive: live values from the agent (`vitals.reading`), device status
// (`vitals.device`), and the hub's verdict on stored ones (`vitals.observation`, with flags).
import { createSignal } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';

export type Kind = 'blood_pressure' | 'spo2' | 'heart_rate' | 'temperature' | 'weight' | 'height';
export interface LiveReading { id: string; kind: Kind; value?: number; values?: { systolic: number; diastolic: number; mean?: number }; unit: string; at: string; flags?: string[]; recorded?: boolean }
export interface DeviceView { device: { id: string; model: string }; kind: Kind; state: 'connected' | 'disconnected' | 'error'; condition?: { flags: readonly string[]; detail?: Record<string, number> } }
export interface ObservationSummary { id: string; readingId: string; kind: Kind; value?: number; values?: Record<string, number>; unit: string; interpretation?: string }
export interface HubFlag { code: string; kind: Kind; severity: 'urgent' | 'warning'; message: { vi: string; en: string }; readingId: string }

const [state, setState] = createStore<{ readings: Partial<Record<Kind, LiveReading>>; devices: Record<string, DeviceView>; observations: Record<string, ObservationSummary>; flags: Partial<Record<Kind, HubFlag>> }>({ readings: {}, devices: {}, observations: {}, flags: {} });
export const vitals = state;
/** Set when the measuring session started, so readings from before it are not shown as this resident's. */
export const [since, setSince] = createSignal(0);

export function onReading(r: LiveReading) {
  if (Date.parse(r.at) < since()) return;
  setState('readings', r.kind, r);
}
export function onDevice(d: DeviceView) { setState('devices', d.device.id, d); }
export function onObservation(e: { observations: ObservationSummary[]; flags: HubFlag[] }) {
  for (const o of e.observations) {
    setState('observations', o.readingId, o);
    // The hub flags the latest value of each kind: a newer reading of a kind replaces its flag.
    setState('flags', o.kind, e.flags.find((f) => f.kind === o.kind));
  }
}
export const devicesFor = (kinds: readonly Kind[]) => Object.values(state.devices).filter((d) => kinds.includes(d.kind));

/** Forget this resident's measurements (devices stay). */
export function clearVitals() {
  setState('readings', reconcile({}));
  setState('observations', reconcile({}));
  setState('flags', reconcile({}));
  setSince(Date.now());
}

/** The kiosk's "start measuring" button: the agent sends the start command to the step's devices. */
export async function startMeasuring(kinds: readonly Kind[]) {
  for (const kind of kinds) {
    await fetch('/agent/vitals/measure', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind }) }).catch(() => {});
  }
}
