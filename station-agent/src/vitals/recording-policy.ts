/**
 * Which decoded readings the agent passes on. Devices stream far faster than
 * anyone needs (the oximeter at 60 Hz, the height sensor at 10 Hz), so per
 * device and kind a reading passes at most once per `recordIntervalMs`
 * (device option; the driver's default is 1 s for streaming devices and 0 for
 * the cuff, whose BP and pulse come once per cycle). Passing readings go to the kiosk page; of those, the
 * ones the device marks as unsettled (a scale still swinging) are shown but
 * not recorded, and nothing is recorded without an identified resident. An empty platform is not
 * a measurement: a scale reading under EMPTY_SCALE_KG is shown, never recorded.
 */
import type { StampedReading } from '../devices/stamped-reading.ts';

export type Verdict = 'skip' | 'show' | 'record';

/** Below this a scale has nobody on it (the hub would refuse it as implausible anyway). */
export const EMPTY_SCALE_KG = 2;

export class RecordingPolicy {
  private readonly last = new Map<string, number>();

  constructor(private readonly intervalFor: (deviceId: string) => number) {}

  judge(r: StampedReading, sessionId: string | null, now = Date.now()): Verdict {
    const unsettled = r.flags.includes('unstable');
    // Unsettled values have their own slot so they never hold back the settled value after them.
    const key = `${r.device.id}\u0000${r.kind}\u0000${unsettled ? 'u' : 's'}`;
    const interval = this.intervalFor(r.device.id);
    const prev = this.last.get(key);
    if (prev !== undefined && now - prev < interval) return 'skip';
    this.last.set(key, now);
    if (unsettled || sessionId === null) return 'show';
    if (r.kind === 'weight' && (r.value ?? 0) < EMPTY_SCALE_KG) return 'show';
    return 'record';
  }
}
