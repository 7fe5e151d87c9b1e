// What the fault matrix runs on, all real and all its own (so it can break them without touching
// anyone else's): an embedded PostgreSQL it may stop and start, a password-protected redis-server,
// two hubs and two LiveKit nodes clustered on that Redis behind the balancer (scripts/cluster/),
// police consoles' sockets on each hub, and real station agents (scripts/bench/faults-agent.ts) as
// child processes, optionally inside a network namespace, fed by a thermometer simulator on a pty.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import WebSocket from 'ws';
import { startEmbeddedPostgres, type EmbeddedDb } from '../../hub/src/db/embedded.ts';
import { connectDb, type Sql } from '../../hub/src/db/client.ts';
import { migrate } from '../../hub/src/db/migrate.ts';
import { DEMO_PASSWORD, seedDemo, type Demo } from '../../hub/src/seed.ts';
import { citizenSession } from '../../hub/test/vitals-fixtures.ts';
import { startRedis, type RunningRedis } from '../../media/redis.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { freePort } from '../ports.ts';
import { PtyRig } from '@tram/testing/devices/pty-rig.ts';
import { GyMcu90614Simulator } from '@tram/testing/devices/simulators.ts';
import type { SosState } from '@tram/contracts';

const root = join(import.meta.dirname, '../..');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` until it is truthy; throws with `what` after `timeoutMs`. */
export async function until<T>(cond: () => Promise<T> | T, timeoutMs: number, what: string, everyMs = 100): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface Station {
  /** Reading ids the kiosk was told were recorded (queued on disk for the hub), in order. */
  recorded: string[];
  /** Readings the kiosk was told were shown but not kept (disk full). */
  notKept: number;
  /** The last agent.state the kiosk heard. */
  kiosk: { hub?: string; sos?: SosState };
  /** The kiosk's SOS button: the idempotency key of the emergency now in the outbox. */
  raise(): Promise<{ key: string }>;
  state(): Promise<{ sos: SosState; queue: number }>;
  stop(): Promise<void>;
}

export interface FaultRig {
  sql: Sql;
  demo: Demo;
  cluster: Cluster;
  officerCookie: string;
  adminCookie: string;
  /** call id → when a police console first heard it ringing (on either hub). */
  rung: Map<string, number>;
  /** call id → how many times a police console heard "media lost" for it (each hub's socket counts). */
  mediaLost: Map<string, number>;
  sessionId: string;
  citizenId: string;
  work: string;
  livekit: { key: string; secret: string };
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  stopRedis(): Promise<void>;
  startRedis(): Promise<void>;
  startStation(o: { hubUrl: string; dataDir?: string; netns?: string; host?: string }): Promise<Station>;
  /** Rows of this key's call (0 = lost, 2+ = duplicated). */
  callsFor(key: string): Promise<{ id: string; status: string }[]>;
  /** How many of these reading ids the hub stored, and how many it stored more than once. */
  stored(ids: readonly string[]): Promise<{ stored: number; duplicated: number }>;
  stop(): Promise<void>;
}

/**
 * A police console's socket to one hub, reconnecting like the console does when its hub goes away
 * or closes it (1012 after the hub's bus came back), and refetching then what it may have missed.
 */
function consoleSocket(url: string, cookie: string, onEvent: (e: { type: string; data: any }) => void, onOpen: () => void) {
  let ws: WebSocket | undefined;
  let stopped = false;
  const connect = () => {
    if (stopped) return;
    ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { headers: { cookie } });
    ws.on('open', () => {
      if (process.env.FAULTS_DEBUG) console.error(Date.now(), url, 'console open');
      onOpen();
    });
    ws.on('message', (m) => onEvent(JSON.parse(m.toString())));
    ws.on('error', (e) => process.env.FAULTS_DEBUG && console.error(Date.now(), url, 'console error', e.message));
    ws.on('close', (code) => {
      if (process.env.FAULTS_DEBUG) console.error(Date.now(), url, 'console close', code);
      setTimeout(connect, 250);
    });
  };
  connect();
  return {
    close() {
      stopped = true;
      ws?.terminate();
    },
  };
}

async function login(url: string, username: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

export async function startFaultRig(o: { t1Ms?: number } = {}): Promise<FaultRig> {
  const work = mkdtempSync(join(tmpdir(), 'tram-faults-'));
  // the embedded PostgreSQL runs as the `postgres` user when we are root
  chmodSync(work, 0o711);
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(work, { recursive: true, force: true })];
  const stop = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
  };
  try {
    const pgPort = await freePort();
    let pg: EmbeddedDb | undefined = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: pgPort });
    cleanups.push(() => pg?.stop());
    const sql = connectDb(pg.url, 4);
    cleanups.push(() => sql.end({ timeout: 2 }));
    await migrate(sql);
    const demo = await seedDemo(sql);
    const { sessionId, citizenId } = await citizenSession({ sql, url: pg.url }, demo.station.id);

    const redisPort = await freePort();
    const redisPassword = randomBytes(12).toString('hex');
    let redis: RunningRedis | undefined = await startRedis({ port: redisPort, password: redisPassword });
    cleanups.push(() => redis?.stop());

    const livekit = { key: 'tram-faults', secret: randomBytes(24).toString('base64url') };
    const lkPorts = async (): Promise<[number, number, number]> => [await freePort(), await freePort(), await freePort()];
    const { PORT: _port, DATABASE_URL: _db, ...env } = process.env;
    const cluster = await startCluster({
      databaseUrl: pg.url,
      port: await freePort(),
      hubPorts: [await freePort(), await freePort()],
      livekitPorts: [await lkPorts(), await lkPorts()],
      livekit,
      redis: { address: `127.0.0.1:${redisPort}`, password: redisPassword },
      workDir: join(work, 'cluster'),
      hubEnv: {
        ...env,
        LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'silent',
        ESCALATE_T1_MS: String(o.t1Ms ?? 2000),
        ESCALATE_T2_MS: '600000',
        CITIZEN_IDLE_S: '3600',
        FLEET_TICK_MS: '500',
        // the watch looks every 2 s rather than 5: a room whose node died is flagged well before a
        // reconnecting participant brings it back on the survivor (~10 s after the death)
        MEDIA_WATCH_S: '2',
      },
    });
    cleanups.push(() => cluster.stop());

    const [row] = await sql<{ username: string }[]>`
      SELECT s.username FROM staff s JOIN staff_wards w ON w.staff_id = s.id
      WHERE w.ward_id = ${demo.wardId} AND s.role = 'police' ORDER BY s.username LIMIT 1`;
    const officerCookie = await login(cluster.url, row!.username);
    const adminCookie = await login(cluster.url, demo.logins.find((l) => l.role === 'admin')!.username);
    const rung = new Map<string, number>();
    const mediaLost = new Map<string, number>();
    for (const h of cluster.hubs) {
      const heard = (id: string) => {
        if (!rung.has(id)) rung.set(id, Date.now());
      };
      // on (re)connect the console lists the calls and shows those ringing (police-console App.tsx `load`)
      const refetch = () =>
        void fetch(`${h.url}/api/calls`, { headers: { cookie: officerCookie } })
          .then((r) => (r.ok ? (r.json() as Promise<{ calls: { id: string; status: string }[] }>) : { calls: [] }))
          .then(({ calls }) => {
            if (process.env.FAULTS_DEBUG) console.error(Date.now(), h.url, 'refetch', calls.map((c) => `${c.id}:${c.status}`).join(' '));
            for (const c of calls) if (c.status === 'ringing') heard(c.id);
          })
          .catch(() => {});
      const s = consoleSocket(
        h.url,
        officerCookie,
        (e) => {
          if (process.env.FAULTS_DEBUG && e.type.startsWith('call.')) console.error(Date.now(), h.url, 'event', e.type, e.data.call?.id);
          if (e.type === 'call.ringing') heard(e.data.call.id);
          if (e.type === 'call.media_lost') mediaLost.set(e.data.call.id, (mediaLost.get(e.data.call.id) ?? 0) + 1);
        },
        refetch,
      );
      cleanups.push(() => s.close());
    }

    const stations = new Set<() => Promise<void>>();
    cleanups.push(async () => {
      for (const s of stations) await s();
    });

    return {
      sql,
      demo,
      cluster,
      officerCookie,
      adminCookie,
      rung,
      mediaLost,
      sessionId,
      citizenId,
      work,
      livekit,
      async stopPostgres() {
        await pg?.stop();
        pg = undefined;
      },
      async startPostgres() {
        pg = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: pgPort });
      },
      async stopRedis() {
        await redis?.stop();
        redis = undefined;
      },
      async startRedis() {
        redis = await startRedis({ port: redisPort, password: redisPassword });
      },
      async startStation(s) {
        const t = { skip: () => {}, after: (fn: () => Promise<void>) => cleanups.push(fn) } as unknown as TestContext;
        const rig = (await PtyRig.create(t))!;
        rig.attach(new GyMcu90614Simulator({ objectCel: 36.9, ambientCel: 25 }));
        const dataDir = s.dataDir ?? join(work, `agent-${randomBytes(4).toString('hex')}`);
        mkdirSync(dataDir, { recursive: true });
        const config = {
          host: s.host ?? '127.0.0.1',
          hubUrl: s.hubUrl,
          credential: demo.station.credential,
          dataDir,
          uiDir: join(root, 'station-ui/dist'),
          sessionId,
          heartbeatMs: 1000,
          // a reading every 250 ms: steady traffic through every fault
          devices: [
            { id: 'thermo-faults', kind: 'temperature', protocol: 'gy-mcu90614', path: rig.hostPath, options: { recordIntervalMs: 250 } },
          ],
        };
        const script = [process.execPath, '--import', 'tsx', join(import.meta.dirname, 'faults-agent.ts')];
        const [cmd, ...args] = s.netns ? ['ip', 'netns', 'exec', s.netns, ...script] : script;
        let stderr = '';
        const child: ChildProcess = spawn(cmd!, args, {
          cwd: root,
          env: { ...process.env, FAULTS_AGENT: JSON.stringify(config) },
          stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        });
        child.stderr!.on('data', (d: Buffer) => {
          stderr = (stderr + d.toString()).slice(-4000);
          if (process.env.FAULTS_DEBUG) process.stderr.write(`[agent] ${d}`);
        });
        const station: Station = {
          recorded: [],
          notKept: 0,
          kiosk: {},
          async raise() {
            const s = (await ask('sos')) as SosState;
            if (s.state === 'idle') throw new Error('the agent did not take the SOS');
            return { key: s.key };
          },
          state: () => ask('state'),
          async stop() {
            stations.delete(station.stop);
            if (child.exitCode !== null || child.signalCode !== null) return;
            const exited = new Promise((r) => child.once('exit', r));
            child.send({ op: 'stop' });
            const force = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(force);
            await rig.close();
          },
        };
        const waiting = new Map<string, { resolve: (v: any) => void; reject: (e: Error) => void }[]>();
        function ask(op: 'sos' | 'state'): Promise<any> {
          return new Promise((resolve, reject) => {
            if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`the station agent has exited: ${stderr}`));
            waiting.set(op, [...(waiting.get(op) ?? []), { resolve, reject }]);
            child.send({ op });
          });
        }
        child.once('exit', (code) => {
          for (const w of [...waiting.values()].flat()) w.reject(new Error(`the station agent exited with ${code}: ${stderr}`));
          waiting.clear();
        });
        const ready = new Promise<void>((resolve, reject) => {
          child.once('exit', (code) => reject(new Error(`the station agent exited with ${code}: ${stderr}`)));
          child.on('message', (m: any) => {
            if (m.op === 'ready') resolve();
            else if (m.op === 'reading') {
              if (m.recorded) station.recorded.push(m.id);
              else station.notKept++;
            } else if (m.op === 'state' && m.state.hub !== undefined) station.kiosk = m.state;
            else if (m.op === 'sos' || m.op === 'state') waiting.get(m.op)?.shift()?.resolve(m.state);
          });
        });
        stations.add(station.stop);
        await ready;
        return station;
      },
      callsFor: (key) => sql<{ id: string; status: string }[]>`
        SELECT id, status FROM calls WHERE station_id = ${demo.station.id} AND idempotency_key = ${key}`,
      async stored(ids) {
        if (ids.length === 0) return { stored: 0, duplicated: 0 };
        const rows = await sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM fhir_observations WHERE reading_id = ANY(${ids as string[]}) GROUP BY reading_id`;
        return { stored: rows.length, duplicated: rows.filter((r) => r.n > 1).length };
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A station's own network: a namespace joined to this host by a veth pair, loopback-range addresses only. */
export function stationNetwork(name: string, hostAddr = '127.201.0.1', stationAddr = '127.201.0.2') {
  const ip = (...a: string[]) => execFileSync('ip', a, { stdio: ['ignore', 'ignore', 'pipe'] });
  const inNs = (...a: string[]) => ip('netns', 'exec', name, ...a);
  const hostIf = `${name.slice(0, 10)}h`,
    nsIf = `${name.slice(0, 10)}n`;
  try {
    ip('netns', 'del', name);
  } catch {
    /* none left over */
  }
  ip('netns', 'add', name);
  ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
  ip('link', 'set', nsIf, 'netns', name);
  const subnet = `${hostAddr.replace(/\d+$/, '0')}/30`;
  // 127/8 is "local" and never routed by default: allow it on these two links only, and give each
  // side a route to the other more specific than its local table's 127.0.0.0/8 (lo stays up
  // inside: the kiosk page reaches its agent on the station's own 127.0.0.1).
  ip('addr', 'add', `${hostAddr}/30`, 'dev', hostIf);
  execFileSync('sysctl', ['-qw', `net.ipv4.conf.${hostIf}.route_localnet=1`]);
  inNs('ip', 'addr', 'add', `${stationAddr}/30`, 'dev', nsIf);
  inNs('sysctl', '-qw', `net.ipv4.conf.${nsIf}.route_localnet=1`);
  inNs('ip', 'link', 'set', 'lo', 'up');
  inNs('ip', 'link', 'set', nsIf, 'up');
  inNs('ip', 'route', 'replace', subnet, 'dev', nsIf, 'table', 'local', 'scope', 'link', 'src', stationAddr);
  // The host's end: taking it down is the pulled cable (the station sees no carrier, its packets
  // go nowhere and its requests time out); bringing it up needs the route again.
  const up = () => {
    ip('link', 'set', hostIf, 'up');
    ip('route', 'replace', subnet, 'dev', hostIf, 'table', 'local', 'scope', 'link', 'src', hostAddr);
  };
  up();
  return {
    hostAddr,
    stationAddr,
    cut: () => ip('link', 'set', hostIf, 'down'),
    restore: up,
    remove: () => ip('netns', 'del', name),
  };
}
