-- Public services (submissions to an authority, reviewed here or forwarded through an outbox) and
-- payments (VietQR payment requests, bank-transfer notifications, the apartment-fee ledger).
CREATE TABLE service_submissions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  receipt         text NOT NULL UNIQUE,
  station_id      uuid NOT NULL REFERENCES stations(id),
  ward_id         integer NOT NULL REFERENCES wards(id),
  citizen_id      uuid NOT NULL REFERENCES citizens(id),
  idempotency_key text NOT NULL,
  service         text NOT NULL,
  authority       text NOT NULL,
  delivery        text NOT NULL CHECK (delivery IN ('reviewed_here', 'forwarded')),
  status          text NOT NULL CHECK (status IN ('submitted', 'returned', 'approved', 'done', 'forwarded')),
  fields          jsonb NOT NULL,
  return_reason   text,
  reference       text,
  submitted_at    timestamptz NOT NULL DEFAULT now(),
  promised_by     timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (station_id, idempotency_key)
);
CREATE INDEX service_submissions_queue ON service_submissions (authority, ward_id, status);
CREATE INDEX service_submissions_citizen ON service_submissions (citizen_id, submitted_at DESC);

CREATE TABLE service_events (
  id            bigserial PRIMARY KEY,
  submission_id uuid NOT NULL REFERENCES service_submissions(id),
  at            timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind          text NOT NULL,
  actor         text NOT NULL,
  note          text
);
CREATE INDEX service_events_submission ON service_events (submission_id, id);

-- Photos: AES-256-GCM (nonce 12 bytes ‖ tag 16 bytes ‖ ciphertext); never stored in plaintext.
CREATE TABLE service_attachments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  submission_id uuid NOT NULL REFERENCES service_submissions(id),
  document      text NOT NULL,
  content_type  text NOT NULL,
  bytes         integer NOT NULL,
  sealed        bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_attachments_submission ON service_attachments (submission_id);

-- Forwarded submissions waiting for their adapter (retried with backoff, delivered once).
CREATE TABLE service_outbox (
  submission_id uuid PRIMARY KEY REFERENCES service_submissions(id),
  attempts      integer NOT NULL DEFAULT 0,
  next_at       timestamptz NOT NULL DEFAULT now(),
  last_error    text,
  delivered_at  timestamptz
);
CREATE INDEX service_outbox_due ON service_outbox (next_at) WHERE delivered_at IS NULL;

-- The apartment-fee ledger a building manager keeps.
CREATE TABLE apartment_fees (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  building           text NOT NULL,
  apartment          text NOT NULL,
  period             text NOT NULL,
  amount_vnd         integer NOT NULL CHECK (amount_vnd > 0),
  resident_id_number text NOT NULL,
  entered_by         uuid NOT NULL REFERENCES staff(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (building, apartment, period)
);
CREATE INDEX apartment_fees_resident ON apartment_fees (resident_id_number);

-- What the kiosk shows as a VietQR code; paid when a matching notification arrives.
CREATE TABLE payment_requests (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference       text NOT NULL UNIQUE,
  station_id      uuid NOT NULL REFERENCES stations(id),
  citizen_id      uuid NOT NULL REFERENCES citizens(id),
  idempotency_key text NOT NULL,
  payable         text NOT NULL,
  fee_id          uuid REFERENCES apartment_fees(id),
  amount_vnd      integer NOT NULL CHECK (amount_vnd > 0),
  status          text NOT NULL CHECK (status IN ('pending', 'paid')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  paid_at         timestamptz,
  transaction_ref text,
  UNIQUE (station_id, idempotency_key)
);
CREATE UNIQUE INDEX payment_requests_fee_paid ON payment_requests (fee_id) WHERE status = 'paid';

-- Every bank-transfer notification, once (by the provider's transaction reference).
CREATE TABLE bank_transfers (
  transaction_ref text PRIMARY KEY,
  provider        text NOT NULL,
  amount_vnd      integer NOT NULL,
  description     text NOT NULL,
  payment_id      uuid REFERENCES payment_requests(id),
  outcome         text NOT NULL CHECK (outcome IN ('applied', 'unmatched', 'wrong_amount', 'already_paid')),
  received_at     timestamptz NOT NULL DEFAULT now(),
  payload         jsonb NOT NULL
);
CREATE INDEX bank_transfers_reconcile ON bank_transfers (received_at) WHERE outcome <> 'applied';
