// The latest value of each vital sign for a patient, with its early-warning flag: what the
// consult queue shows next to each resident. Callers audit the read.
import type { Sql, Tx } from '../db/client.ts';
import type { LatestVital } from '@tram/contracts';
import { profileByLoinc } from '../fhir/profiles.ts';
import { assess } from './flags.ts';
import type { ReadingKind } from './schema.ts';

interface Quantity { value: number; unit?: string; code?: string }
interface ObservationJson { valueQuantity?: Quantity; component?: { code: { coding: { code: string }[] }; valueQuantity?: Quantity }[] }

export async function latestVitals(sql: Sql | Tx, patientId: string): Promise<LatestVital[]> {
  const rows = await sql<{ code: string; effective: Date; resource: ObservationJson }[]>`
    SELECT DISTINCT ON (code) code, effective, resource FROM fhir_observations
    WHERE patient_id = ${patientId} ORDER BY code, effective DESC`;
  const out: LatestVital[] = [];
  for (const r of rows) {
    const p = profileByLoinc.get(r.code);
    if (!p) continue;
    const at = r.effective.toISOString();
    if (p.kind === 'blood_pressure') {
      const comp = (loinc: string) => r.resource.component?.find((c) => c.code.coding.some((x) => x.code === loinc))?.valueQuantity?.value;
      const systolic = comp('8480-6'), diastolic = comp('8462-4');
      if (systolic === undefined || diastolic === undefined) continue;
      const flag = assess('blood_pressure', { systolic, diastolic }).flag?.code;
      out.push({ kind: 'blood_pressure', values: { systolic, diastolic }, unit: 'mm[Hg]', at, ...(flag ? { flag } : {}) });
    } else if (r.resource.valueQuantity) {
      const q = r.resource.valueQuantity;
      const flag = p.kind === 'bmi' ? undefined : assess(p.kind as ReadingKind, q.value).flag?.code;
      out.push({ kind: p.kind, value: q.value, unit: q.code ?? q.unit ?? '', at, ...(flag ? { flag } : {}) });
    }
  }
  return out;
}
