-- The inspector sees the conversation (issue 24): a service record may carry links to its
-- transcript and its recording at the helpdesk and the transcript's text (one speaker turn
-- per line, e.g. `客户：…`), and an item's finding may quote one line of it.
-- PostgreSQL's copy in postgres/.

ALTER TABLE service_records ADD COLUMN transcript_url TEXT;
ALTER TABLE service_records ADD COLUMN recording_url TEXT;
-- The lines joined by a line feed; NULL when the helpdesk sent none.
ALTER TABLE service_records ADD COLUMN transcript TEXT;

-- A line of the record's transcript the finding rests on.
ALTER TABLE qa_answers ADD COLUMN quote TEXT;
