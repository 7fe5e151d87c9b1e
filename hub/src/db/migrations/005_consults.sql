-- Doctor consults: the virtual waiting room, who accepted, the visit note, and a timeline.
CREATE TABLE clinician_presence (
  staff_id   uuid PRIMARY KEY REFERENCES staff(id) ON DELETE CASCADE,
  available  boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consults (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id      uuid NOT NULL REFERENCES stations(id),
  session_id      uuid NOT NULL REFERENCES citizen_sessions(id),
  citizen_id      uuid NOT NULL REFERENCES citizens(id),
  idempotency_key text NOT NULL,
  reason          text NOT NULL,
  note            text,
  urgency         smallint NOT NULL DEFAULT 0,   -- 2 urgent, 1 flagged, 0 routine
  status          text NOT NULL CHECK (status IN ('waiting', 'in_call', 'completed', 'cancelled', 'abandoned')),
  room_name       text NOT NULL UNIQUE,
  clinician_id    uuid REFERENCES staff(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  accepted_at     timestamptz,
  ended_at        timestamptz,
  end_reason      text,
  summary         jsonb,                          -- what the resident is shown at the end
  UNIQUE (station_id, idempotency_key)
);
CREATE INDEX consults_queue ON consults (urgency DESC, created_at) WHERE status = 'waiting';
CREATE UNIQUE INDEX consults_one_live_per_station ON consults (station_id) WHERE status IN ('waiting', 'in_call');

CREATE TABLE consult_events (
  id         bigserial PRIMARY KEY,
  consult_id uuid NOT NULL REFERENCES consults(id),
  at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind       text NOT NULL,
  actor      text NOT NULL,
  detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX consult_events_consult ON consult_events (consult_id, id);
