// Notification Bundles of the Backport IG for R4: a `history` Bundle whose first entry is the
// subscription-status Parameters (type, events-since-subscription-start, notification-event parts),
// followed by the focus resources when the payload content is full-resource.
import { randomUUID } from 'node:crypto';
import { render } from '../store.ts';
import type { EventRow, SubscriptionRow } from './store.ts';

export const TOPIC = 'https://tram.vn/fhir/SubscriptionTopic/vital-signs-observation';
export const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export type NotificationType = 'handshake' | 'heartbeat' | 'event-notification' | 'query-status' | 'query-event';

export function notificationBundle(sub: SubscriptionRow, type: NotificationType, events: EventRow[], eventsSinceStart: string) {
  const base = sub.fhir_base;
  const status = {
    resourceType: 'Parameters',
    id: randomUUID(),
    meta: { profile: [`${BACKPORT}/backport-subscription-status-r4`] },
    parameter: [
      { name: 'subscription', valueReference: { reference: `${base}/Subscription/${sub.id}` } },
      { name: 'topic', valueCanonical: TOPIC },
      { name: 'status', valueCode: sub.status === 'active' ? 'active' : sub.status },
      { name: 'type', valueCode: type },
      { name: 'events-since-subscription-start', valueString: eventsSinceStart },
      ...events.map((e) => ({
        name: 'notification-event',
        part: [
          { name: 'event-number', valueString: e.event_number },
          { name: 'timestamp', valueInstant: e.at.toISOString() },
          ...(sub.content === 'empty' ? [] : [{ name: 'focus', valueReference: { reference: `${base}/Observation/${e.observation_id}` } }]),
        ],
      })),
    ],
  };
  const entries: Record<string, unknown>[] = [
    {
      fullUrl: `urn:uuid:${status.id}`,
      resource: status,
      request: { method: 'GET', url: `${base}/Subscription/${sub.id}/$status` },
      response: { status: '200' },
    },
  ];
  if (sub.content === 'full-resource') {
    const seen = new Set<string>();
    for (const e of events) {
      if (seen.has(e.observation_id)) continue;
      seen.add(e.observation_id);
      entries.push({
        fullUrl: `${base}/Observation/${e.observation_id}`,
        resource: render({ id: e.observation_id, version_id: e.version_id, last_updated: e.last_updated, resource: e.resource }),
        request: { method: 'POST', url: 'Observation' },
        response: { status: '201' },
      });
    }
  }
  return { resourceType: 'Bundle', id: randomUUID(), type: 'history', timestamp: new Date().toISOString(), entry: entries };
}
