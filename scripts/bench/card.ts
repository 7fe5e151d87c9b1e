// Card benchmark: the virtual CCCD inserted into pcscd's vpcd reader, read through pcsclite,
// N times with BAC and N times with PACE (CAN). Measures card inserted (virtual card connects) ->
// document read, and -> verified on the station (Passive + Active Authentication with the hub's
// verifiers). The hub round trip (POST /api/identity) is not part of this run yet.
// Note: vpcd writes each frame's length and payload separately, so Nagle + delayed ACK add
// ~40 ms per APDU on loopback; real USB readers do not have that, APDU count dominates here.
import { randomBytes } from 'node:crypto';
import { verifyActive } from '../../hub/src/identity/icao/active-auth.ts';
import { cscaStoreFromDer, verifyPassive } from '../../hub/src/identity/icao/passive-auth.ts';
import { CardMonitor } from '../../station-ui/agent/card/card-monitor.ts';
import { readDocument } from '../../station-ui/agent/card/read-document.ts';
import { openCard } from '../../station-ui/agent/card/reader.ts';
import { VPCD_DEFAULT_PORT, VpcdCard } from '../../station-ui/agent/card/vpcd-card.ts';
import { virtualCccd } from '../../station-ui/test/card-document.ts';
import { ensurePcscd, VPCD_PORT } from '../pcscd.ts';
import { percentile, round } from './stats.ts';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const READS = Math.max(20, arg('reads', 20));
const log = (m: string) => console.error(`[bench card] ${m}`);

const pcscd = await ensurePcscd();
const monitor = await CardMonitor.start();
const suffix = ` ${String(VPCD_PORT - VPCD_DEFAULT_PORT).padStart(2, '0')}`;
const reader = monitor.readers().find((r) => r.name.startsWith('Virtual PCD') && r.name.endsWith(suffix))?.name;
if (!reader) throw new Error(`no vpcd reader in ${monitor.readers().map((r) => r.name).join(', ')}`);

interface Sample { read: number; verified: number; detect: number; apdus: number }
async function run(mode: 'BAC' | 'PACE'): Promise<Sample[]> {
  const v = virtualCccd({ cardAccess: mode === 'PACE', doc: { aaKey: 'rsa' } });
  const store = cscaStoreFromDer([v.doc.cscaDer]);
  const card = new VpcdCard({ chip: v.chip, port: VPCD_PORT });
  const samples: Sample[] = [];
  for (let i = 0; i < READS; i++) {
    const inserted = monitor.next('card-inserted', { reader, timeoutMs: 5000 });
    const t0 = performance.now();
    await card.insert();
    const ev = await inserted;
    const { transport, atrInfo } = await openCard(monitor.pcsc, { reader });
    const challenge = new Uint8Array(randomBytes(8));
    const doc = await readDocument(transport, mode === 'PACE' ? { can: v.doc.can } : v.access, { challenge, extendedLength: atrInfo.extendedLength });
    const tRead = performance.now();
    if (doc.access !== mode) throw new Error(`expected ${mode}, read with ${doc.access}`);
    const pa = verifyPassive(doc.sod, doc.dataGroups, store);
    const aa = verifyActive(doc.dataGroups.get(15)!, challenge, doc.activeAuth!.signature);
    if (!pa.ok || !aa.ok) throw new Error(`verification failed: ${pa.failures.join(',')} ${aa.failure ?? ''}`);
    const tVerified = performance.now();
    samples.push({ read: tRead - t0, verified: tVerified - t0, detect: ev.at - t0, apdus: doc.apduCount });
    await transport.close();
    const removed = monitor.next('card-removed', { reader, timeoutMs: 5000 });
    await card.remove();
    await removed;
  }
  const p50 = (k: keyof Sample) => round(percentile(samples.map((s) => s[k]), 50));
  log(`${mode}: ${READS} reads; p50 detect ${p50('detect')} ms, read ${p50('read')} ms, verified ${p50('verified')} ms, p95 read ${round(percentile(samples.map((s) => s.read), 95))} ms, ${samples[0]!.apdus} APDUs`);
  return samples;
}

try {
  const bac = await run('BAC');
  const pace = await run('PACE');
  const all = [...bac, ...pace];
  console.log(JSON.stringify({
    bench: 'card',
    reads: all.length,
    bac_p50_ms: round(percentile(bac.map((s) => s.read), 50)),
    pace_p50_ms: round(percentile(pace.map((s) => s.read), 50)),
    bac_verified_p50_ms: round(percentile(bac.map((s) => s.verified), 50)),
    pace_verified_p50_ms: round(percentile(pace.map((s) => s.verified), 50)),
    detect_p50_ms: round(percentile(all.map((s) => s.detect), 50)),
    apdus_per_read: round(all.reduce((n, s) => n + s.apdus, 0) / all.length),
  }));
} finally {
  await monitor.close();
  await pcscd.stop();
}
