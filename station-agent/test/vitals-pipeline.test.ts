// The booth's readings end to end on real parts: a Medlab NIBP2010 simulator on a socat pty, the
// station agent (serialport driver, on-disk queue), the real hub (validation, FHIR storage,
// flags) and PostgreSQL. The hub goes down in the middle: the reading taken meanwhile arrives
// once it is back, and nothing is stored twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, listen, repoRoot, startTestHub } from '../../hub/test/support/env.ts';
import { citizenSession } from '../../hub/test/vitals-fixtures.ts';
import { parseDeviceConfigs } from '../src/devices/device-config.ts';
import { PtyRig, until } from '@tram/testing/devices/pty-rig.ts';
import { Nibp2010Simulator } from '@tram/testing/devices/simulators.ts';
import { startAgent } from '../src/gateway/server.ts';
import { deferrer } from '@tram/testing/teardown.ts';

test('cuff reading -> agent -> hub -> stored once and announced with its flag; a hub outage loses nothing', async (t) => {
  const defer = deferrer(t);
  const rig = await PtyRig.create(t);
  if (!rig) return;
  const sim = new Nibp2010Simulator({ systolic: 188, diastolic: 114, pulse: 96 });
  rig.attach(sim, 40);
  const db = await freshDatabase();
  defer(() => db.drop());
  let hub = await startTestHub(db.url);
  defer(() => hub.stop());
  const { sessionId, citizenId } = await citizenSession(db, db.demo.station.id);
  const dataDir = mkdtempSync(join(tmpdir(), 'tram-vitals-pipe-'));
  defer(() => rmSync(dataDir, { recursive: true, force: true }));
  const devices = parseDeviceConfigs([{ id: 'bp-1', kind: 'blood_pressure', protocol: 'nibp2010', path: rig.hostPath }]);
  const agent = await startAgent({
    host: '127.0.0.1',
    port: 0,
    hubUrl: hub.url,
    credential: db.demo.station.credential,
    dataDir,
    uiDir: join(repoRoot, 'station-ui/dist'),
    devices,
    cardReader: 'off',
  });
  defer(() => agent.stop());
  agent.vitals.setSession(sessionId);
  const bpRows = async () =>
    (
      await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM fhir_observations WHERE patient_id = ${citizenId} AND code = '85354-9'`
    )[0]!.n;

  const station = await listen(hub.url, { station: db.demo.station.credential });
  try {
    await until(() => agent.vitals.devices.statuses().some((s) => s.state === 'connected'), 5000, 'the cuff connected');
    agent.vitals.measure('blood_pressure');
    const e = await station.next(
      (x) => x.type === 'vitals.observation' && x.data.observations.some((o: { values?: unknown }) => o.values),
      10_000,
    );
    const bp = e.data.observations.find((o: { values?: unknown }) => o.values);
    assert.deepEqual({ systolic: bp.values.systolic, diastolic: bp.values.diastolic }, { systolic: 188, diastolic: 114 });
    assert.equal(e.data.flags[0].code, 'hypertensive_crisis');
    assert.match(e.data.flags[0].message.vi, /Huyết áp 188\/114/);
    assert.equal(await bpRows(), 1);
  } finally {
    station.close();
  }

  // the hub goes away; the resident is measured again meanwhile
  await hub.stop();
  agent.vitals.measure('blood_pressure');
  await until(() => agent.vitals.queue.size > 0, 10_000, 'the reading queued on disk while the hub is down');
  await new Promise((r) => setTimeout(r, 1500));
  hub = await startTestHub(db.url);
  const deadline = Date.now() + 15_000;
  while ((await bpRows()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.equal(await bpRows(), 2, 'the reading taken during the outage arrived');
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await bpRows(), 2, 'and only once');
  const hr = await db.sql`SELECT count(*)::int AS n FROM fhir_observations WHERE patient_id = ${citizenId} AND code = '8867-4'`;
  assert.equal(hr[0]!.n, 2, 'each cuff cycle also gave one pulse rate');
});
