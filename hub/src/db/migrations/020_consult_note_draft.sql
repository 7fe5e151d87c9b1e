-- The clinician's visit note is saved (and re-saved) during the call; ending the consult is a
-- separate act that completes it from the last saved note.
ALTER TABLE consults ADD COLUMN visit_note jsonb, ADD COLUMN note_saved_at timestamptz;
