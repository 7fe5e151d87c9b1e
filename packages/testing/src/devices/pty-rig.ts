/**
 * Test rig for the serial layer: a socat pty pair whose "device" end a
 * simulator (or the test) writes to and whose "host" end the agent opens
 * with serialport. unplug() kills socat, which removes both links just as a
 * USB-serial adapter's node disappears; plug() recreates the pair at the same
 * link paths (the kernel hands out new /dev/pts numbers, as after a replug).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type DeviceSimulator, type RunningSimulator, runSimulator } from './simulators.ts';
import { findSocat, openPtyEnd, type PtyEnd } from './testing.ts';

export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PtyRig {
  readonly devPath: string;
  readonly hostPath: string;
  /** Every byte the host wrote to the device, across replugs. */
  readonly hostWrites: number[] = [];
  private proc: ChildProcess | undefined;
  private dev: PtyEnd | undefined;
  private sim: DeviceSimulator | undefined;
  private run: RunningSimulator | undefined;

  private constructor(
    readonly dir: string,
    private readonly socat: string,
  ) {
    this.devPath = join(dir, 'dev');
    this.hostPath = join(dir, 'host');
  }

  /** A plugged-in pair, cleaned up when the test ends; undefined (test skipped) only if socat is missing. */
  static async create(t: TestContext): Promise<PtyRig | undefined> {
    const socat = findSocat();
    if (!socat) {
      t.skip('socat not found: serial end-to-end test skipped');
      return undefined;
    }
    const rig = new PtyRig(mkdtempSync(join(tmpdir(), 'tram-rig-')), socat);
    t.after(() => rig.close());
    await rig.plug();
    return rig;
  }

  async plug(): Promise<void> {
    if (this.proc) return;
    const proc = spawn(this.socat, [`pty,raw,echo=0,link=${this.devPath}`, `pty,raw,echo=0,link=${this.hostPath}`], { stdio: 'ignore' });
    this.proc = proc;
    await until(() => (existsSync(this.devPath) && existsSync(this.hostPath)) || proc.exitCode !== null, 5000, 'socat links');
    if (proc.exitCode !== null) throw new Error(`socat exited with ${proc.exitCode}`);
    const dev = openPtyEnd(this.devPath);
    dev.onData((b) => {
      for (const x of b) this.hostWrites.push(x);
      this.sim?.receive(b);
    });
    this.dev = dev;
  }

  async unplug(): Promise<void> {
    this.dev?.close();
    this.dev = undefined;
    const proc = this.proc;
    this.proc = undefined;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const force = setTimeout(() => proc.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(force);
    }
    // socat unlinks on exit; a SIGKILLed one cannot, so do it here.
    rmSync(this.devPath, { force: true });
    rmSync(this.hostPath, { force: true });
  }

  /** Run a simulator on the device end (it keeps running, and is re-attached, across unplug/plug). */
  attach(sim: DeviceSimulator, speed = 1): void {
    this.run?.stop();
    this.sim = sim;
    this.run = runSimulator(sim, (b) => this.dev?.write(b), { speed });
  }

  /** Write raw bytes as the device. */
  write(bytes: Uint8Array): void {
    if (!this.dev) throw new Error('unplugged');
    this.dev.write(bytes);
  }

  async close(): Promise<void> {
    this.run?.stop();
    this.sim = undefined;
    await this.unplug();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
