// A clinician's FHIR Subscription (R5 Backport IG for R4: topic-based, websocket channel,
// full-resource payload) on one patient, as the benchmarks use it: each notified Observation is
// handed to `onResource` with the time it arrived.
import WebSocket from 'ws';

const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export async function subscribeToPatient(
  hubUrl: string,
  username: string,
  password: string,
  patientId: string,
  onResource: (resource: any, at: number) => void,
): Promise<WebSocket> {
  const r = await fetch(`${hubUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const h = { cookie, 'content-type': 'application/fhir+json' };
  // A clinician reads only the patients of their consults, or one opened by break-glass with a
  // reason (audited): the benchmark's clinicians use the latter.
  const glass = await fetch(`${hubUrl}/fhir/$break-glass`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ patient: `Patient/${patientId}`, reason: 'benchmark: subscription load' }),
  });
  if (!glass.ok) throw new Error(`break-glass for the benchmark's clinician: ${glass.status} ${await glass.text()}`);
  const sub = (await (
    await fetch(`${hubUrl}/fhir/Subscription`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({
        resourceType: 'Subscription',
        status: 'requested',
        reason: 'bench',
        criteria: 'https://tram.vn/fhir/SubscriptionTopic/vital-signs-observation',
        _criteria: {
          extension: [{ url: `${BACKPORT}/backport-filter-criteria`, valueString: `Observation?patient=Patient/${patientId}` }],
        },
        channel: {
          type: 'websocket',
          payload: 'application/fhir+json',
          _payload: { extension: [{ url: `${BACKPORT}/backport-payload-content`, valueCode: 'full-resource' }] },
        },
      }),
    })
  ).json()) as { id: string };
  const bound = await fetch(`${hubUrl}/fhir/Subscription/${sub.id}/$get-ws-binding-token`, { headers: h });
  if (!bound.ok) throw new Error(`subscription binding token: ${bound.status} ${await bound.text()}`);
  const p = (await bound.json()) as { parameter: { name: string; valueString?: string; valueUrl?: string }[] };
  const ws = new WebSocket(p.parameter.find((x) => x.name === 'websocket-url')!.valueUrl!);
  ws.on('message', (m) => {
    const t = performance.now();
    const b = JSON.parse(m.toString());
    if (b.resourceType !== 'Bundle') return;
    // the first entry is the subscription-status Parameters; the rest are the resources
    for (const e of b.entry.slice(1)) if (e.resource) onResource(e.resource, t);
  });
  await new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  ws.send(`bind-with-token ${p.parameter.find((x) => x.name === 'token')!.valueString}`);
  return ws;
}
