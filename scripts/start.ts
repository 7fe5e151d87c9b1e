// `npm start`: the whole system on embedded defaults — PostgreSQL (embedded unless DATABASE_URL),
// LiveKit (local loopback server unless LIVEKIT_URL), the hub with the consoles, and the station
// agent with the kiosk page. Into its embedded database it seeds demo data and prints the logins;
// into a DATABASE_URL it seeds nothing demo unless `npm start -- --demo`. With demo data, and no
// real device or reader configured, the station is a demo station: a virtual card reader and booth
// with a control page (see @tram/testing/demo).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../hub/src/db/embedded.ts';
import { connectDb } from '../hub/src/db/client.ts';
import { migrate } from '../hub/src/db/migrate.ts';
import { seedDemo, startSeed } from '../hub/src/seed.ts';
import { DEV_LIVEKIT_KEY, DEV_SECRET, externalLivekitSecretProblem } from '../hub/src/config.ts';
import { startLivekit } from '../media/livekit.ts';
import { demoStationWanted } from '@tram/testing/demo/mode.ts';
import { startDemoStation, type DemoStation } from '@tram/testing/demo';
import { ensurePcscd, VPCD_PORT } from './pcscd.ts';

const root = join(import.meta.dirname, '..');
const env = process.env;
const hubPort = Number(env.PORT ?? 8787);
const agentPort = Number(env.AGENT_PORT ?? 8790);
const stops: (() => Promise<void>)[] = [];

// Checked before anything starts: an external LiveKit with the published secret is open to anyone.
if (env.LIVEKIT_URL) {
  const problem = externalLivekitSecretProblem(env.LIVEKIT_API_SECRET);
  if (problem) {
    console.error(`npm start: refusing to use the LiveKit server at ${env.LIVEKIT_URL}: ${problem}.
Set LIVEKIT_API_KEY and LIVEKIT_API_SECRET to the key pair configured on that server (secret ≥ 32 characters).`);
    process.exit(1);
  }
}

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
const seed = startSeed({ externalDatabase: Boolean(env.DATABASE_URL), demoFlag: process.argv.includes('--demo') });
const demo = seed === 'demo' ? await seedDemo(sql) : undefined;
await sql.end();

const livekit = {
  key: env.LIVEKIT_API_KEY ?? DEV_LIVEKIT_KEY,
  secret: env.LIVEKIT_API_SECRET ?? DEV_SECRET,
  url: env.LIVEKIT_URL,
  publicUrl: env.LIVEKIT_PUBLIC_URL,
};
if (!livekit.url) {
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
const demoMode = demo ? demoStationWanted(env, process.argv.slice(2)) : { demo: false, why: 'no demo data' };
let demoStation: DemoStation | undefined;
if (demoMode.demo) {
  const pcscd = await ensurePcscd();
  stops.push(pcscd.stop);
  demoStation = await startDemoStation({
    dir: join(root, '.data/demo'),
    vpcdPort: VPCD_PORT,
    port: Number(env.DEMO_PORT ?? 8791),
    kioskUrl,
  });
  stops.push(demoStation.stop);
}

const children: ChildProcess[] = [];
function run(name: string, script: string, extra: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, script)], {
    env: { ...env, ...extra },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, sig) => {
    if (!shuttingDown) {
      console.error(`${name} exited (${code ?? sig}); stopping`);
      void shutdown(1);
    }
  });
  children.push(child);
}
const hubEnv = {
  DATABASE_URL: databaseUrl,
  PORT: String(hubPort),
  LIVEKIT_URL: livekit.url,
  LIVEKIT_PUBLIC_URL: livekit.publicUrl ?? livekit.url.replace(/^http/, 'ws'),
  LIVEKIT_API_KEY: livekit.key,
  LIVEKIT_API_SECRET: livekit.secret,
  POLICE_CONSOLE_DIR: join(root, 'police-console/dist'),
  CLINICIAN_CONSOLE_DIR: join(root, 'clinician-console/dist'),
  LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  ...(demoStation && !env.CSCA_PATHS ? { CSCA_PATHS: demoStation.cscaPath } : {}),
};
run('hub', 'hub/src/main.ts', hubEnv);
const hubUrl = `http://127.0.0.1:${hubPort}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${hubUrl}/healthz`)).ok) break;
  } catch {
    /* starting */
  }
  if (i > 200) throw new Error('the hub did not become healthy');
  await new Promise((r) => setTimeout(r, 100));
}
// Without the demo station, the agent runs only for a station the operator registered and named.
const credential = demo?.station.credential ?? env.STATION_CREDENTIAL;
const withAgent = Boolean(credential || env.STATION_CREDENTIAL_FILE);
if (withAgent) {
  run('station agent', 'station-agent/src/main.ts', {
    HUB_URL: hubUrl,
    AGENT_PORT: String(agentPort),
    ...(credential ? { STATION_CREDENTIAL: credential } : {}),
    ...(demoStation ? { VITALS_DEVICES: JSON.stringify(demoStation.devices) } : {}),
  });
}

console.log(`
Trạm is running.
  Station kiosk:         ${withAgent ? kioskUrl : 'not started (no STATION_CREDENTIAL or STATION_CREDENTIAL_FILE)'}
  Police console:        ${hubUrl}/police/
  Clinician console:     ${hubUrl}/clinician/
  Hub health:            ${hubUrl}/healthz
  LiveKit:               ${livekit.url}
  PostgreSQL:            ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}
${
  demo
    ? `Demo logins (password ${demo.logins[0]!.password}):
${demo.logins.map((l) => `  ${l.role.padEnd(9)} ${l.username}`).join('\n')}`
    : `No demo data was seeded into DATABASE_URL (\`npm start -- --demo\` would). Create the first administrator with:
  DATABASE_URL=… npm run admin -- create-admin <username>
(the password is asked for, or read from stdin; see docs/deploy-hub.md).`
}
${demoStation ? demoBanner(demoStation) : `Demo station: off (${demoMode.why}).`}
Press Ctrl+C to stop.`);

function demoBanner(d: DemoStation): string {
  return `Demo station control:  ${d.controlUrl}  (insert a card, step on the scale, choose normal or abnormal values)
Demo residents (made-up people; type the CAN on the kiosk):
${d.residents.map((r) => `  ${r.fullName.padEnd(18)} CAN ${r.can}`).join('\n')}
Try:
  SOS:          press the red button on the kiosk; answer in the police console.
  ID card:      "Đưa thẻ vào" on the control page, type the CAN on the kiosk: you are greeted by name.
  Health check: with a card in, "Kiểm tra sức khỏe" on the kiosk; use the booth buttons on the control page.
  Doctor:       after the health check, "Gặp bác sĩ"; accept it in the clinician console.`;
}

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((r) => {
          if (c.exitCode !== null) return r();
          c.once('exit', () => r());
          c.kill('SIGTERM');
        }),
    ),
  );
  for (const s of stops.reverse()) await s().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
