// Live vitals for one resident through a topic-based FHIR Subscription (R5 Backport IG for R4,
// websocket channel, full-resource payloads): create the Subscription, get a binding token, bind
// on the hub's FHIR websocket, and turn each event-notification into samples. After every
// (re)bind the caller resyncs from the REST history, so nothing that arrived while the socket was
// down is lost. If the subscription cannot be set up at all, $lastn is polled every second.
import { fhir, lastN } from './client.ts';
import { samplesOf, type Sample } from './observations.ts';

const TOPIC = 'https://tram.vn/fhir/SubscriptionTopic/vital-signs-observation';
const BP = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export type LiveState = 'connecting' | 'live' | 'polling' | 'closed';
export interface LiveVitals { stop(): void }

const param = (p: any, name: string) => p?.parameter?.find((x: any) => x.name === name);

export function followVitals(patientId: string, on: { samples(s: Sample[]): void; resync(): void; state(s: LiveState): void }): LiveVitals {
  let stopped = false, subId: string | null = null, ws: WebSocket | null = null, poll: ReturnType<typeof setInterval> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined, failures = 0;

  const startPolling = () => {
    if (poll || stopped) return;
    on.state('polling');
    poll = setInterval(() => { lastN(patientId).then((b) => on.samples(samplesOf(b)), () => {}); }, 1000);
  };

  const bind = async () => {
    if (stopped || !subId) return;
    on.state('connecting');
    try {
      const p = await fhir.operation({ resourceType: 'Subscription', id: subId, name: '$get-ws-binding-token', method: 'GET' });
      if (stopped) return;
      const token = param(p, 'token')?.valueString as string;
      // the hub names its socket by its own origin; the browser must use the page's (same hub behind any proxy)
      const path = new URL(param(p, 'websocket-url')?.valueUrl as string).pathname;
      const sock = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`);
      ws = sock;
      sock.onopen = () => sock.send(`bind-with-token ${token}`);
      sock.onmessage = (m) => {
        const b = JSON.parse(String(m.data));
        if (b.resourceType !== 'Bundle') return;
        const type = param(b.entry?.[0]?.resource, 'type')?.valueCode;
        if (type === 'handshake') { failures = 0; on.state('live'); on.resync(); }
        else if (type === 'event-notification') on.samples(samplesOf(b));
      };
      sock.onclose = () => {
        if (ws !== sock || stopped) return;
        ws = null;
        on.state('connecting');
        if (++failures >= 3) startPolling();
        else retry = setTimeout(() => void bind(), 1000);
      };
    } catch {
      // the subscription is gone or the hub keeps refusing: a second-by-second poll still shows new readings
      if (stopped) return;
      if (++failures >= 3) startPolling();
      else retry = setTimeout(() => void bind(), 2000);
    }
  };

  void (async () => {
    try {
      const created: any = await fhir.create({ resourceType: 'Subscription', body: {
        resourceType: 'Subscription', status: 'requested', reason: 'Theo dõi sinh hiệu trong buổi khám / Live vitals during a consult', criteria: TOPIC,
        _criteria: { extension: [{ url: `${BP}/backport-filter-criteria`, valueString: `Observation?patient=Patient/${patientId}` }] },
        channel: {
          type: 'websocket', payload: 'application/fhir+json',
          _payload: { extension: [{ url: `${BP}/backport-payload-content`, valueCode: 'full-resource' }] },
          extension: [{ url: `${BP}/backport-heartbeat-period`, valueUnsignedInt: 30 }],
        },
      } });
      subId = created.id;
      if (stopped) { void fhir.delete({ resourceType: 'Subscription', id: created.id }).catch(() => {}); return; }
      await bind();
    } catch {
      startPolling();
    }
  })();

  return {
    stop() {
      stopped = true;
      clearInterval(poll); clearTimeout(retry);
      ws?.close(); ws = null;
      // the subscription is only for this call: switch it off at the hub
      if (subId) void fhir.delete({ resourceType: 'Subscription', id: subId }).catch(() => {});
      on.state('closed');
    },
  };
}
