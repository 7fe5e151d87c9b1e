/**
 * A decoded reading as the agent hands it on: a UUID v4 assigned the moment
 * it is decoded (so every retry to the hub carries the same id and the hub
 * can de-duplicate), the physical device it came from, and the device's
 * flags (which the recording policy uses; the hub does not get them).
 * The shape the hub gets is @tram/contracts' wire `Reading`.
 */
import { randomUUID } from 'node:crypto';
import type { BoothKind, DeviceRef as WireDeviceRef, Reading as WireReading } from '@tram/contracts';
import type { DeviceFlag, Reading } from './common.ts';
import type { Protocol } from './driver.ts';

/** The contract's device reference, with the protocols this agent has drivers for. */
export type DeviceRef = WireDeviceRef & { protocol: Protocol };

export type StampedReading = WireReading & {
  kind: BoothKind;
  device: DeviceRef;
  flags: readonly DeviceFlag[];
};

export function stamp(r: Reading, device: DeviceRef): StampedReading {
  const base = { id: randomUUID(), kind: r.kind, unit: r.unit, at: r.at.toISOString(), device, flags: r.flags };
  return r.kind === 'blood_pressure' ? { ...base, values: { ...r.values } } : { ...base, value: r.value };
}

/** The hub gets the measurement (a wire `Reading`), not the device's per-frame flags. */
export function toWire(r: StampedReading): Omit<StampedReading, 'flags'> {
  const { flags: _flags, ...wire } = r;
  return wire;
}
