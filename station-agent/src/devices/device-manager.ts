/**
 * The booth's devices: one SerialDevice per configured port, readings and
 * status changes fanned out to listeners, and measure(kind) for the kiosk and
 * the hub's re-measure request. No configuration means no devices (a station
 * without a health booth).
 */
import type { BoothKind } from '@tram/contracts';
import type { DeviceConfig } from './device-config.ts';
import { DRIVERS } from './drivers.ts';
import { SerialDevice, type DeviceStatusView } from './serial-device.ts';
import type { StampedReading } from './stamped-reading.ts';
import type { MeasureOutcome } from './driver.ts';

export interface MeasureResult {
  device: string;
  outcome: MeasureOutcome | 'disconnected';
}

export class DeviceManager {
  private readonly devices: SerialDevice[];
  private readonly readingListeners = new Set<(r: StampedReading) => void>();
  private readonly statusListeners = new Set<(s: DeviceStatusView) => void>();

  constructor(configs: readonly DeviceConfig[], opts: { retryMs?: number } = {}) {
    this.devices = configs.map(
      (c) =>
        new SerialDevice(
          c,
          DRIVERS[c.protocol],
          {
            reading: (r) => {
              for (const l of this.readingListeners) l(r);
            },
            status: (s) => {
              for (const l of this.statusListeners) l(s);
            },
          },
          opts.retryMs,
        ),
    );
  }

  onReading(l: (r: StampedReading) => void): () => void {
    this.readingListeners.add(l);
    return () => this.readingListeners.delete(l);
  }

  onStatus(l: (s: DeviceStatusView) => void): () => void {
    this.statusListeners.add(l);
    return () => this.statusListeners.delete(l);
  }

  start(): void {
    for (const d of this.devices) d.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.devices.map((d) => d.stop()));
  }

  statuses(): DeviceStatusView[] {
    return this.devices.map((d) => d.status());
  }

  /** Every configured device that can measure `kind` is asked to; an empty list means none is configured. */
  measure(kind: BoothKind): MeasureResult[] {
    return this.devices
      .filter((d) => DRIVERS[d.config.protocol].kinds.includes(kind))
      .map((d) => ({ device: d.ref.id, outcome: d.measure() }));
  }
}
