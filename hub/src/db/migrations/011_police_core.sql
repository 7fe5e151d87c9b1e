-- Two-level government (since July 2025 Vietnam has provinces/cities and communes/wards, no
-- districts): an unanswered call widens at T1 to a configurable group of neighbouring wards
-- instead of a district. Also: where a station stands (building, lobby), the resident identified at
-- the station when SOS was pressed, the officer's disposition, and one view of service levels.

-- Whose police are rung next for a ward's calls (directed: ward_id's calls ring neighbour_id's police).
CREATE TABLE ward_neighbours (
  ward_id      integer NOT NULL REFERENCES wards(id) ON DELETE CASCADE,
  neighbour_id integer NOT NULL REFERENCES wards(id) ON DELETE CASCADE,
  PRIMARY KEY (ward_id, neighbour_id),
  CHECK (ward_id <> neighbour_id)
);
-- Wards that shared a district were rung together at T1: keep exactly that, then drop districts.
INSERT INTO ward_neighbours (ward_id, neighbour_id)
SELECT a.id, b.id FROM wards a JOIN wards b ON a.district = b.district AND a.id <> b.id
ON CONFLICT DO NOTHING;
ALTER TABLE wards DROP COLUMN district;

ALTER TABLE stations ADD COLUMN building text, ADD COLUMN lobby text,
  -- when the station's agent last connected its realtime socket (null: not connected)
  ADD COLUMN online_since timestamptz;

-- The citizen session open at the station when SOS was pressed (the resident who may be calling).
ALTER TABLE calls ADD COLUMN citizen_session_id uuid REFERENCES citizen_sessions(id);

-- The answering officer's disposition: required after hang-up, editable for 24 h from the first save.
ALTER TABLE calls
  ADD COLUMN outcome text CHECK (outcome IN ('false_alarm', 'resolved_on_call', 'officers_dispatched', 'handed_to_115', 'handed_to_114', 'other')),
  ADD COLUMN report text,
  ADD COLUMN disposed_at timestamptz,
  ADD COLUMN disposition_updated_at timestamptz;
CREATE INDEX calls_created ON calls (created_at);
CREATE INDEX calls_station_created ON calls (station_id, created_at DESC);

-- Service levels, computed from the call timelines only (no second bookkeeping): one row per call
-- with when it was raised, answered and ended according to its events, and whether an abandoned
-- call was called back (a 'callback' event on the original call).
CREATE VIEW call_service_facts AS
SELECT c.id, c.ward_id, c.station_id, c.created_at, c.answered_by, c.outcome,
       ev.raised_at, ev.answered_at, ev.ended_at,
       extract(epoch FROM ev.answered_at - ev.raised_at) AS answer_s,
       extract(epoch FROM ev.ended_at - ev.answered_at) AS talk_s,
       (ev.ended_at IS NOT NULL AND ev.answered_at IS NULL) AS abandoned,
       ev.called_back
FROM calls c
-- one pass over the call's own events (call_events_call index)
CROSS JOIN LATERAL (
  SELECT min(e.at) FILTER (WHERE e.kind = 'raised') AS raised_at,
         min(e.at) FILTER (WHERE e.kind = 'answered') AS answered_at,
         min(e.at) FILTER (WHERE e.kind = 'ended') AS ended_at,
         coalesce(bool_or(e.kind = 'callback'), false) AS called_back
  FROM call_events e WHERE e.call_id = c.id) ev;
