-- The police console's follow-up of a call (issue 12): callbacks of missed calls (an outbound
-- call linked to the missed one, ringing the station until a deadline), missed calls closed by a
-- callback or a dismissal, responders added to a call, and the silent SOS chat.
ALTER TABLE calls ADD COLUMN direction text NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound'));
ALTER TABLE calls ADD COLUMN callback_of uuid REFERENCES calls(id);
-- an outbound call rings the station until the resident picks up, declines or this passes
ALTER TABLE calls ADD COLUMN ring_deadline_at timestamptz;
ALTER TABLE calls ADD COLUMN station_answered_at timestamptz;
ALTER TABLE calls ADD COLUMN silent boolean NOT NULL DEFAULT false;
ALTER TABLE calls ADD CONSTRAINT calls_callback_outbound CHECK ((callback_of IS NULL) = (direction = 'inbound'));
-- one callback rings for a missed call at a time: a second press finds it
CREATE UNIQUE INDEX calls_one_open_callback ON calls (callback_of) WHERE status <> 'ended' AND callback_of IS NOT NULL;
CREATE INDEX calls_ring_due ON calls (ring_deadline_at) WHERE ring_deadline_at IS NOT NULL;
CREATE INDEX calls_missed ON calls (ended_at) WHERE direction = 'inbound' AND answered_at IS NULL;

-- A missed call leaves the console's list once it is called back (the resident picked up) or dismissed.
CREATE TABLE call_missed_closed (
  call_id   uuid PRIMARY KEY REFERENCES calls(id),
  how       text NOT NULL CHECK (how IN ('called_back', 'dismissed')),
  by_staff  uuid REFERENCES staff(id),
  reason    text,
  note      text,
  at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE call_responders (
  call_id    uuid NOT NULL REFERENCES calls(id),
  staff_id   uuid NOT NULL REFERENCES staff(id),
  invited_by uuid REFERENCES staff(id),
  note       text,
  status     text NOT NULL CHECK (status IN ('invited', 'joined', 'left')),
  invited_at timestamptz NOT NULL DEFAULT now(),
  joined_at  timestamptz,
  left_at    timestamptz,
  PRIMARY KEY (call_id, staff_id)
);
CREATE INDEX call_responders_staff ON call_responders (staff_id) WHERE status <> 'left';

CREATE TABLE call_messages (
  id              bigserial PRIMARY KEY,
  call_id         uuid NOT NULL REFERENCES calls(id),
  idempotency_key text NOT NULL,
  sender          text NOT NULL,
  sender_kind     text NOT NULL CHECK (sender_kind IN ('resident', 'staff')),
  sender_name     text NOT NULL,
  text            text NOT NULL,
  quick           text,
  at              timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (call_id, sender, idempotency_key)
);
