/**
 * A decoded reading as the agent hands it on: a UUID v4 assigned the moment
 * it is decoded (so every retry to the hub carries the same id and the hub
 * can de-duplicate), the physical device it came from, and the device's
 * flags (which the recording policy uses; the hub does not get them).
 */
import { randomUUID } from 'node:crypto';
import type { DeviceFlag, Reading, ReadingKind } from './common.ts';
import type { Protocol } from './driver.ts';

export interface DeviceRef {
  /** Stable per physical device at this station. */
  id: string;
  model: string;
  protocol: Protocol;
}

export interface StampedReading {
  id: string;
  kind: ReadingKind;
  value?: number;
  values?: { systolic: number; diastolic: number; mean?: number };
  unit: string;
  at: string;
  device: DeviceRef;
  flags: readonly DeviceFlag[];
}

export function stamp(r: Reading, device: DeviceRef): StampedReading {
  const base = { id: randomUUID(), kind: r.kind, unit: r.unit, at: r.at.toISOString(), device, flags: r.flags };
  return r.kind === 'blood_pressure' ? { ...base, values: { ...r.values } } : { ...base, value: r.value };
}
