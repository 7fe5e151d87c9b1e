-- The media watch (hub/src/calls/media-watch.ts, issue 16): when the LiveKit node holding an
-- answered call's room dies, no webhook comes. The first hub to confirm it sets media_lost_at
-- (a conditional UPDATE, so several hubs flag a call once); the party's rejoin that brings the
-- room back clears it, so it can fire again if that node dies too.
ALTER TABLE calls ADD COLUMN media_lost_at timestamptz;
-- the rooms each hub looks at every few seconds: answered calls not flagged
CREATE INDEX calls_media_watch ON calls (answered_at) WHERE status = 'answered' AND media_lost_at IS NULL;
