import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heartbeat } from '@tram/testing/fleet/heartbeat.ts';
import { changes, digestOf, problems, significant, sosPathProblem, statusOf } from './health.ts';

test('uptime and small disk changes do not change the digest; a device state does', () => {
  const a = digestOf(significant(heartbeat()));
  assert.deepEqual(digestOf(significant(heartbeat({ uptimeS: 9999, freeDiskMb: 49_000 }))), a);
  assert.notDeepEqual(digestOf(significant(heartbeat({ devices: [{ id: 'bp-1', kind: 'blood_pressure', state: 'disconnected' }] }))), a);
  assert.notDeepEqual(digestOf(significant(heartbeat({ freeDiskMb: 500 }))), a);
});

test('problems say what is degraded; expected devices that are missing count', () => {
  const s = significant(
    heartbeat({ reader: 'no_reader', camera: 'missing', devices: [{ id: 'bp-1', kind: 'blood_pressure', state: 'error', error: 'EIO' }] }),
  );
  assert.deepEqual(problems(s, ['thermometer']), [
    'card reader missing',
    'device blood_pressure error (EIO)',
    'device thermometer not configured',
    'camera missing',
  ]);
  assert.equal(statusOf({ active: true, seen: true, offline: false, problems: problems(significant(heartbeat()), []) }), 'ok');
  assert.equal(statusOf({ active: false, seen: true, offline: true, problems: [] }), 'retired');
});

test('the SOS path breaks with no camera or microphone, or a growing outbox', () => {
  const ok = significant(heartbeat());
  assert.equal(sosPathProblem(ok, null), null);
  assert.equal(sosPathProblem(significant(heartbeat({ microphone: 'missing' })), ok), 'no microphone');
  assert.match(sosPathProblem(significant(heartbeat({ sosOutbox: 1 })), ok)!, /outbox growing/);
  assert.equal(
    sosPathProblem(significant(heartbeat({ sosOutbox: 1 })), significant(heartbeat({ sosOutbox: 1 }))),
    null,
    'one waiting, not growing',
  );
  assert.equal(sosPathProblem(significant(heartbeat({ camera: 'unknown', microphone: 'unknown' })), ok), null, 'unknown is not an alert');
});

test('changes lists one timeline entry per thing that changed', () => {
  const a = significant(heartbeat());
  const b = significant(heartbeat({ version: '0.2.0', devices: [{ id: 'bp-1', kind: 'blood_pressure', state: 'disconnected' }] }));
  assert.deepEqual(
    changes(a, b).map((c) => c.kind),
    ['version.changed', 'device.changed'],
  );
  assert.deepEqual(changes(a, a), []);
  assert.deepEqual(changes(null, a)[0]!.kind, 'first_heartbeat');
});
