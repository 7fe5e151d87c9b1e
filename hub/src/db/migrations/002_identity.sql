-- Citizens identified by a verified chip ID card, and their sessions at a station.
CREATE TABLE citizens (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  id_number     text NOT NULL UNIQUE CHECK (id_number ~ '^[0-9]{12}$'),
  full_name     text NOT NULL,
  date_of_birth text,            -- as printed (dd/mm/yyyy); some cards carry partial dates
  sex           text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE citizen_sessions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id   uuid NOT NULL REFERENCES stations(id),
  citizen_id   uuid NOT NULL REFERENCES citizens(id),
  opened_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ended_at     timestamptz,
  end_reason   text,
  checks       jsonb NOT NULL
);
CREATE UNIQUE INDEX citizen_sessions_one_open ON citizen_sessions (station_id) WHERE ended_at IS NULL;

-- Nonces for Active Authentication: the hub picks the challenge, so a replayed signature is useless.
CREATE TABLE identity_challenges (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id uuid NOT NULL REFERENCES stations(id),
  nonce      bytea NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
