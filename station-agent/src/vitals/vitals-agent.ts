/**
 * The agent's vitals pipeline: device manager → recording policy → disk queue
 * → forwarder to the hub, plus the hooks the gateway needs (page relay,
 * re-measure, the citizen session). The session is set by the card flow;
 * until then readings are only shown, never stored or sent.
 */
import { join } from 'node:path';
import type { BoothKind, DeviceStatus, LiveReading } from '@tram/contracts';
import type { DeviceConfig } from '../devices/device-config.ts';
import { DeviceManager, type MeasureResult } from '../devices/device-manager.ts';
import { toWire, type StampedReading } from '../devices/stamped-reading.ts';
import { ChangeLog } from '../log-on-change.ts';
import { DiskQueue } from './disk-queue.ts';
import { Forwarder } from './forwarder.ts';
import { DRIVERS } from '../devices/drivers.ts';
import { RecordingPolicy } from './recording-policy.ts';

export interface VitalsAgentOptions {
  hubUrl: string;
  credential: string;
  dataDir: string;
  devices: readonly DeviceConfig[];
  /** What the kiosk page gets for each reading: the hub's shape plus the device flags and whether it was recorded. */
  onReading?: (r: LiveReading) => void;
  onDeviceStatus?: (s: DeviceStatus) => void;
  /** Test knobs. */
  retryMs?: number;
  backoffMs?: (attempt: number) => number;
  maxQueuedReadings?: number;
  log?: (msg: string) => void;
}

export class VitalsAgent {
  readonly devices: DeviceManager;
  readonly queue: DiskQueue;
  readonly forwarder: Forwarder;
  private readonly policy: RecordingPolicy;
  private sessionId: string | null = null;
  /** A full or missing disk fails every reading: say it once, and when queueing works again. */
  private readonly queueLog: ChangeLog;

  constructor(private readonly opts: VitalsAgentOptions) {
    const log = opts.log;
    this.queueLog = new ChangeLog(log ?? ((m) => console.error(m)));
    this.queue = new DiskQueue(join(opts.dataDir, 'vitals-queue'), {
      ...(opts.maxQueuedReadings === undefined ? {} : { maxReadings: opts.maxQueuedReadings }),
      ...(log ? { log } : {}),
    });
    this.forwarder = new Forwarder(this.queue, {
      hubUrl: opts.hubUrl,
      credential: opts.credential,
      ...(opts.backoffMs ? { backoffMs: opts.backoffMs } : {}),
      ...(log ? { log } : {}),
    });
    const intervals = new Map(
      opts.devices.map((d) => [d.id, (d.options['recordIntervalMs'] as number | undefined) ?? DRIVERS[d.protocol].recordIntervalMs]),
    );
    this.policy = new RecordingPolicy((id) => intervals.get(id) ?? 0);
    this.devices = new DeviceManager(opts.devices, opts.retryMs === undefined ? {} : { retryMs: opts.retryMs });
    this.devices.onReading((r) => this.onReading(r));
    this.devices.onStatus((s) => opts.onDeviceStatus?.(s));
  }

  start(): void {
    this.devices.start();
    // Whatever a previous run left queued goes out now.
    this.forwarder.kick();
  }

  async stop(): Promise<void> {
    await this.devices.stop();
    await this.forwarder.stop();
    this.queue.close();
  }

  /** The identified resident's session on the hub, or null when nobody is identified (card removed). */
  setSession(id: string | null): void {
    this.sessionId = id;
  }

  get session(): string | null {
    return this.sessionId;
  }

  measure(kind: BoothKind): MeasureResult[] {
    return this.devices.measure(kind);
  }

  private onReading(r: StampedReading): void {
    const verdict = this.policy.judge(r, this.sessionId);
    if (verdict === 'skip') return;
    const wire = toWire(r);
    if (verdict === 'record' && this.sessionId !== null) {
      try {
        this.queue.append(this.sessionId, wire);
        this.queueLog.clear('append', 'vitals: readings are queued again');
        this.forwarder.kick();
      } catch (e) {
        // Disk full or gone: the reading is still shown, but say it was not kept.
        this.queueLog.say('append', `vitals: could not queue readings (first lost: ${r.id}): ${(e as Error).message}`);
        this.opts.onReading?.({ ...wire, flags: r.flags, recorded: false });
        return;
      }
    }
    this.opts.onReading?.({ ...wire, flags: r.flags, recorded: verdict === 'record' });
  }
}
