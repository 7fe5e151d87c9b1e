// `npx tsx scripts/bench.ts faults` (or `npm run bench -- faults`): the fault matrix of
// scripts/bench/faults-matrix.ts, once each, at full length (Redis down 30 s, the station's network
// cut 10 s, the LiveKit node holding a call's room stopped), printing the table fault × calls raised × calls lost × readings sent × readings lost ×
// time to recover, then one JSON line. Needs root (network namespace, tmpfs).
import { startFaultRig } from './faults-rig.ts';
import { type FaultRow, SCENARIOS, table } from './faults-matrix.ts';

const log = (m: string) => console.error(`[bench faults] ${m}`);
const rig = await startFaultRig();
const rows: FaultRow[] = [];
const failures: string[] = [];
try {
  const runs: [string, () => Promise<FaultRow>][] = [
    ['hub kill while ringing', () => SCENARIOS.hubKillRinging(rig)],
    ['hub kill in a call', () => SCENARIOS.hubKillInCall(rig)],
    ['PostgreSQL restart', () => SCENARIOS.postgresRestart(rig, 5000)],
    ['Redis down', () => SCENARIOS.redisDown(rig, 30_000)],
    ['network cut', () => SCENARIOS.networkCut(rig, 10_000)],
    ['disk full', () => SCENARIOS.diskFull(rig)],
    // last: the node stays down
    ['LiveKit node holding the room stopped', () => SCENARIOS.livekitNodeStop(rig)],
  ];
  for (const [name, run] of runs) {
    log(name);
    try {
      const row = await run();
      rows.push(row);
      log(`${row.fault}: ${row.notes.join('; ')}`);
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message}`);
      log(`${name} FAILED: ${(e as Error).message}`);
    }
  }
} finally {
  await rig.stop();
}
console.log(table(rows));
console.log(
  JSON.stringify({
    bench: 'faults',
    faults: rows.length,
    calls_raised: rows.reduce((n, r) => n + r.callsRaised, 0),
    calls_lost: rows.reduce((n, r) => n + r.callsLost, 0),
    readings_sent: rows.reduce((n, r) => n + r.readingsSent, 0),
    readings_lost: rows.reduce((n, r) => n + r.readingsLost, 0),
    max_recover_ms: Math.max(0, ...rows.map((r) => r.recoverMs ?? 0)),
    not_recovered: rows.filter((r) => r.recoverMs === null).map((r) => r.fault),
    failures,
    rows: rows.map((r) => ({
      fault: r.fault,
      raised: r.callsRaised,
      lost: r.callsLost,
      sent: r.readingsSent,
      readings_lost: r.readingsLost,
      recover_ms: r.recoverMs,
    })),
  }),
);
process.exit(failures.length ? 1 : 0);
