// The whole system as `npm start` runs it — PostgreSQL (embedded unless DATABASE_URL), LiveKit
// (a local loopback server unless LIVEKIT_URL), the hub with the consoles, the station agent with
// the kiosk page, and on demo data without real devices the demo station — as a function, so the
// newcomer's browser test walks exactly what `npm start` starts.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { startDemoStation, type DemoStation } from '@tram/testing/demo';
import { demoStationWanted } from '@tram/testing/demo/mode.ts';
import { DEV_LIVEKIT_KEY, DEV_SECRET, externalLivekitSecretProblem } from '../hub/src/config.ts';
import { connectDb } from '../hub/src/db/client.ts';
import { startEmbeddedPostgres } from '../hub/src/db/embedded.ts';
import { migrate } from '../hub/src/db/migrate.ts';
import { type Demo, seedDemo, startSeed } from '../hub/src/seed.ts';
import { startLivekit } from '../media/livekit.ts';
import { ensurePcscd, VPCD_PORT } from './pcscd.ts';
import { startCluster } from './cluster/cluster.ts';
import { startRedis } from '../media/redis.ts';
import { connect } from 'node:net';

export const root = join(import.meta.dirname, '..');

export class StartRefused extends Error {}

export interface RunningSystem {
  hubUrl: string;
  kioskUrl: string | undefined;
  databaseUrl: string;
  livekitUrl: string;
  /** With `--cluster`: the hubs behind the balancer at hubUrl, and their LiveKit nodes. */
  cluster: { hubs: string[]; livekit: string[] } | undefined;
  demo: Demo | undefined;
  demoStation: DemoStation | undefined;
  /** Why the demo station is off, when it is. */
  demoOff: string | undefined;
  /** Called once if the hub or the agent exits on its own. */
  onExit(cb: (what: string, code: number | string | null) => void): void;
  stop(): Promise<void>;
}

