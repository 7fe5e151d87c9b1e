-- A /fhir/ws binding token rides on the staff session that asked for it: ending the session
-- (logout, password reset, deactivation, idle expiry) ends the token, and every hub instance
-- closes the sockets bound with it. Tokens live an hour; the ones issued before this column
-- existed cannot be tied to a session and are dropped.
DELETE FROM fhir_ws_tokens;
ALTER TABLE fhir_ws_tokens ADD COLUMN session_hash bytea NOT NULL REFERENCES staff_sessions(token_hash) ON DELETE CASCADE;
CREATE INDEX fhir_ws_tokens_session ON fhir_ws_tokens (session_hash);
