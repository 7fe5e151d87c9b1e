-- Every batch with a weight or a height asks for the session's latest of each (the BMI). On
-- (encounter_id, effective DESC) that read every Observation of the session and sorted them, a
-- cost growing with the session; with the code in the key it is one index probe per code. The
-- index count on fhir_observations stays the same, and a session's Observations are still one
-- range of it (searches by encounter sort the few rows of one session).
DROP INDEX IF EXISTS fhir_observations_encounter;
CREATE INDEX fhir_observations_encounter_code ON fhir_observations (encounter_id, code, effective DESC);
