// The latest value of each vital sign for a patient, with its early-warning flag: what the
// consult queue shows next to each resident. Callers audit the read.
import type { Sql, Tx } from '../db/client.ts';
import { VITALS, type LatestVital } from '@tram/contracts';
import { profileByLoinc } from '../fhir/profiles.ts';
import { assess } from './flags.ts';
import { latestObservationPerCode, type LatestObservation } from './store.ts';

const [SYSTOLIC, DIASTOLIC] = VITALS.blood_pressure.components!.map((c) => c.loinc.code) as [string, string];

export async function latestVitals(sql: Sql | Tx, patientId: string): Promise<LatestVital[]> {
  return toLatestVitals(await latestObservationPerCode(sql, patientId));
}

/** One entry per vital kind the hub knows, flagged as a fresh reading would be. */
export function toLatestVitals(rows: LatestObservation[]): LatestVital[] {
  const out: LatestVital[] = [];
  for (const r of rows) {
    const p = profileByLoinc.get(r.code);
    if (!p) continue;
    const at = r.effective.toISOString();
    if (p.kind === 'blood_pressure') {
      const comp = (loinc: string) => r.resource.component?.find((c) => c.code.coding.some((x) => x.code === loinc))?.valueQuantity?.value;
      const systolic = comp(SYSTOLIC),
        diastolic = comp(DIASTOLIC);
      if (systolic === undefined || diastolic === undefined) continue;
      const flag = assess('blood_pressure', { systolic, diastolic }).flag?.code;
      out.push({
        kind: 'blood_pressure',
        values: { systolic, diastolic },
        unit: VITALS.blood_pressure.unit,
        at,
        ...(flag ? { flag } : {}),
      });
    } else if (r.resource.valueQuantity) {
      const q = r.resource.valueQuantity;
      const flag = p.kind === 'bmi' ? undefined : assess(p.kind, q.value).flag?.code;
      out.push({ kind: p.kind, value: q.value, unit: q.code ?? q.unit ?? '', at, ...(flag ? { flag } : {}) });
    }
  }
  return out;
}
