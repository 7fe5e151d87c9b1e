-- Roles of the next wave: a 115 medical responder on emergency calls, a commune officer who reviews
-- public-service submissions, a building manager who keeps apartment fees. The list is the one in
-- @tram/contracts (STAFF_ROLES).
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check
  CHECK (role IN ('police', 'command', 'clinician', 'admin', 'medic', 'commune_officer', 'building_manager'));
