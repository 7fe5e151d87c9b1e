// Starts the shared servers for tests and benchmarks once: PostgreSQL (DATABASE_URL if set,
// otherwise embedded in a temp dir) and a loopback livekit-server whose webhooks go to `hubPort`.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../hub/src/db/embedded.ts';
import { startLivekit } from '../media/livekit.ts';
import { freePort, livekitOnFreePorts } from './ports.ts';
import { ensurePcscd, VPCD_PORT } from './pcscd.ts';

export interface Stack {
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startStack(label: string): Promise<Stack> {
  const work = mkdtempSync(join(tmpdir(), `tram-${label}-`));
  // the embedded PostgreSQL runs as the `postgres` user when we are root: it must reach its data dir
  chmodSync(work, 0o711);
  let databaseUrl = process.env.DATABASE_URL;
  let stopPg = async () => {};
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: await freePort() });
    databaseUrl = pg.url;
    stopPg = pg.stop;
  }
  const hubPort = await freePort();
  const lkOptions = await livekitOnFreePorts({
    apiKey: 'tram-test',
    webhookUrl: `http://127.0.0.1:${hubPort}/livekit/webhook`,
    workDir: join(work, 'livekit'),
  });
  const lk = await startLivekit(lkOptions);
  const pcscd = await ensurePcscd();
  return {
    env: {
      TRAM_TEST_VPCD_PORT: String(VPCD_PORT),
      TRAM_TEST_DATABASE_URL: databaseUrl,
      TRAM_TEST_HUB_PORT: String(hubPort),
      LIVEKIT_URL: lk.apiUrl,
      LIVEKIT_PUBLIC_URL: lk.wsUrl,
      LIVEKIT_API_KEY: lkOptions.apiKey,
      LIVEKIT_API_SECRET: lkOptions.apiSecret,
    },
    async stop() {
      await lk.stop();
      await pcscd.stop();
      await stopPg();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
