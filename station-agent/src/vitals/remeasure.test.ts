// The whole agent (gateway + devices + queue) between a real WebSocket/HTTP "hub" and a BP
// simulator on a pty: the hub's vitals.remeasure starts the cuff; readings reach the kiosk page,
// and reach the hub only once a citizen session is set.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { parseDeviceConfigs } from '../devices/device-config.ts';
import type { DeviceRef } from '../devices/stamped-reading.ts';
import { pause, PtyRig, until } from '@tram/testing/devices/pty-rig.ts';
import { Nibp2010Simulator } from '@tram/testing/devices/simulators.ts';
import { startAgent } from '../gateway/server.ts';
import { startFakeHub } from '@tram/testing/vitals/fake-hub.ts';
import { parseRemeasure } from './remeasure.ts';
import { RecordingPolicy } from './recording-policy.ts';

const CRED = 'station-7:0123456789abcdefXYZ';

test('parseRemeasure accepts only a well-formed request for a known kind', () => {
  assert.equal(parseRemeasure({ type: 'vitals.remeasure', data: { kind: 'blood_pressure' } }), 'blood_pressure');
  assert.equal(parseRemeasure({ type: 'vitals.remeasure', data: { kind: 'mood' } }), undefined);
  assert.equal(parseRemeasure({ type: 'call.ended', data: { kind: 'spo2' } }), undefined);
  assert.equal(parseRemeasure(null), undefined);
});

test('recording policy: thins streams per device and kind, shows unsettled values, records only with a session', () => {
  const p = new RecordingPolicy((id) => (id === 'cuff' ? 0 : 1000));
  const dev: DeviceRef = { id: 'oxi', model: 'm', protocol: 'cms50d-v7' };
  const cuff: DeviceRef = { id: 'cuff', model: 'm', protocol: 'nibp2010' };
  const r = (kind: 'spo2' | 'heart_rate' | 'weight' | 'blood_pressure', flags: string[] = [], device: DeviceRef = dev) =>
    ({ id: 'x', kind, value: kind === 'weight' ? 62 : 1, unit: '%', at: '', device, flags }) as never;
  assert.equal(p.judge(r('spo2'), 's', 0), 'record');
  assert.equal(p.judge(r('spo2'), 's', 500), 'skip');
  assert.equal(p.judge(r('heart_rate'), 's', 500), 'record', 'another kind has its own slot');
  assert.equal(p.judge(r('spo2'), 's', 1000), 'record');
  assert.equal(p.judge(r('weight', ['unstable']), 's', 0), 'show');
  assert.equal(p.judge(r('weight'), 's', 10), 'record', 'the settled value is not held back by the swing before it');
  assert.equal(p.judge(r('blood_pressure', [], cuff), 's', 0), 'record');
  assert.equal(p.judge(r('blood_pressure', [], cuff), 's', 1), 'record', 'each cuff cycle counts');
  assert.equal(p.judge(r('heart_rate', [], cuff), 's', 2), 'record', 'so does the pulse that comes with it');
  assert.equal(p.judge(r('heart_rate'), null, 5000), 'show', 'no identified resident: shown, never kept');
  const empty = {
    id: 'y',
    kind: 'weight',
    value: 0,
    unit: 'kg',
    at: '',
    device: { id: 'scale', model: 'm', protocol: 'mt-sics' },
    flags: [],
  } as never;
  assert.equal(p.judge(empty, 's', 0), 'show', 'an empty scale (0 kg) is not a measurement');
});

test('hub re-measure over the station WebSocket drives the BP board; readings to the page, and to the hub with a session', async (t) => {
  const rig = await PtyRig.create(t);
  if (!rig) return;
  const sim = new Nibp2010Simulator({ systolic: 128, diastolic: 84, pulse: 75 });
  rig.attach(sim, 40);
  const hub = await startFakeHub();
  t.after(() => hub.close());
  const dataDir = mkdtempSync(join(tmpdir(), 'tram-agent-vitals-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const devices = parseDeviceConfigs([{ id: 'bp-1', kind: 'blood_pressure', protocol: 'nibp2010', path: rig.hostPath }]);
  const agent = await startAgent({ host: '127.0.0.1', port: 0, hubUrl: hub.url, credential: CRED, dataDir, uiDir: dataDir, devices });
  t.after(() => agent.stop());

  const page: { type: string; data: Record<string, unknown> }[] = [];
  const ws = new WebSocket(`${agent.url.replace('http', 'ws')}/agent/ws?key=${agent.key}`);
  t.after(() => ws.terminate());
  ws.on('message', (d) => page.push(JSON.parse(d.toString())));
  const pageReadings = () => page.filter((m) => m.type === 'vitals.reading').map((m) => m.data);
  const bpOnPage = () => pageReadings().filter((r) => r['kind'] === 'blood_pressure');

  await until(() => hub.stations.length === 1, 5000, 'the agent following the hub');
  await until(() => page.some((m) => m.type === 'vitals.device' && m.data['state'] === 'connected'), 5000, 'device connected on the page');
  await pause(100);
  assert.equal(sim.starts, 0);

  // Nobody identified: the measurement is shown on the kiosk but never queued or sent.
  hub.push({ type: 'vitals.remeasure', data: { kind: 'blood_pressure' } });
  await until(() => bpOnPage().length === 1, 8000, 'the first BP reading on the page');
  assert.equal(sim.starts, 1);
  const first = bpOnPage()[0]!;
  assert.deepEqual(first['values'], { systolic: 128, diastolic: 84, mean: 99 });
  assert.equal(first['recorded'], false);
  assert.ok(
    page.some((m) => m.type === 'vitals.device' && (m.data['condition'] as { flags?: string[] } | undefined)?.flags?.includes('measuring')),
    'cuff progress relayed',
  );
  await pause(200);
  assert.equal(hub.posts.length, 0, 'nothing sent without a citizen session');
  assert.equal(agent.vitals.queue.size, 0, 'nothing kept without a citizen session');

  // A malformed request changes nothing.
  hub.push({ type: 'vitals.remeasure', data: { kind: 'mood' } });
  await pause(200);
  assert.equal(sim.starts, 1);

  agent.vitals.setSession('sess-42');
  hub.push({ type: 'vitals.remeasure', data: { kind: 'blood_pressure' } });
  await until(() => hub.stored.length >= 2, 8000, 'BP and pulse stored at the hub');
  assert.equal(sim.starts, 2);
  const post = hub.posts.at(-1)!;
  assert.equal(post.auth, `Station ${CRED}`);
  assert.equal(post.body.sessionId, 'sess-42');
  const bp = hub.posts.flatMap((p) => p.body.readings).find((r) => r.kind === 'blood_pressure')!;
  assert.deepEqual(bp.values, { systolic: 128, diastolic: 84, mean: 99 });
  assert.equal(bp.unit, 'mm[Hg]');
  assert.deepEqual(bp.device, { id: 'bp-1', model: 'Medlab NIBP2010/2020 OEM board', protocol: 'nibp2010' });
  assert.equal('flags' in bp, false, 'device flags stay at the agent');
  const hr = hub.posts.flatMap((p) => p.body.readings).find((r) => r.kind === 'heart_rate')!;
  assert.equal(hr.value, 75);
  assert.equal(hr.unit, '/min');
  await until(() => bpOnPage().length === 2, 2000, 'the second BP on the page');
  assert.equal(bpOnPage()[1]!['id'], bp.id, 'the kiosk and the hub see the same reading id');
  assert.equal(bpOnPage()[1]!['recorded'], true);
});
