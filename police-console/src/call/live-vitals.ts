// Live vitals of an escalated call's patient: the same topic-based FHIR Subscription (Backport IG,
// websocket channel, full-resource payloads) the clinician console uses. The hub grants it only while
// this officer owns the call (or this medic is in it) and audits each delivery with the call as
// purpose; when the call ends or changes hands, notifications stop and the subscription is switched off.
import { LOINC, VITALS, VITAL_KINDS, type LatestVital, type VitalKind } from '@tram/contracts';
import { followSubscription } from '@tram/console-ui/follow-subscription';

// biome-ignore lint/suspicious/noExplicitAny: FHIR resources as the hub sends them, read field by field
type FhirJson = any;

export type LiveState = 'connecting' | 'live' | 'off';

const BY_LOINC = new Map<string, VitalKind>(VITAL_KINDS.flatMap((k) => VITALS[k].loinc.map((c) => [c.code, k] as const)));
const BP_PART = Object.fromEntries((VITALS.blood_pressure.components ?? []).map((c) => [c.name, c.loinc.code]));

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

export function followCallVitals(patientId: string, on: { vital(v: LatestVital): void; state(s: LiveState): void }): { stop(): void } {
  const follow = followSubscription(patientId, {
    reason: 'Sinh hiệu trong cuộc gọi khẩn cấp / Live vitals during an emergency call',
    onConnecting: () => on.state('connecting'),
    onLive: () => on.state('live'),
    onEvents: (b) => {
      for (const e of b.entry ?? []) {
        const v = vitalOf(e.resource);
        if (v) on.vital(v);
      }
    },
    // refused again and again: the call ended or changed hands, the snapshot stays
    onGiveUp: () => on.state('off'),
  });
  return {
    stop() {
      follow.stop();
      on.state('off');
    },
  };
}
