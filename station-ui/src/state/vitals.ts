// Booth readings as they arrive: live values from the agent (`vitals.reading`), device status
// (`vitals.device`), and the hub's verdict on stored ones (`vitals.observation`, with flags).
import { createSignal } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import type { AgentEvent, BoothKind, DeviceStatus, EventOf, LiveReading, ObservationSummary, VitalFlag, VitalKind } from '@tram/contracts';
import { agent } from '../clients/agent.ts';

type Observed = EventOf<AgentEvent, 'vitals.observation'>['data'];

const [state, setState] = createStore<{
  readings: Partial<Record<BoothKind, LiveReading>>;
  devices: Record<string, DeviceStatus>;
  observations: Record<string, ObservationSummary>;
  flags: Partial<Record<VitalKind, VitalFlag>>;
}>({ readings: {}, devices: {}, observations: {}, flags: {} });
export const vitals = state;
/** Set when the measuring session started, so readings from before it are not shown as this resident's. */
export const [since, setSince] = createSignal(0);

export function onReading(r: LiveReading) {
  if (Date.parse(r.at) < since()) return;
  setState('readings', r.kind, r);
}
export function onDevice(d: DeviceStatus) {
  setState('devices', d.device.id, d);
}
export function onObservation(e: Pick<Observed, 'observations' | 'flags'>) {
  for (const o of e.observations) {
    setState('observations', o.readingId, o);
    // The hub flags the latest value of each kind: a newer reading of a kind replaces its flag.
    setState(
      'flags',
      o.kind,
      e.flags.find((f) => f.kind === o.kind),
    );
  }
}
export const devicesFor = (kinds: readonly BoothKind[]) => Object.values(state.devices).filter((d) => kinds.includes(d.kind));

/** Forget this resident's measurements (devices stay). */
export function clearVitals() {
  setState('readings', reconcile({}));
  setState('observations', reconcile({}));
  setState('flags', reconcile({}));
  setSince(Date.now());
}

/** The kiosk's "start measuring" button: the agent sends the start command to the step's devices. */
export async function startMeasuring(kinds: readonly BoothKind[]) {
  for (const kind of kinds) await agent.measure({ kind }).catch(() => {});
}
