-- Holding against abuse: one open emergency call per station, idempotency keys bound to their
-- request, staff sessions that idle out and die with a password reset or deactivation, and
-- login throttling that any hub instance sees.

-- A retried Idempotency-Key must carry the same request; the digest of its body is kept to tell.
ALTER TABLE calls ADD COLUMN request_hash bytea;

-- One open call per station (further presses join it). Older duplicates, if any, are closed
-- first so the index can be built on an existing database.
UPDATE calls c SET status = 'ended', ended_at = now(), end_reason = 'merged', next_escalation_at = NULL
WHERE c.status <> 'ended'
  AND EXISTS (SELECT 1 FROM calls o WHERE o.station_id = c.station_id AND o.status <> 'ended'
              AND (o.created_at, o.id) < (c.created_at, c.id));
CREATE UNIQUE INDEX calls_one_open_per_station ON calls (station_id) WHERE status <> 'ended';

-- Idle timeout: a session unused for a while ends even before it expires.
ALTER TABLE staff_sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now(),
                           ADD COLUMN idle_s integer NOT NULL DEFAULT 1800;

-- Failed logins per key ('user:<name>', 'ip:<address>'), shared by every hub instance.
CREATE TABLE login_throttle (
  key          text PRIMARY KEY,
  failures     integer NOT NULL DEFAULT 0,
  first_at     timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz
);

-- A password reset, deactivation or role change ends the account's sessions whatever path made
-- it (hub, admin CLI or plain SQL), and tells every hub instance to close its sockets. A rehash
-- on login (same password, stronger parameters) sets tram.rehash and keeps them.
CREATE FUNCTION staff_revoke_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.password_hash IS DISTINCT FROM OLD.password_hash AND coalesce(current_setting('tram.rehash', true), '') <> 'on')
     OR (OLD.active AND NOT NEW.active) OR NEW.role IS DISTINCT FROM OLD.role THEN
    DELETE FROM staff_sessions WHERE staff_id = NEW.id;
    PERFORM pg_notify('tram_events',
      json_build_object('type', 'staff.revoked', 'data', json_build_object('staffId', NEW.id), 'topics', '[]'::json)::text);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER staff_revoke_sessions AFTER UPDATE ON staff FOR EACH ROW EXECUTE FUNCTION staff_revoke_sessions();
