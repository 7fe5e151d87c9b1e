// Live vitals of one patient through the hub's topic-based FHIR Subscription (R5 Backport IG for
// R4, websocket channel, full-resource payloads), as both consoles follow it: create the
// Subscription, ask for a fresh binding token before every (re)bind, bind on the hub's FHIR
// websocket, count a bind as good only once the hub's handshake arrives, and hand each
// event-notification to the caller, who reads its Observations its own way. Stopping switches the
// subscription off at the hub. Free of Solid, like the socket loop under it.
import { sameOrigin, socketLoop, type SocketLoop } from './socket-loop.ts';

// biome-ignore lint/suspicious/noExplicitAny: FHIR resources as the hub sends them, read field by field
type FhirJson = any;

const TOPIC = 'https://tram.vn/fhir/SubscriptionTopic/vital-signs-observation';
const BP = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export interface FollowSubscriptionOptions {
  /** Why the subscription exists, kept on it at the hub. */
  reason: string;
  /** Asking for a token and binding: at first, and again after the socket closed. */
  onConnecting(): void;
  /** Bound and handshaken: notifications flow from here (resync what came while unbound). */
  onLive(): void;
  /** One event-notification Bundle; its entries after the SubscriptionStatus are the Observations. */
  onEvents(bundle: FhirJson): void;
  /** The subscription could not be made, or the hub refused the socket three times in a row. */
  onGiveUp(): void;
}

export type SubscriptionFrame = { type: 'handshake' } | { type: 'event-notification'; bundle: FhirJson };

const param = (p: FhirJson, name: string) => p?.parameter?.find((x: FhirJson) => x.name === name);

/** What a frame on the subscription socket means to a follower; null for heartbeats and anything else. */
export function subscriptionFrame(data: string): SubscriptionFrame | null {
  let b: FhirJson;
  try {
    b = JSON.parse(data);
  } catch {
    return null;
  }
  if (b?.resourceType !== 'Bundle') return null;
  const type = param(b.entry?.[0]?.resource, 'type')?.valueCode;
  if (type === 'handshake') return { type };
  if (type === 'event-notification') return { type, bundle: b };
  return null;
}

async function fhirJson(path: string, init?: RequestInit): Promise<FhirJson> {
  const r = await fetch(`/fhir${path}`, { ...init, headers: { accept: 'application/fhir+json', 'content-type': 'application/fhir+json' } });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.json();
}
const switchOff = (id: string) => void fhirJson(`/Subscription/${id}`, { method: 'DELETE' }).catch(() => {});

export function followSubscription(patientId: string, o: FollowSubscriptionOptions): { stop(): void } {
  let stopped = false,
    subId: string | null = null,
    socket: SocketLoop | undefined,
    token = '';
  const bind = (id: string) =>
    socketLoop({
      address: async () => {
        o.onConnecting();
        const p = await fhirJson(`/Subscription/${id}/$get-ws-binding-token`);
        token = param(p, 'token')?.valueString as string;
        // the hub names its socket by its own origin; the browser must use the page's (same hub behind any proxy)
        return sameOrigin(new URL(param(p, 'websocket-url')?.valueUrl as string).pathname);
      },
      onOpen: (ws) => ws.send(`bind-with-token ${token}`),
      onMessage: (data) => {
        const f = subscriptionFrame(data);
        if (f?.type === 'handshake') {
          socket?.confirmed();
          o.onLive();
        } else if (f?.type === 'event-notification') o.onEvents(f.bundle);
      },
      onClose: o.onConnecting,
      success: 'confirmed',
      // refused again and again: the subscription is gone, or the hub no longer grants it
      maxFailures: 3,
      onGiveUp: o.onGiveUp,
    });

  void (async () => {
    try {
      const created = await fhirJson('/Subscription', {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Subscription',
          status: 'requested',
          reason: o.reason,
          criteria: TOPIC,
          _criteria: { extension: [{ url: `${BP}/backport-filter-criteria`, valueString: `Observation?patient=Patient/${patientId}` }] },
          channel: {
            type: 'websocket',
            payload: 'application/fhir+json',
            _payload: { extension: [{ url: `${BP}/backport-payload-content`, valueCode: 'full-resource' }] },
            extension: [{ url: `${BP}/backport-heartbeat-period`, valueUnsignedInt: 30 }],
          },
        }),
      });
      subId = created.id;
      if (stopped) return switchOff(created.id);
      socket = bind(created.id);
    } catch {
      if (!stopped) o.onGiveUp();
    }
  })();

  return {
    stop() {
      stopped = true;
      socket?.stop();
      // the subscription is only for this call: switch it off at the hub
      if (subId) switchOff(subId);
    },
  };
}
