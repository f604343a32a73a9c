-- An English word's forms are one term (issue 24): the word cloud and the reports' frequent
-- problems count `evaluation_terms.term` as a key (domain analytics::term_key: "delays",
-- "delayed" -> "delay") and show each key as the form its suggestions use most. PostgreSQL's copy in postgres/.

-- How often each form of a key was written (counted as suggestions are segmented).
CREATE TABLE term_forms (
    term  TEXT    NOT NULL,
    form  TEXT    NOT NULL,
    uses  INTEGER NOT NULL,
    PRIMARY KEY (term, form)
);

-- A database with terms stored before keys: the server re-keys them once at its next start
-- (services::analytics::key_stored_terms) and removes this row.
CREATE TABLE term_keys_pending (
    pending INTEGER PRIMARY KEY CHECK (pending = 1)
);
INSERT INTO term_keys_pending (pending)
SELECT 1 WHERE EXISTS (SELECT 1 FROM evaluation_terms);
