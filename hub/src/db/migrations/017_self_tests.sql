-- Station self-tests: one row per run (asked by an admin or the nightly schedule), its steps
-- pass/fail with a plain reason, and what the kiosk page reported. The test SOS is recorded here
-- and never in `calls`: it cannot ring an officer or count in service levels, history, metrics or alerts.
CREATE TABLE station_self_tests (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id   uuid NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
  trigger      text NOT NULL CHECK (trigger IN ('admin', 'nightly')),
  requested_by text,
  status       text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'running', 'passed', 'failed')),
  room_name    text,
  steps        jsonb NOT NULL DEFAULT '[]',
  kiosk        jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sos_at       timestamptz,
  finished_at  timestamptz,
  deadline_at  timestamptz NOT NULL
);
CREATE INDEX station_self_tests_station ON station_self_tests (station_id, created_at DESC);
-- One open run per station; open runs past their deadline are failed by whichever hub takes them (SKIP LOCKED).
CREATE UNIQUE INDEX station_self_tests_one_open ON station_self_tests (station_id) WHERE status IN ('requested', 'running');
CREATE INDEX station_self_tests_deadline ON station_self_tests (deadline_at) WHERE status IN ('requested', 'running');

-- Recurring jobs of the fleet (the nightly self-test): the next due time survives restarts, and
-- the one hub that takes a due row (FOR UPDATE SKIP LOCKED) runs it and moves it on.
CREATE TABLE fleet_schedules (
  name        text PRIMARY KEY,
  at_time     text NOT NULL,
  tz          text NOT NULL,
  next_run_at timestamptz NOT NULL
);
