-- Hot paths (issue 16). Every btree on fhir_observations is one more index insertion per reading;
-- the retention purge only needs "effective older than N days", which a BRIN index answers for a
-- fraction of the maintenance cost (readings arrive in roughly time order, so block ranges stay
-- tight). Searches by date go through the per-patient and per-encounter indexes.
DROP INDEX IF EXISTS fhir_observations_effective;
CREATE INDEX fhir_observations_effective_brin ON fhir_observations USING brin (effective);
