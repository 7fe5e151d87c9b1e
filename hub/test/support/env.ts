// Test helpers on the shared stack that scripts/test.ts started: a fresh database per test file,
// hubs in this process or as child processes, logins and sockets.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import postgres from 'postgres';
import WebSocket from 'ws';
import { heartbeat } from '@tram/testing/fleet/heartbeat.ts';
import { loadConfig } from '../../src/config.ts';
import { startHub, type RunningHub } from '../../src/server.ts';
import { connectDb, type Sql } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { seedDemo, type Demo } from '../../src/seed.ts';

export const repoRoot = join(import.meta.dirname, '../../..');

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is unset: run tests through \`npm test\`, which starts PostgreSQL and LiveKit`);
  return v;
}

/** A new, empty, migrated database on the test server; dropped by `drop()`. */
export async function freshDatabase(): Promise<{ url: string; sql: Sql; demo: Demo; drop(): Promise<void> }> {
  const admin = postgres(need('TRAM_TEST_DATABASE_URL'), { max: 1, onnotice: () => {} });
  const name = `tram_t_${randomBytes(5).toString('hex')}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const u = new URL(need('TRAM_TEST_DATABASE_URL'));
  u.pathname = `/${name}`;
  const url = u.toString();
  const sql = connectDb(url, 4);
  await migrate(sql);
  const demo = await seedDemo(sql);
  return {
    url,
    sql,
    demo,
    async drop() {
      await sql.end({ timeout: 2 });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export function hubEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: need('TRAM_TEST_HUB_PORT'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    POLICE_CONSOLE_DIR: join(repoRoot, 'police-console/dist'),
    CLINICIAN_CONSOLE_DIR: join(repoRoot, 'clinician-console/dist'),
    ADMIN_CONSOLE_DIR: join(repoRoot, 'admin-console/dist'),
    ...extra,
  };
}

/** A hub in this process, on the port LiveKit sends webhooks to unless PORT is overridden. */
export function startTestHub(databaseUrl: string, extra: Record<string, string> = {}): Promise<RunningHub> {
  return startHub(loadConfig(hubEnv(databaseUrl, extra)));
}

/** A hub as its own OS process (so a test can kill it). Resolves once it answers /healthz. */
export async function spawnHub(databaseUrl: string, extra: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const env = hubEnv(databaseUrl, extra);
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'hub/src/main.ts')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hub exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child };
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('hub did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function login(hubUrl: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${hubUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!r.ok) throw new Error(`login ${username} failed: ${r.status}`);
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

/** A station's heartbeat, posted as that station. */
export function postHeartbeat(hubUrl: string, credential: string) {
  return fetch(`${hubUrl}/api/station/heartbeat`, {
    method: 'POST',
    headers: { authorization: `Station ${credential}`, 'content-type': 'application/json' },
    body: JSON.stringify(heartbeat()),
  });
}

export function raiseSos(hubUrl: string, credential: string, key: string, body: unknown = { kind: 'sos' }) {
  return fetch(`${hubUrl}/api/calls`, {
    method: 'POST',
    headers: { authorization: `Station ${credential}`, 'idempotency-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export interface EventLog {
  events: { type: string; data: any; at: number }[];
  next(pred: (e: { type: string; data: any }) => boolean, timeoutMs?: number): Promise<{ type: string; data: any; at: number }>;
  close(): void;
}

/** Opens /ws with a cookie or a station credential and records every event. */
export async function listen(hubUrl: string, auth: { cookie?: string; station?: string }): Promise<EventLog> {
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.station) headers.authorization = `Station ${auth.station}`;
  const ws = new WebSocket(hubUrl.replace(/^http/, 'ws') + '/ws', { headers });
  const events: EventLog['events'] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (m) => {
    events.push({ ...JSON.parse(m.toString()), at: performance.now() });
    for (const w of waiters) w();
  });
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  await new Promise<void>((res) => {
    const check = () => {
      if (events.some((e) => e.type === 'hello')) {
        waiters.delete(check);
        res();
      }
    };
    waiters.add(check);
    check();
  });
  return {
    events,
    next(pred, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const e = events.find(pred);
          if (e) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(e);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; saw ${events.map((e) => e.type).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      ws.terminate();
    },
  };
}
