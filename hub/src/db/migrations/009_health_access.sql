-- Who may read whose health data beyond their own consults, and what police get of a doctor's
-- escalation.

-- A clinician's time-limited access to one patient outside a consult ("break-glass"): the typed
-- reason is kept here and in the audit trail, where it is flagged for review.
CREATE TABLE fhir_break_glass (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  staff_id   uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  patient_id uuid NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
  reason     text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX fhir_break_glass_staff ON fhir_break_glass (staff_id, expires_at);

-- The vitals a doctor hands over with an emergency call: readable only by the officer who answers
-- (the call's note, seen by every officer it rings, says only that it is a medical emergency).
CREATE TABLE call_medical_handovers (
  call_id      uuid PRIMARY KEY REFERENCES calls(id),
  consult_id   uuid NOT NULL REFERENCES consults(id),
  citizen_id   uuid NOT NULL REFERENCES citizens(id),
  clinician_id uuid REFERENCES staff(id),
  vitals       jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Calls escalated before this migration carried the vitals in their note: move them.
INSERT INTO call_medical_handovers (call_id, consult_id, citizen_id, clinician_id, vitals, created_at)
SELECT ca.id, co.id, co.citizen_id, co.clinician_id, jsonb_build_object('text', ca.note), ca.created_at
FROM calls ca JOIN consults co ON ca.idempotency_key = 'consult-' || co.id::text
ON CONFLICT DO NOTHING;
UPDATE calls SET note = 'Cấp cứu y tế do bác sĩ chuyển' WHERE idempotency_key LIKE 'consult-%';

-- Erasure on request (Decree 13/2023): the citizen row stays as a pseudonymous id, so the audit
-- trail and the call and consult records that point at it keep their integrity; what identifies
-- the person is cleared and the erasure itself recorded.
ALTER TABLE citizens ALTER COLUMN id_number DROP NOT NULL, ALTER COLUMN full_name DROP NOT NULL,
  ADD COLUMN erased_at timestamptz;
CREATE INDEX citizen_sessions_citizen ON citizen_sessions (citizen_id, opened_at DESC);
CREATE INDEX fhir_observations_effective ON fhir_observations (effective);
