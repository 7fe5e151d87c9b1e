// The agent's heartbeat to the hub (every HEARTBEAT_S, default 15 s): version, uptime, the card
// reader, each booth device, the SOS outbox and vitals queue depths, camera and microphone (as
// the kiosk page reported them, else unknown) and free disk. A refused credential (a retired
// station, a rotated credential) is said plainly in the log.
import { statfs } from 'node:fs/promises';
import type { Heartbeat } from '@tram/contracts';
import { ChangeLog } from '../log-on-change.ts';

export interface HeartbeatOptions {
  hubUrl: string;
  credential: string;
  intervalMs: number;
  dataDir: string;
  collect: () => Omit<Heartbeat, 'freeDiskMb' | 'uptimeS' | 'version'>;
  version: string;
  log?: (m: string) => void;
}

export function startHeartbeat(o: HeartbeatOptions): { stop(): void; beat(): Promise<number | null> } {
  const log = new ChangeLog(o.log ?? ((m) => console.error(`[agent] ${m}`)));
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const beat = async (): Promise<number | null> => {
    let freeDiskMb: number | null = null;
    try {
      const s = await statfs(o.dataDir);
      freeDiskMb = Math.floor((s.bavail * s.bsize) / 2 ** 20);
    } catch {
      /* unknown */
    }
    const body: Heartbeat = { version: o.version, uptimeS: Math.floor((Date.now() - started) / 1000), freeDiskMb, ...o.collect() };
    try {
      const r = await fetch(`${o.hubUrl}/api/station/heartbeat`, {
        method: 'POST',
        headers: { authorization: `Station ${o.credential}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (r.status === 401 || r.status === 403)
        log.say(
          'heartbeat',
          `the hub refused the station credential (${r.status}): the station was retired or its credential rotated; enrol again`,
        );
      else if (r.ok) log.clear('heartbeat', 'heartbeat accepted by the hub');
      else log.say('heartbeat', `heartbeat refused (${r.status}): ${(await r.text()).slice(0, 300)}`);
      return r.status;
    } catch (e) {
      log.say('heartbeat', `heartbeat failed: ${(e as Error).message}`);
      return null;
    }
  };
  const loop = () => {
    if (stopped) return;
    void beat().finally(() => {
      if (!stopped) timer = setTimeout(loop, o.intervalMs);
    });
  };
  loop();
  return {
    beat,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
