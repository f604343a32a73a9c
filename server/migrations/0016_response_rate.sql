-- The response rate (issue 19): invitations are counted by when they were sent (the period's
-- range of `sent_at`), so the dashboard's and the reports' queries read one index range.
CREATE INDEX invitations_sent ON invitations (sent_at);
