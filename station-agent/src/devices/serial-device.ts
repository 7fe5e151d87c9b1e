/**
 * One configured device on one serial port: opens it with the driver's line
 * settings, feeds the bytes to a fresh driver session, and keeps trying to
 * reopen it when it goes away (USB unplugged, or in tests the socat pty
 * removed) until stop(). A missing path is "disconnected"; a path that exists
 * but cannot be opened (permissions, held by another process) is "error".
 */
import { existsSync } from 'node:fs';
import type { DeviceStatus as DeviceStatusEvent } from '@tram/contracts';
import { SerialPort } from 'serialport';
import type { DecoderStats, DeviceFlag, DeviceStatus } from './common.ts';
import type { DeviceConfig } from './device-config.ts';
import { serialSettings } from './device-config.ts';
import type { DeviceDriver, DriverSession, MeasureOutcome } from './driver.ts';
import { ChangeLog } from '../log-on-change.ts';
import { type DeviceRef, stamp, type StampedReading } from './stamped-reading.ts';

export type DeviceState = DeviceStatusEvent['state'];

/** The contract's `vitals.device` payload, as this agent always fills it. */
export type DeviceStatusView = DeviceStatusEvent & {
  device: DeviceRef;
  kind: DeviceConfig['kind'];
  path: string;
  /** Decoder counters since the agent started (all connections). */
  stats: DecoderStats;
  condition?: { flags: readonly DeviceFlag[]; message?: string; detail?: Readonly<Record<string, number>> };
};

export interface SerialDeviceEvents {
  reading(r: StampedReading): void;
  status(s: DeviceStatusView): void;
}

/** Condition-only updates (cuff pressure at 5 Hz, oximeter flags at 60 Hz) are passed on at most this often. */
const CONDITION_MIN_MS = 250;

export class SerialDevice {
  readonly ref: DeviceRef;
  private port: SerialPort | undefined;
  private session: DriverSession | undefined;
  private state: DeviceState = 'disconnected';
  private error: string | undefined = 'not opened yet';
  private since = new Date().toISOString();
  private readonly pastStats: DecoderStats = { frames: 0, badFrames: 0, droppedBytes: 0 };
  private condition: DeviceStatusView['condition'];
  private lastConditionEmit = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  /** A flapping port or a failing handler repeats its error every chunk or reconnect: say it on change. */
  private readonly log = new ChangeLog((m) => console.warn(m));

  constructor(
    readonly config: DeviceConfig,
    private readonly driver: DeviceDriver,
    private readonly events: SerialDeviceEvents,
    private readonly retryMs = 1000,
  ) {
    this.ref = { id: config.id, model: driver.model, protocol: driver.protocol };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const port = this.port;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
    this.detach();
  }

  status(): DeviceStatusView {
    const cur = this.session?.stats;
    const s: DeviceStatusView = {
      device: this.ref,
      kind: this.config.kind,
      path: this.config.path,
      state: this.state,
      since: this.since,
      stats: {
        frames: this.pastStats.frames + (cur?.frames ?? 0),
        badFrames: this.pastStats.badFrames + (cur?.badFrames ?? 0),
        droppedBytes: this.pastStats.droppedBytes + (cur?.droppedBytes ?? 0),
      },
    };
    if (this.error !== undefined) s.error = this.error;
    if (this.condition) s.condition = this.condition;
    return s;
  }

  /** Ask the device to measure now (start the cuff, query the thermometer…). */
  measure(): MeasureOutcome | 'disconnected' {
    if (!this.session || this.state !== 'connected') return 'disconnected';
    return this.session.measure();
  }

  private setState(state: DeviceState, error?: string): void {
    if (state === this.state && error === this.error) return;
    this.state = state;
    this.error = error;
    this.since = new Date().toISOString();
    this.events.status(this.status());
  }

  private retry(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), this.retryMs);
  }

  private connect(): void {
    if (this.stopped || this.port) return;
    const path = this.config.path;
    if (!existsSync(path)) {
      this.setState('disconnected', 'device not present');
      this.retry();
      return;
    }
    const port = new SerialPort({ path, ...serialSettings(this.driver.serial, this.config.options), autoOpen: false });
    this.port = port;
    port.open((err) => {
      if (err || this.stopped) {
        this.port = undefined;
        if (err) this.setState(existsSync(path) ? 'error' : 'disconnected', err.message);
        if (this.stopped) port.close(() => {});
        return this.retry();
      }
      this.attach(port);
    });
  }

  private attach(port: SerialPort): void {
    const session = this.driver.open(
      {
        device: this.ref.id,
        onReading: (r) => {
          this.log.clear('port'); // working again: a later port error is news
          this.events.reading(stamp(r, this.ref));
        },
        onStatus: (st) => this.onCondition(st),
        // A consumer bug must not take the port down, nor fill the log at the device's frame rate.
        onError: (e) =>
          this.log.say(
            'handler',
            `device ${this.ref.id}: reading handler failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
          ),
        write: (bytes) => {
          if (port.isOpen) port.write(Buffer.from(bytes));
        },
      },
      this.config.options,
    );
    this.session = session;
    port.on('data', (chunk: Buffer) => session.push(chunk));
    // Write errors on a vanishing port show up here; the close event does the reconnect.
    port.on('error', (e) => this.log.say('port', `device ${this.ref.id}: ${e.message}`));
    // An unplugged adapter's device node goes away; the read side may only notice on its next
    // read (or not at all while the line is quiet), so the node is watched too.
    const watch = setInterval(() => {
      if (this.port === port && port.isOpen && !existsSync(this.config.path)) port.close(() => {});
    }, this.retryMs);
    port.on('close', (e: (Error & { disconnected?: boolean }) | null) => {
      clearInterval(watch);
      if (this.port !== port) return;
      this.detach();
      if (this.stopped) return;
      const gone = e?.disconnected || !existsSync(this.config.path);
      this.setState('disconnected', gone ? 'device unplugged' : (e?.message ?? 'port closed'));
      this.retry();
    });
    this.setState('connected');
    session.onOpen();
  }

  private detach(): void {
    const s = this.session;
    if (s) {
      s.close();
      this.pastStats.frames += s.stats.frames;
      this.pastStats.badFrames += s.stats.badFrames;
      this.pastStats.droppedBytes += s.stats.droppedBytes;
    }
    this.session = undefined;
    this.port = undefined;
  }

  private onCondition(st: DeviceStatus): void {
    const next: NonNullable<DeviceStatusView['condition']> = { flags: st.flags };
    if (st.message !== undefined) next.message = st.message;
    if (st.detail !== undefined) next.detail = st.detail;
    const prev = this.condition;
    this.condition = next;
    const changed = !prev || prev.flags.join() !== next.flags.join() || prev.message !== next.message;
    const now = Date.now();
    if (changed || now - this.lastConditionEmit >= CONDITION_MIN_MS) {
      this.lastConditionEmit = now;
      this.events.status(this.status());
    }
  }
}
