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

/**
 * The latest quantity of each of these codes in a session (encounter): what a BMI is derived from.
 * One probe per code of (encounter_id, code, effective DESC); a DISTINCT ON over the session read
 * every Observation of it, so each batch cost more as the session grew (4.8 ms per batch, a third
 * of ingest's database time, in the vitals bench).
 */
export async function latestQuantities(
  tx: Sql | Tx,
  encounterId: string,
  codes: string[],
): Promise<{ id: string; code: string; effective: Date; value: number; unit: string }[]> {
  return tx<{ id: string; code: string; effective: Date; value: number; unit: string }[]>`
    SELECT o.id, o.code, o.effective, (o.resource->'valueQuantity'->>'value')::float8 AS value, o.resource->'valueQuantity'->>'code' AS unit
    FROM unnest(${codes}::text[]) AS c(code)
    CROSS JOIN LATERAL (
      SELECT id, code, effective, resource FROM fhir_observations
      WHERE encounter_id = ${encounterId} AND code = c.code
      ORDER BY effective DESC LIMIT 1) o`;
}
