// The vitals domain's reads of stored Observations (the FHIR store writes them).
import type { Sql, Tx } from '../db/client.ts';

export interface Quantity {
  value: number;
  unit?: string;
  code?: string;
}
export interface ObservationJson {
  valueQuantity?: Quantity;
  component?: { code: { coding: { code: string }[] }; valueQuantity?: Quantity }[];
}
export interface LatestObservation {
  code: string;
  effective: Date;
  resource: ObservationJson;
}

/** The patient's most recent Observation of each code. */
export async function latestObservationPerCode(sql: Sql | Tx, patientId: string): Promise<LatestObservation[]> {
  return sql<LatestObservation[]>`
    SELECT DISTINCT ON (code) code, effective, resource FROM fhir_observations
    WHERE patient_id = ${patientId} ORDER BY code, effective DESC`;
}

/** The latest quantity of each of these codes in a session (encounter): what a BMI is derived from. */
export async function latestQuantities(
  tx: Sql | Tx,
  encounterId: string,
  codes: string[],
): Promise<{ id: string; code: string; effective: Date; value: number; unit: string }[]> {
  return tx<{ id: string; code: string; effective: Date; value: number; unit: string }[]>`
    SELECT DISTINCT ON (code) id, code, effective, (resource->'valueQuantity'->>'value')::float8 AS value, resource->'valueQuantity'->>'code' AS unit
    FROM fhir_observations WHERE encounter_id = ${encounterId} AND code = ANY(${codes}::text[])
    ORDER BY code, effective DESC`;
}
