-- Cancelled SOS countdowns (issue 15, accidental calls): the kiosk shows a short spoken countdown
-- after the SOS tap with one big "cancel"; every cancel is counted per station so accidental-press
-- rates can be watched. One row per cancelled countdown; the kiosk's idempotency key makes a
-- re-sent report count once.
CREATE TABLE sos_cancellations (
  station_id      uuid NOT NULL REFERENCES stations(id),
  idempotency_key text NOT NULL,
  remaining_ms    integer NOT NULL CHECK (remaining_ms >= 0),
  cancelled_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (station_id, idempotency_key)
);
