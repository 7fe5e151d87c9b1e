// Live vitals of an escalated call's patient: the same topic-based FHIR Subscription (Backport IG,
// websocket channel, full-resource payloads) the clinician console uses. The hub grants it only while
// this officer owns the call (or this medic is in it) and audits each delivery with the call as
// purpose; when the call ends or changes hands, notifications stop and the subscription is switched off.
import { LOINC, VITALS, VITAL_KINDS, type LatestVital, type VitalKind } from '@tram/contracts';
import { sameOrigin, socketLoop, type SocketLoop } from '@tram/console-ui/socket';

// biome-ignore lint/suspicious/noExplicitAny: FHIR resources as the hub sends them, read field by field
type FhirJson = any;

const TOPIC = 'https://tram.vn/fhir/SubscriptionTopic/vital-signs-observation';
const BP = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export type LiveState = 'connecting' | 'live' | 'off';

const BY_LOINC = new Map<string, VitalKind>(VITAL_KINDS.flatMap((k) => VITALS[k].loinc.map((c) => [c.code, k] as const)));
const BP_PART = Object.fromEntries((VITALS.blood_pressure.components ?? []).map((c) => [c.name, c.loinc.code]));
const param = (p: FhirJson, name: string) => p?.parameter?.find((x: FhirJson) => x.name === name);

/** A vital-sign Observation as the handover shows it (flag: its interpretation code other than normal). */
export function vitalOf(o: FhirJson): LatestVital | null {
  if (o?.resourceType !== 'Observation') return null;
  const code = o.code?.coding?.find((c: FhirJson) => c.system === LOINC && BY_LOINC.has(c.code))?.code as string | undefined;
  const kind = code ? BY_LOINC.get(code) : undefined;
  const at = o.effectiveDateTime ?? o.issued;
  if (!kind || !at) return null;
  const flag = (o.interpretation ?? []).flatMap((i: FhirJson) => i.coding ?? []).find((c: FhirJson) => c.code && c.code !== 'N')?.code;
  const base = { kind, at, unit: VITALS[kind].unit, ...(flag ? { flag } : {}) };
  if (kind === 'blood_pressure') {
    const part = (name: string) =>
      o.component?.find((c: FhirJson) => c.code?.coding?.some((x: FhirJson) => x.code === BP_PART[name]))?.valueQuantity?.value;
    const systolic = part('systolic'),
      diastolic = part('diastolic');
    return systolic === undefined || diastolic === undefined ? null : { ...base, values: { systolic, diastolic } };
  }
  const value = o.valueQuantity?.value;
  return typeof value === 'number' ? { ...base, value } : null;
}

async function fhirJson(path: string, init?: RequestInit): Promise<FhirJson> {
  const r = await fetch(`/fhir${path}`, { ...init, headers: { accept: 'application/fhir+json', 'content-type': 'application/fhir+json' } });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.json();
}

export function followCallVitals(patientId: string, on: { vital(v: LatestVital): void; state(s: LiveState): void }): { stop(): void } {
  let stopped = false,
    subId: string | null = null,
    socket: SocketLoop | undefined,
    token = '';
  const bind = (id: string) =>
    socketLoop({
      address: async () => {
        on.state('connecting');
        const p = await fhirJson(`/Subscription/${id}/$get-ws-binding-token`);
        token = param(p, 'token')?.valueString as string;
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
        } else if (type === 'event-notification')
          for (const e of b.entry ?? []) {
            const v = vitalOf(e.resource);
            if (v) on.vital(v);
          }
      },
      onClose: () => on.state('connecting'),
      success: 'confirmed',
      // refused again and again: the call ended or changed hands, the snapshot stays
      maxFailures: 3,
      onGiveUp: () => on.state('off'),
    });

  void (async () => {
    try {
      const created = await fhirJson('/Subscription', {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Subscription',
          status: 'requested',
          reason: 'Sinh hiệu trong cuộc gọi khẩn cấp / Live vitals during an emergency call',
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
      if (stopped) return void fhirJson(`/Subscription/${created.id}`, { method: 'DELETE' }).catch(() => {});
      socket = bind(created.id);
    } catch {
      on.state('off');
    }
  })();

  return {
    stop() {
      stopped = true;
      socket?.stop();
      if (subId) void fhirJson(`/Subscription/${subId}`, { method: 'DELETE' }).catch(() => {});
      on.state('off');
    },
  };
}
