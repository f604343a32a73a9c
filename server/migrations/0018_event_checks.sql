-- The scheduled checks of events (issue 21): how far each has looked, so that a callback, a
-- plan or a rectification that becomes due or overdue is told once, whenever the server runs.
CREATE TABLE event_checks (
    name           TEXT PRIMARY KEY,
    checked_until  TEXT NOT NULL
);
