-- Forwarding stored Observations to an upstream FHIR server (FHIR_UPSTREAM_URL), and receiving
-- them when this hub is that upstream (an integration client PUTs them).
CREATE TABLE fhir_outbox (
  observation_id  uuid PRIMARY KEY REFERENCES fhir_observations(id),
  enqueued_at     timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text
);
CREATE INDEX fhir_outbox_due ON fhir_outbox (next_attempt_at);

CREATE TABLE fhir_received (
  resource_type text NOT NULL,
  id            text NOT NULL,
  version_id    integer NOT NULL DEFAULT 1,
  last_updated  timestamptz NOT NULL DEFAULT now(),
  resource      jsonb NOT NULL,
  PRIMARY KEY (resource_type, id)
);
