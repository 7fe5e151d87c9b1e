// The consoles read the frames the hub sends on its FHIR subscription socket: checked against the
// hub's own notification builder, so a change in what the hub sends breaks this test, not a console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notificationBundle } from '../../../hub/src/fhir/subscriptions/notify.ts';
import type { EventRow, SubscriptionRow } from '../../../hub/src/fhir/subscriptions/store.ts';
import { subscriptionFrame } from './follow-subscription.ts';

const sub = { id: 's1', status: 'active', content: 'full-resource', fhir_base: 'http://hub/fhir' } as SubscriptionRow;
const at = new Date('2026-11-30T13:00:00.000Z');
const event: EventRow = {
  event_number: '3',
  at,
  observation_id: 'o1',
  version_id: 1,
  last_updated: at,
  resource: { resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '59408-5' }] } },
};
const frame = (type: Parameters<typeof notificationBundle>[1], events: EventRow[] = []) =>
  JSON.stringify(notificationBundle(sub, type, events, '3'));

test('the handshake makes the socket live', () => {
  assert.deepEqual(subscriptionFrame(frame('handshake')), { type: 'handshake' });
});

test('an event-notification hands on its Bundle, the Observation after the status', () => {
  const f = subscriptionFrame(frame('event-notification', [event]));
  assert.equal(f?.type, 'event-notification');
  const resources = f?.type === 'event-notification' ? f.bundle.entry.map((e: { resource: unknown }) => e.resource) : [];
  assert.deepEqual(
    resources.map((r: { resourceType: string }) => r.resourceType),
    ['Parameters', 'Observation'],
  );
  assert.equal(resources[1].id, 'o1');
});

test('heartbeats, outcomes, pongs and what is not JSON are nothing to act on', () => {
  assert.equal(subscriptionFrame(frame('heartbeat')), null);
  assert.equal(subscriptionFrame(JSON.stringify({ resourceType: 'OperationOutcome', issue: [] })), null);
  assert.equal(subscriptionFrame(JSON.stringify({ type: 'pong' })), null);
  assert.equal(subscriptionFrame('null'), null);
  assert.equal(subscriptionFrame('bind-with-token'), null);
});
