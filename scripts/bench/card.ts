// Card benchmark: the virtual CCCD inserted into pcscd's vpcd reader, read through pcsclite,
// N times with BAC and N times with PACE (CAN). Measures card inserted (virtual card connects) ->
// verified identity at the hub: challenge from the hub, chip read (with Active Authentication),
// POST /api/identity, where the hub runs Passive + Active Authentication and opens the session.
// Note: vpcd writes each frame's length and payload separately, so Nagle + delayed ACK add
// ~40 ms per APDU on loopback; real USB readers do not have that, APDU count dominates here.
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
const READS = Math.max(20, arg('reads', 20));
const log = (m: string) => console.error(`[bench card] ${m}`);

// the stack starts pcscd (if needed), PostgreSQL and LiveKit; one hub trusts the test CSCA
const stack = await startStack('bench-card');
const work = mkdtempSync(join(tmpdir(), 'tram-bench-card-'));
const csca = virtualCccd().doc.cscaPem; // the test CSCA is generated once per process
writeFileSync(join(work, 'csca.pem'), csca);
const admin = postgres(stack.env.TRAM_TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
const dbName = `tram_bench_card_${Date.now()}`;
await admin.unsafe(`CREATE DATABASE ${dbName}`);
const dbUrl = Object.assign(new URL(stack.env.TRAM_TEST_DATABASE_URL!), { pathname: `/${dbName}` }).toString();
const seedSql = connectDb(dbUrl, 2);
await migrate(seedSql);
const { station } = await seedDemo(seedSql);
await seedSql.end();
const hub = await startHub(loadConfig({ ...process.env, ...stack.env, DATABASE_URL: dbUrl, PORT: stack.env.TRAM_TEST_HUB_PORT, CSCA_PATHS: join(work, 'csca.pem'), LOG_LEVEL: 'warn' }));
const hubPost = async (path: string, body?: unknown) => {
  const r = await fetch(hub.url + path, { method: 'POST', headers: { authorization: `Station ${station.credential}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json() as any };
};
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
const monitor = await CardMonitor.start();
const suffix = ` ${String(VPCD_PORT - VPCD_DEFAULT_PORT).padStart(2, '0')}`;
const reader = monitor.readers().find((r) => r.name.startsWith('Virtual PCD') && r.name.endsWith(suffix))?.name;
if (!reader) throw new Error(`no vpcd reader in ${monitor.readers().map((r) => r.name).join(', ')}`);

interface Sample { read: number; verified: number; detect: number; apdus: number }
async function run(mode: 'BAC' | 'PACE'): Promise<Sample[]> {
  const v = virtualCccd({ cardAccess: mode === 'PACE', doc: { aaKey: 'rsa' } });
  const card = new VpcdCard({ chip: v.chip, port: VPCD_PORT });
  const samples: Sample[] = [];
  for (let i = 0; i < READS; i++) {
    const inserted = monitor.next('card-inserted', { reader, timeoutMs: 5000 });
    const t0 = performance.now();
    await card.insert();
    const ev = await inserted;
    const { transport, atrInfo } = await openCard(monitor.pcsc, { reader });
    const ch = await hubPost('/api/identity/challenge');
    const challenge = Uint8Array.from(Buffer.from(ch.body.nonce, 'hex'));
    const doc = await readDocument(transport, mode === 'PACE' ? { can: v.doc.can } : v.access, { challenge, extendedLength: atrInfo.extendedLength });
    const tRead = performance.now();
    if (doc.access !== mode) throw new Error(`expected ${mode}, read with ${doc.access}`);
    const verdict = await hubPost('/api/identity', {
      access: doc.access, sod: b64(doc.sod),
      dataGroups: Object.fromEntries([...doc.dataGroups].filter(([n]) => n !== 2).map(([n, f]) => [String(n), b64(f)])),
      activeAuth: { challengeId: ch.body.challengeId, signature: b64(doc.activeAuth!.signature) },
    });
    if (verdict.status !== 201) throw new Error(`hub refused the card: ${JSON.stringify(verdict.body)}`);
    const tVerified = performance.now();
    samples.push({ read: tRead - t0, verified: tVerified - t0, detect: ev.at - t0, apdus: doc.apduCount });
    await transport.close();
    const removed = monitor.next('card-removed', { reader, timeoutMs: 5000 });
    await card.remove();
    await removed;
  }
  const p50 = (k: keyof Sample) => round(percentile(samples.map((s) => s[k]), 50));
  log(`${mode}: ${READS} reads; p50 detect ${p50('detect')} ms, read ${p50('read')} ms, verified at the hub ${p50('verified')} ms, p95 read ${round(percentile(samples.map((s) => s.read), 95))} ms, ${samples[0]!.apdus} APDUs`);
  return samples;
}

try {
  const bac = await run('BAC');
  const pace = await run('PACE');
  const all = [...bac, ...pace];
  console.log(JSON.stringify({
    bench: 'card',
    reads: all.length,
    bac_p50_ms: round(percentile(bac.map((s) => s.verified), 50)),
    pace_p50_ms: round(percentile(pace.map((s) => s.verified), 50)),
    bac_read_p50_ms: round(percentile(bac.map((s) => s.read), 50)),
    pace_read_p50_ms: round(percentile(pace.map((s) => s.read), 50)),
    detect_p50_ms: round(percentile(all.map((s) => s.detect), 50)),
    apdus_per_read: round(all.reduce((n, s) => n + s.apdus, 0) / all.length),
  }));
} finally {
  await monitor.close();
  await hub.stop();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
}
