// What every benchmark starts from: the shared stack (PostgreSQL, LiveKit, pcscd), a fresh
// migrated database, and a hub in its own process (so the load generator does not share its
// event loop). stop() tears all of it down.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import postgres from 'postgres';
import { startStack, type Stack } from '../stack.ts';
import { connectDb, type Sql } from '../../hub/src/db/client.ts';
import { migrate } from '../../hub/src/db/migrate.ts';

const root = join(import.meta.dirname, '../..');

export interface BenchEnv {
  stack: Stack;
  dbUrl: string;
  sql: Sql;
  hubUrl: string;
  hubPort: number;
  /** Starts the hub on this database with the stack's LiveKit; resolves when /healthz answers. */
  spawnHub(env?: Record<string, string>, nodeArgs?: string[]): Promise<ChildProcess>;
  /** Stops the hub (SIGTERM) and waits for it: a CPU profile is written then. */
  stopHub(): Promise<void>;
  stop(): Promise<void>;
}

export async function benchEnv(label: string, poolMax = 8): Promise<BenchEnv> {
  const stack = await startStack('bench');
  const admin = postgres(stack.env.TRAM_TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const dbName = `tram_bench_${label.replace(/\W/g, '_')}_${Date.now()}`;
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  const dbUrl = Object.assign(new URL(stack.env.TRAM_TEST_DATABASE_URL!), { pathname: `/${dbName}` }).toString();
  const sql = connectDb(dbUrl, poolMax);
  await migrate(sql);
  const hubPort = Number(stack.env.TRAM_TEST_HUB_PORT);
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  let hub: ChildProcess | undefined;
  const stopHub = async () => {
    if (hub && hub.exitCode === null) {
      const exited = new Promise((r) => hub!.once('exit', r));
      hub.kill('SIGTERM');
      await exited;
    }
  };
  return {
    stack,
    dbUrl,
    sql,
    hubUrl,
    hubPort,
    async spawnHub(env = {}, nodeArgs = []) {
      // BENCH_HUB_PROF=<dir>: a V8 CPU profile of the hub, written when it stops
      const prof = process.env.BENCH_HUB_PROF;
      if (prof && !nodeArgs.length) nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${prof}`];
      hub = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(root, 'hub/src/main.ts')], {
        // Every load generator connects from loopback: one address with many sockets on purpose.
        env: {
          ...process.env,
          ...stack.env,
          DATABASE_URL: dbUrl,
          PORT: String(hubPort),
          LOG_LEVEL: 'warn',
          WS_UPGRADE_BURST: '1000000',
          ...env,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      for (let i = 0; ; i++) {
        try {
          if ((await fetch(`${hubUrl}/healthz`)).ok) return hub;
        } catch {
          /* starting */
        }
        if (i > 300) throw new Error('hub did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stopHub,
    async stop() {
      await stopHub();
      await sql.end();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
      await stack.stop();
    },
  };
}
