-- Wards, stations, staff, sessions, audit log, emergency calls and their timeline.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE wards (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  district    text NOT NULL,
  city        text NOT NULL
);

CREATE TABLE stations (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code                  text NOT NULL UNIQUE,
  name                  text NOT NULL,
  address               text NOT NULL,
  ward_id               integer NOT NULL REFERENCES wards(id),
  credential_hash       bytea NOT NULL,
  credential_rotated_at timestamptz NOT NULL DEFAULT now(),
  active                boolean NOT NULL DEFAULT true,
  created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username      text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  role          text NOT NULL CHECK (role IN ('police', 'command', 'clinician', 'admin')),
  password_hash text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_wards (
  staff_id uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  ward_id  integer NOT NULL REFERENCES wards(id),
  PRIMARY KEY (staff_id, ward_id)
);

CREATE TABLE staff_sessions (
  token_hash bytea PRIMARY KEY,
  staff_id   uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);

CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL,
  action  text NOT NULL,
  subject text NOT NULL,
  detail  jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE calls (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id         uuid NOT NULL REFERENCES stations(id),
  ward_id            integer NOT NULL REFERENCES wards(id),
  idempotency_key    text NOT NULL,
  note               text,
  status             text NOT NULL CHECK (status IN ('ringing', 'answered', 'ended')),
  escalation_level   smallint NOT NULL DEFAULT 0,
  escalate_t1_at     timestamptz NOT NULL,
  escalate_t2_at     timestamptz NOT NULL,
  next_escalation_at timestamptz,
  room_name          text NOT NULL UNIQUE,
  answered_by        uuid REFERENCES staff(id),
  answered_at        timestamptz,
  ended_at           timestamptz,
  end_reason         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (station_id, idempotency_key)
);
CREATE INDEX calls_due ON calls (next_escalation_at) WHERE status = 'ringing';
CREATE INDEX calls_active ON calls (ward_id) WHERE status <> 'ended';

CREATE TABLE call_events (
  id      bigserial PRIMARY KEY,
  call_id uuid NOT NULL REFERENCES calls(id),
  at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind    text NOT NULL,
  actor   text NOT NULL,
  detail  jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX call_events_call ON call_events (call_id, id);

-- LiveKit retries webhooks: each delivery id is applied once.
CREATE TABLE webhook_deliveries (
  id          text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);
