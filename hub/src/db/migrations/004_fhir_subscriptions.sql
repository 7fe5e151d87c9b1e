-- Topic-based Subscriptions (FHIR R5 Subscriptions Backport IG for R4, websocket channel).
CREATE TABLE fhir_subscriptions (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_staff_id     uuid NOT NULL REFERENCES staff(id),
  status             text NOT NULL CHECK (status IN ('active', 'off', 'error')),
  filter_patient     uuid,
  filter_encounter   uuid,
  content            text NOT NULL CHECK (content IN ('empty', 'id-only', 'full-resource')),
  heartbeat_s        integer NOT NULL,
  fhir_base          text NOT NULL,           -- the base URL the client used; references in notifications use it
  events_since_start bigint NOT NULL DEFAULT 0,
  version_id         integer NOT NULL DEFAULT 1,
  last_updated       timestamptz NOT NULL DEFAULT now(),
  resource           jsonb NOT NULL
);
CREATE INDEX fhir_subscriptions_patient ON fhir_subscriptions (filter_patient) WHERE status = 'active';
CREATE INDEX fhir_subscriptions_encounter ON fhir_subscriptions (filter_encounter) WHERE status = 'active';

-- Every event gets a number per subscription, so a client that lost its socket catches up with $events.
CREATE TABLE fhir_subscription_events (
  subscription_id uuid NOT NULL REFERENCES fhir_subscriptions(id) ON DELETE CASCADE,
  event_number    bigint NOT NULL,
  observation_id  uuid NOT NULL REFERENCES fhir_observations(id),
  at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscription_id, event_number)
);

-- Websocket binding tokens ($get-ws-binding-token), stored hashed; any hub instance can check them.
CREATE TABLE fhir_ws_tokens (
  token_hash      bytea PRIMARY KEY,
  subscription_id uuid NOT NULL REFERENCES fhir_subscriptions(id) ON DELETE CASCADE,
  staff_id        uuid NOT NULL REFERENCES staff(id),
  expires_at      timestamptz NOT NULL
);
