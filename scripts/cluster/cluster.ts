// A scaled-out hub on one machine: n LiveKit nodes clustered through Redis, n hub processes on one
// PostgreSQL (LISTEN/NOTIFY between them), and the balancer in front. Used by
// `npm run start:cluster` (scripts/system.ts) and by the cluster tests and benchmarks, so what is
// tested is what starts. Each hub talks to "its" LiveKit node; rooms may live on any node.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { startLivekit, type RunningLivekit } from '../../media/livekit.ts';
import { type Balancer, startBalancer } from './balancer.ts';

const root = join(import.meta.dirname, '../..');

export interface ClusterOptions {
  databaseUrl: string;
  /** The balancer's port: consoles, agents and LiveKit's webhooks use it. */
  port: number;
  hubPorts: number[];
  /** One per hub: [api port, rtc tcp port, rtc udp port]. */
  livekitPorts: [number, number, number][];
  livekit: { key: string; secret: string };
  redis: { address: string; db?: number; password?: string };
  workDir: string;
  /** Extra environment for every hub (consoles' dist folders, CSCA paths, log level…). */
  hubEnv: Record<string, string | undefined>;
  /** Where hub output goes: the terminal for start:cluster, nowhere for tests. */
  hubStdio?: 'inherit' | 'ignore';
}

export interface ClusterHub {
  url: string;
  port: number;
  livekit: RunningLivekit;
  child: ChildProcess;
  /** kill -9, as a crash would. */
  crash(): void;
  /** Starts this hub again on its port after a crash; resolves once it answers /healthz. */
  restart(): Promise<void>;
}

export interface Cluster {
  url: string;
  balancer: Balancer;
  hubs: ClusterHub[];
  /** Called if a hub exits on its own (not through crash() or stop()). */
  onExit(cb: (what: string, code: number | string | null) => void): void;
  stop(): Promise<void>;
}

async function healthy(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hub at ${url} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      /* starting */
    }
    if (Date.now() > deadline) throw new Error(`hub at ${url} did not become healthy`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  if (o.hubPorts.length !== o.livekitPorts.length) throw new Error('one LiveKit node per hub');
  const frontUrl = `http://127.0.0.1:${o.port}`;
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  let exitListener: (what: string, code: number | string | null) => void = () => {};
  const stop = async () => {
    stopping = true;
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    const nodes: RunningLivekit[] = [];
    for (const [i, [port, rtcTcpPort, rtcUdpPort]] of o.livekitPorts.entries()) {
      const lk = await startLivekit({
        port,
        rtcTcpPort,
        rtcUdpPort,
        apiKey: o.livekit.key,
        apiSecret: o.livekit.secret,
        // Webhooks go to the front: whichever hub is alive applies them (each delivery once).
        webhookUrl: `${frontUrl}/livekit/webhook`,
        workDir: join(o.workDir, `livekit-${i + 1}`),
        redis: o.redis,
      });
      nodes.push(lk);
      stops.push(lk.stop);
    }

    const hubs: ClusterHub[] = [];
    for (const [i, port] of o.hubPorts.entries()) {
      const lk = nodes[i]!;
      const url = `http://127.0.0.1:${port}`;
      const env = {
        ...o.hubEnv,
        DATABASE_URL: o.databaseUrl,
        PORT: String(port),
        LIVEKIT_URL: lk.apiUrl,
        LIVEKIT_PUBLIC_URL: lk.wsUrl,
        LIVEKIT_API_KEY: o.livekit.key,
        LIVEKIT_API_SECRET: o.livekit.secret,
        // the balancer is on loopback and says who its client was (X-Forwarded-For)
        TRUSTED_PROXIES: o.hubEnv.TRUSTED_PROXIES ?? '127.0.0.1',
      };
      const spawnHub = () => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'hub/src/main.ts')], {
          env,
          stdio: ['ignore', o.hubStdio ?? 'ignore', 'inherit'],
        });
        child.on('exit', (code, sig) => {
          if (!stopping && !hub.crashed) exitListener(`hub ${i + 1}`, code ?? sig);
        });
        return child;
      };
      const hub: ClusterHub & { crashed: boolean } = {
        url,
        port,
        livekit: lk,
        child: spawnHub(),
        crashed: false,
        crash() {
          hub.crashed = true;
          hub.child.kill('SIGKILL');
        },
        async restart() {
          if (hub.child.exitCode === null && hub.child.signalCode === null) {
            if (!hub.crashed) throw new Error('the hub is still running');
            // killed, but its exit not seen yet (a loaded machine takes a moment): wait for it
            await new Promise((r) => hub.child.once('exit', r));
          }
          hub.crashed = false;
          hub.child = spawnHub();
          await healthy(url, hub.child);
        },
      };
      hubs.push(hub);
      stops.push(
        () =>
          new Promise<void>((r) => {
            const c = hub.child;
            if (c.exitCode !== null || c.signalCode !== null) return r();
            c.once('exit', () => r());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 5000).unref();
          }),
      );
      // One at a time: the first applies the migrations, the next finds them done.
      await healthy(url, hub.child);
    }

    const balancer = await startBalancer({ port: o.port, backends: hubs.map((h) => h.url) });
    stops.push(balancer.close);
    return {
      url: balancer.url,
      balancer,
      hubs,
      onExit: (cb) => {
        exitListener = cb;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
