-- FHIR resources the hub holds. Each row is the current version: the JSON (without `meta`, which is
-- rendered from version_id/last_updated), plus the columns searches and indexes need.

-- Device, Encounter and other low-volume resources (consults write ClinicalImpression): written by
-- upsert; version_id grows only when the content changes.
CREATE TABLE fhir_resources (
  resource_type text NOT NULL CHECK (resource_type ~ '^[A-Z][A-Za-z]{1,63}$'),
  id            uuid NOT NULL,
  patient_id    uuid,              -- the subject Patient, where there is one
  station_id    uuid NOT NULL REFERENCES stations(id),
  version_id    integer NOT NULL DEFAULT 1,
  last_updated  timestamptz NOT NULL DEFAULT now(),
  resource      jsonb NOT NULL,
  PRIMARY KEY (resource_type, id)
);
CREATE INDEX fhir_resources_patient ON fhir_resources (patient_id) WHERE patient_id IS NOT NULL;

-- Observations: immutable once stored (a re-sent reading is a duplicate, never an update).
-- The id is derived from (station, reading id), so the primary key alone makes ingest idempotent.
CREATE TABLE fhir_observations (
  id            uuid PRIMARY KEY,
  station_id    uuid NOT NULL REFERENCES stations(id),
  reading_id    text NOT NULL,     -- Observation.identifier.value (the agent's reading id)
  patient_id    uuid NOT NULL,
  encounter_id  uuid NOT NULL,
  code          text NOT NULL,     -- primary LOINC code, e.g. 8310-5 ($lastn groups by it)
  codes         text[] NOT NULL,   -- every code.coding as system|code (token search)
  categories    text[] NOT NULL,   -- every category coding as system|code
  effective     timestamptz NOT NULL,
  version_id    integer NOT NULL DEFAULT 1,
  last_updated  timestamptz NOT NULL DEFAULT now(),
  resource      jsonb NOT NULL
);
-- Every index costs ingest throughput; searches are almost always per patient or per encounter,
-- so code/category/date filters run over those rows (no GIN on codes, no global date index).
CREATE INDEX fhir_observations_patient_date ON fhir_observations (patient_id, effective DESC, id);
CREATE INDEX fhir_observations_patient_code ON fhir_observations (patient_id, code, effective DESC);
CREATE INDEX fhir_observations_encounter ON fhir_observations (encounter_id, effective DESC);
