// Live vitals for one resident through a topic-based FHIR Subscription (R5 Backport IG for R4,
// websocket channel, full-resource payloads): create the Subscription, get a binding token, bind
// on the hub's FHIR websocket, and turn each event-notification into samples. After every
// (re)bind the caller resyncs from the REST history, so nothing that arrived while the socket was
// down is lost. If the subscription cannot be set up at all, $lastn is polled every second.
import { fhir, lastN } from './client.ts';
import { samplesOf, type Sample } from './observations.ts';
import { sameOrigin, socketLoop, type SocketLoop } from '@tram/console-ui/socket';

// biome-ignore lint/suspicious/noExplicitAny: FHIR resources as the server sends them, read field by field
type FhirJson = any;

const TOPIC = 'https://tram.vn/fhir/SubscriptionTopic/vital-signs-observation';
const BP = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export type LiveState = 'connecting' | 'live' | 'polling' | 'closed';
export interface LiveVitals {
  stop(): void;
}

const param = (p: FhirJson, name: string) => p?.parameter?.find((x: FhirJson) => x.name === name);

export function followVitals(patientId: string, on: { samples(s: Sample[]): void; resync(): void; state(s: LiveState): void }): LiveVitals {
  let stopped = false,
    subId: string | null = null,
    poll: ReturnType<typeof setInterval> | undefined,
    socket: SocketLoop | undefined;
  let token = '';

  const startPolling = () => {
    if (poll || stopped) return;
    on.state('polling');
    poll = setInterval(() => {
      lastN(patientId).then(
        (b) => on.samples(samplesOf(b)),
        () => {},
      );
    }, 1000);
  };

  // Every (re)bind asks for a fresh token. Three failures in a row (the subscription is gone, or
  // the hub keeps refusing): a second-by-second poll still shows new readings.
  const bind = (id: string) =>
    socketLoop({
      address: async () => {
        on.state('connecting');
        const p = await fhir.operation({ resourceType: 'Subscription', id, name: '$get-ws-binding-token', method: 'GET' });
        token = param(p, 'token')?.valueString as string;
        // the hub names its socket by its own origin; the browser must use the page's (same hub behind FhirJson proxy)
        return sameOrigin(new URL(param(p, 'websocket-url')?.valueUrl as string).pathname);
      },
      onOpen: (ws) => ws.send(`bind-with-token ${token}`),
      onMessage: (data) => {
        const b = JSON.parse(data);
        if (b.resourceType !== 'Bundle') return;
        const type = param(b.entry?.[0]?.resource, 'type')?.valueCode;
        if (type === 'handshake') {
          socket?.confirmed();
          on.state('live');
          on.resync();
        } else if (type === 'event-notification') on.samples(samplesOf(b));
      },
      onClose: () => on.state('connecting'),
      success: 'confirmed',
      maxFailures: 3,
      onGiveUp: startPolling,
    });

  void (async () => {
    try {
      const created: FhirJson = await fhir.create({
        resourceType: 'Subscription',
        body: {
          resourceType: 'Subscription',
          status: 'requested',
          reason: 'Theo dõi sinh hiệu trong buổi khám / Live vitals during a consult',
          criteria: TOPIC,
          _criteria: { extension: [{ url: `${BP}/backport-filter-criteria`, valueString: `Observation?patient=Patient/${patientId}` }] },
          channel: {
            type: 'websocket',
            payload: 'application/fhir+json',
            _payload: { extension: [{ url: `${BP}/backport-payload-content`, valueCode: 'full-resource' }] },
            extension: [{ url: `${BP}/backport-heartbeat-period`, valueUnsignedInt: 30 }],
          },
        },
      });
      subId = created.id;
      if (stopped) {
        void fhir.delete({ resourceType: 'Subscription', id: created.id }).catch(() => {});
        return;
      }
      socket = bind(created.id);
    } catch {
      startPolling();
    }
  })();

  return {
    stop() {
      stopped = true;
      clearInterval(poll);
      socket?.stop();
      // the subscription is only for this call: switch it off at the hub
      if (subId) void fhir.delete({ resourceType: 'Subscription', id: subId }).catch(() => {});
      on.state('closed');
    },
  };
}