export async function startSystem(env: Record<string, string | undefined>, args: readonly string[]): Promise<RunningSystem> {
  const hubPort = Number(env.PORT ?? 8787);
  const agentPort = Number(env.AGENT_PORT ?? 8790);
  const stops: (() => Promise<void>)[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;
  let exitListener: (what: string, code: number | string | null) => void = () => {};
  const stop = async () => {
    stopping = true;
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((r) => {
            if (c.exitCode !== null || c.signalCode !== null) return r();
            c.once('exit', () => r());
            c.kill('SIGTERM');
          }),
      ),
    );
    for (const s of stops.reverse()) await s().catch(() => {});
  };

  // Checked before anything starts: an external LiveKit with the published secret is open to anyone.
  if (env.LIVEKIT_URL) {
    const problem = externalLivekitSecretProblem(env.LIVEKIT_API_SECRET);
    if (problem)
      throw new StartRefused(`refusing to use the LiveKit server at ${env.LIVEKIT_URL}: ${problem}.
Set LIVEKIT_API_KEY and LIVEKIT_API_SECRET to the key pair configured on that server (secret ≥ 32 characters).`);
  }
  try {
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({
        dir: env.EMBEDDED_PG_DIR ?? join(root, '.data/pg'),
        port: Number(env.EMBEDDED_PG_PORT ?? 54329),
      });
      databaseUrl = pg.url;
      stops.push(pg.stop);
    }
    const sql = connectDb(databaseUrl, 2);
    await migrate(sql);
    const seed = startSeed({ externalDatabase: Boolean(env.DATABASE_URL), demoFlag: args.includes('--demo') });
    const demo = seed === 'demo' ? await seedDemo(sql) : undefined;
    await sql.end();

    const livekit = {
      key: env.LIVEKIT_API_KEY ?? DEV_LIVEKIT_KEY,
      secret: env.LIVEKIT_API_SECRET ?? DEV_SECRET,
      url: env.LIVEKIT_URL,
      publicUrl: env.LIVEKIT_PUBLIC_URL,
    };
    const clustered = args.includes('--cluster');
    if (clustered && livekit.url) throw new StartRefused('--cluster starts its own LiveKit nodes: unset LIVEKIT_URL');
    if (!livekit.url && !clustered) {
      const lk = await startLivekit({
        port: 7880,
        rtcTcpPort: 7881,
        rtcUdpPort: 7882,
        apiKey: livekit.key,
        apiSecret: livekit.secret,
        webhookUrl: `http://127.0.0.1:${hubPort}/livekit/webhook`,
        workDir: join(root, '.data/livekit'),
      });
      livekit.url = lk.apiUrl;
      livekit.publicUrl = lk.wsUrl;
      stops.push(lk.stop);
    }

    const kioskUrl = `http://127.0.0.1:${agentPort}/`;
    const mode = demo ? demoStationWanted(env, args) : { demo: false, why: 'no demo data' };
    let demoStation: DemoStation | undefined;
    if (mode.demo) {
      const pcscd = await ensurePcscd();
      stops.push(pcscd.stop);
      demoStation = await startDemoStation({
        dir: env.DEMO_DIR ?? join(root, '.data/demo'),
        vpcdPort: VPCD_PORT,
        port: Number(env.DEMO_PORT ?? 8791),
        kioskUrl,
      });
      stops.push(demoStation.stop);
    }

    const run = (name: string, script: string, extra: Record<string, string>) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, script)], {
        env: { ...env, ...extra },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('exit', (code, sig) => {
        if (!stopping) exitListener(name, code ?? sig);
      });
      children.push(child);
    };
    const hubEnv: Record<string, string> = {
      POLICE_CONSOLE_DIR: join(root, 'police-console/dist'),
      CLINICIAN_CONSOLE_DIR: join(root, 'clinician-console/dist'),
      ADMIN_CONSOLE_DIR: join(root, 'admin-console/dist'),
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
      ...(demoStation && !env.CSCA_PATHS ? { CSCA_PATHS: demoStation.cscaPath } : {}),
    };
    let cluster: RunningSystem['cluster'];
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    if (clustered) {
      // Two hubs and two LiveKit nodes on Redis (REDIS_ADDRESS, else the machine's on 6379, else a
      // private one), behind the balancer on PORT.
      let redisAddress = env.REDIS_ADDRESS;
      if (!redisAddress) {
        if (await answers(6379)) redisAddress = '127.0.0.1:6379';
        else {
          const redis = await startRedis({ port: 6390, password: env.REDIS_PASSWORD });
          stops.push(redis.stop);
          redisAddress = redis.address;
        }
      }
      const c = await startCluster({
        databaseUrl,
        port: hubPort,
        hubPorts: [hubPort + 14, hubPort + 15],
        livekitPorts: [
          [7880, 7881, 7882],
          [7890, 7891, 7892],
        ],
        livekit: { key: livekit.key, secret: livekit.secret },
        redis: { address: redisAddress, db: Number(env.REDIS_DB ?? 0), password: env.REDIS_PASSWORD },
        workDir: join(root, '.data/cluster'),
        hubEnv: { ...env, ...hubEnv },
        hubStdio: 'inherit',
      });
      stops.push(c.stop);
      c.onExit((what, code) => {
        if (!stopping) exitListener(what, code);
      });
      cluster = { hubs: c.hubs.map((h) => h.url), livekit: c.hubs.map((h) => h.livekit.apiUrl) };
      livekit.url = c.hubs[0]!.livekit.apiUrl;
    } else {
      run('hub', 'hub/src/main.ts', {
        ...hubEnv,
        DATABASE_URL: databaseUrl,
        PORT: String(hubPort),
        LIVEKIT_URL: livekit.url!,
        LIVEKIT_PUBLIC_URL: livekit.publicUrl ?? livekit.url!.replace(/^http/, 'ws'),
        LIVEKIT_API_KEY: livekit.key,
        LIVEKIT_API_SECRET: livekit.secret,
      });
      for (let i = 0; ; i++) {
        try {
          if ((await fetch(`${hubUrl}/healthz`)).ok) break;
        } catch {
          /* starting */
        }
        if (i > 300) throw new Error('the hub did not become healthy');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // Without demo data, the agent runs only for a station the operator registered and named.
    const credential = demo?.station.credential ?? env.STATION_CREDENTIAL;
    const withAgent = Boolean(credential || env.STATION_CREDENTIAL_FILE);
    if (withAgent) {
      run('station agent', 'station-agent/src/main.ts', {
        HUB_URL: hubUrl,
        AGENT_PORT: String(agentPort),
        ...(credential ? { STATION_CREDENTIAL: credential } : {}),
        ...(demoStation ? { VITALS_DEVICES: JSON.stringify(demoStation.devices) } : {}),
      });
      // what is printed (or handed to a test) as "open this" must answer when opened
      for (let i = 0; ; i++) {
        try {
          if ((await fetch(kioskUrl)).ok) break;
        } catch {
          /* starting */
        }
        if (i > 300) throw new Error('the station agent did not start serving the kiosk page');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return {
      hubUrl,
      kioskUrl: withAgent ? kioskUrl : undefined,
      databaseUrl,
      livekitUrl: livekit.url!,
      cluster,
      demo,
      demoStation,
      demoOff: demoStation ? undefined : mode.why,
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

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
