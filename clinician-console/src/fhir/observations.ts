// FHIR vital-sign Observations -> the samples the panel and charts draw. The kind comes from the
// first LOINC code (the vital-signs profile's code); blood pressure from its two components.
import type { Kind } from '../vitals/format.ts';

export interface Sample { id: string; kind: Kind; at: number; value?: number; values?: { systolic: number; diastolic: number }; unit: string; flagged: boolean }

const BY_LOINC: Record<string, Kind> = {
  '85354-9': 'blood_pressure', '2708-6': 'spo2', '59408-5': 'spo2', '8867-4': 'heart_rate', '8310-5': 'temperature',
  '29463-7': 'weight', '8302-2': 'height', '9279-1': 'respiratory_rate', '39156-5': 'bmi',
};

interface Quantity { value?: number; code?: string; unit?: string }
interface Coding { system?: string; code?: string }
export interface ObservationJson {
  resourceType: 'Observation'; id: string; effectiveDateTime?: string; issued?: string;
  code: { coding?: Coding[] }; valueQuantity?: Quantity;
  component?: { code: { coding?: Coding[] }; valueQuantity?: Quantity }[];
  interpretation?: { coding?: Coding[] }[];
}

export function toSample(o: ObservationJson): Sample | null {
  const loinc = o.code.coding?.find((c) => c.system === 'http://loinc.org' && c.code && BY_LOINC[c.code]);
  const kind = loinc ? BY_LOINC[loinc.code!] : undefined;
  const at = Date.parse(o.effectiveDateTime ?? o.issued ?? '');
  if (!kind || Number.isNaN(at)) return null;
  const flagged = (o.interpretation ?? []).some((i) => i.coding?.some((c) => c.code && c.code !== 'N'));
  if (kind === 'blood_pressure') {
    const comp = (code: string) => o.component?.find((c) => c.code.coding?.some((x) => x.code === code))?.valueQuantity?.value;
    const systolic = comp('8480-6'), diastolic = comp('8462-4');
    if (systolic === undefined || diastolic === undefined) return null;
    return { id: o.id, kind, at, values: { systolic, diastolic }, unit: 'mm[Hg]', flagged };
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
