-- Paid bills reported back to their provider (electricity, water, …) through the bill adapter:
-- an outbox row per paid bill, retried with backoff, taken FOR UPDATE SKIP LOCKED, reported once.
CREATE TABLE payment_reports (
  payment_id    uuid PRIMARY KEY REFERENCES payment_requests(id),
  attempts      integer NOT NULL DEFAULT 0,
  next_at       timestamptz NOT NULL DEFAULT now(),
  last_error    text,
  reported_at   timestamptz,
  confirmation  text
);
CREATE INDEX payment_reports_due ON payment_reports (next_at) WHERE reported_at IS NULL;
