-- Operating a fleet of stations: where a station stands and what it should have, one-time
-- enrolment codes (stored as digests) instead of copied credentials, retiring a station, the
-- latest health each station reported with a timeline of CHANGES only, and staff accounts that
-- must change a one-time password at their next login.
-- (building and lobby/floor are 011's columns: the caller card shows them too)
ALTER TABLE stations ADD COLUMN devices_expected jsonb NOT NULL DEFAULT '[]',
                     ADD COLUMN enrolled_at timestamptz,
                     ADD COLUMN retired_at timestamptz;
-- Stations registered before enrolment existed had their credential copied by hand.
UPDATE stations SET enrolled_at = credential_rotated_at;

CREATE TABLE station_enrolments (
  code_hash  bytea PRIMARY KEY,
  station_id uuid NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX station_enrolments_station ON station_enrolments (station_id);

-- One row per station: the last heartbeat's content (and its digest, to skip unchanged ones),
-- when it was last seen (touched in batches), and the alerts now raised.
CREATE TABLE station_health (
  station_id    uuid PRIMARY KEY REFERENCES stations(id) ON DELETE CASCADE,
  last_seen_at  timestamptz NOT NULL,
  state         jsonb NOT NULL,
  state_hash    bytea NOT NULL,
  offline_since timestamptz,
  alerts        text[] NOT NULL DEFAULT '{}'
) WITH (fillfactor = 70);
-- No index on last_seen_at on purpose: touching it (every station, every tick) stays a HOT update
-- (no index churn), and the offline sweep reads one small row per station.

-- The station's timeline: what changed (a device unplugged, the reader back, an alert raised or cleared).
CREATE TABLE station_events (
  id         bigserial PRIMARY KEY,
  station_id uuid NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
  at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind       text NOT NULL,
  detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX station_events_station ON station_events (station_id, id);

ALTER TABLE staff ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

CREATE INDEX audit_log_at ON audit_log (at);
