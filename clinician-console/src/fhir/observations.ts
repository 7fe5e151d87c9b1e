// FHIR vital-sign Observations -> the samples the panel and charts draw. The kind comes from the
// first LOINC code (the vital-signs profile's code); blood pressure from its two components. The
// codes are the contracts' (VITALS), the same the hub writes.
import { LOINC, VITALS, VITAL_KINDS, type VitalKind } from '@tram/contracts';

export interface Sample {
  id: string;
  kind: VitalKind;
  at: number;
  value?: number;
  values?: { systolic: number; diastolic: number };
  unit: string;
  flagged: boolean;
}

const BY_LOINC = new Map<string, VitalKind>(VITAL_KINDS.flatMap((k) => VITALS[k].loinc.map((c) => [c.code, k] as const)));
const BP_PART = Object.fromEntries((VITALS.blood_pressure.components ?? []).map((c) => [c.name, c.loinc.code]));

interface Quantity {
  value?: number;
  code?: string;
  unit?: string;
}
interface Coding {
  system?: string;
  code?: string;
}
export interface ObservationJson {
  resourceType: 'Observation';
  id: string;
  effectiveDateTime?: string;
  issued?: string;
  code: { coding?: Coding[] };
  valueQuantity?: Quantity;
  component?: { code: { coding?: Coding[] }; valueQuantity?: Quantity }[];
  interpretation?: { coding?: Coding[] }[];
}

export function toSample(o: ObservationJson): Sample | null {
  const loinc = o.code.coding?.find((c) => c.system === LOINC && c.code && BY_LOINC.has(c.code));
  const kind = loinc?.code ? BY_LOINC.get(loinc.code) : undefined;
  const at = Date.parse(o.effectiveDateTime ?? o.issued ?? '');
  if (!kind || Number.isNaN(at)) return null;
  const flagged = (o.interpretation ?? []).some((i) => i.coding?.some((c) => c.code && c.code !== 'N'));
  if (kind === 'blood_pressure') {
    const comp = (code: string) => o.component?.find((c) => c.code.coding?.some((x) => x.code === code))?.valueQuantity?.value;
    const systolic = comp(BP_PART['systolic']!),
      diastolic = comp(BP_PART['diastolic']!);
    if (systolic === undefined || diastolic === undefined) return null;
    return { id: o.id, kind, at, values: { systolic, diastolic }, unit: VITALS.blood_pressure.unit, flagged };
  }
  const q = o.valueQuantity;
  if (q?.value === undefined) return null;
  return { id: o.id, kind, at, value: q.value, unit: q.code ?? q.unit ?? '', flagged };
}

/** Observations out of a searchset or a notification Bundle (entries that are not Observations are skipped). */
export function samplesOf(bundle: { entry?: { resource?: { resourceType?: string } }[] }): Sample[] {
  return (bundle.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is ObservationJson => r?.resourceType === 'Observation')
    .map(toSample)
    .filter((s): s is Sample => !!s);
}
