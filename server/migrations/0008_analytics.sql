-- Admin analytics: what the reports filter and group evaluations by, copied onto the
-- evaluation so the aggregates need no join; the terms of each suggestion for the word cloud;
-- the stop words admins add to the built-in lists.
--
-- Same conventions as 0001 (UTC `YYYY-MM-DDTHH:MM:SSZ` text times written by the server,
-- INTEGER 0/1 booleans, INTEGER PRIMARY KEY ids, enumerations guarded by CHECK).

-- The record's channel and the customer's type when the evaluation was submitted; written by
-- the server right after the evaluation (`crate::analytics::catch_up`).
ALTER TABLE evaluations ADD COLUMN channel TEXT CHECK (channel IN ('online', 'offline'));
ALTER TABLE evaluations ADD COLUMN customer_type TEXT
    CHECK (customer_type IN ('new', 'returning', 'member'));
-- The day it was submitted in the organisation's time zone (YYYY-MM-DD): periods and trends
-- group by it without a date function per row.
ALTER TABLE evaluations ADD COLUMN submitted_day TEXT;
-- The record's category (complaint, …), for the complaint chart.
ALTER TABLE evaluations ADD COLUMN category TEXT
    CHECK (category IN ('consultation', 'complaint', 'suggestion', 'praise'));
-- 1 once the suggestion's terms are in `evaluation_terms`.
ALTER TABLE evaluations ADD COLUMN terms_indexed INTEGER NOT NULL DEFAULT 0
    CHECK (terms_indexed IN (0, 1));

-- (`channel`, `customer_type`, `submitted_day` and `category` are filled by the server's
-- catch-up at start, which knows the organisation's time zone.)

-- What the catch-up finds.
CREATE INDEX evaluations_undescribed ON evaluations (id) WHERE channel IS NULL;
CREATE INDEX evaluations_terms_pending ON evaluations (id)
    WHERE terms_indexed = 0 AND suggestion IS NOT NULL;

-- Every report reads a period of evaluations with these columns: covering, so the aggregates
-- read the index alone.
CREATE INDEX evaluations_report
    ON evaluations (submitted_day, status, agent_id, service_type, channel, customer_type,
                    category, overall, total_score);
-- One agent's reports.
CREATE INDEX evaluations_agent_report
    ON evaluations (agent_id, submitted_day, status, service_type, channel, customer_type,
                    category, overall, total_score);
-- Dimension means: each score carries copies of what reports filter by, so they read one
-- index range per dimension (and agent) without joining a million evaluations. Kept by
-- triggers: a new score copies its evaluation's, a change of the evaluation (the catch-up
-- filling the day, channel and type; moderation deleting or restoring) is copied onto its
-- scores.
ALTER TABLE evaluation_scores ADD COLUMN submitted_day TEXT;
ALTER TABLE evaluation_scores ADD COLUMN status TEXT;
ALTER TABLE evaluation_scores ADD COLUMN agent_id INTEGER;
ALTER TABLE evaluation_scores ADD COLUMN service_type TEXT;
ALTER TABLE evaluation_scores ADD COLUMN channel TEXT;
ALTER TABLE evaluation_scores ADD COLUMN customer_type TEXT;

UPDATE evaluation_scores
SET (status, agent_id, service_type) =
    (SELECT e.status, e.agent_id, e.service_type FROM evaluations e
     WHERE e.id = evaluation_scores.evaluation_id);

CREATE TRIGGER evaluation_scores_copy AFTER INSERT ON evaluation_scores
BEGIN
    UPDATE evaluation_scores
    SET (submitted_day, status, agent_id, service_type, channel, customer_type) =
        (SELECT e.submitted_day, e.status, e.agent_id, e.service_type, e.channel,
                e.customer_type
         FROM evaluations e WHERE e.id = NEW.evaluation_id)
    WHERE evaluation_id = NEW.evaluation_id AND dimension = NEW.dimension;
END;

CREATE TRIGGER evaluations_copy_to_scores
AFTER UPDATE OF submitted_day, status, agent_id, service_type, channel, customer_type
ON evaluations
BEGIN
    UPDATE evaluation_scores
    SET submitted_day = NEW.submitted_day, status = NEW.status, agent_id = NEW.agent_id,
        service_type = NEW.service_type, channel = NEW.channel,
        customer_type = NEW.customer_type
    WHERE evaluation_id = NEW.id;
END;

CREATE INDEX evaluation_scores_report
    ON evaluation_scores (dimension, submitted_day, status, agent_id, service_type, channel,
                          customer_type, score);
CREATE INDEX evaluation_scores_agent_report
    ON evaluation_scores (agent_id, dimension, submitted_day, status, service_type, channel,
                          customer_type, score);
-- The flag KPI and the drill-down's flags.
CREATE INDEX evaluation_flags_evaluation ON evaluation_flags (evaluation_id, rule);

-- The distinct terms of a suggestion (jieba-rs for Chinese, lower-cased words for English),
-- built-in stop words, punctuation, numbers and single characters left out.
CREATE TABLE evaluation_terms (
    evaluation_id  INTEGER NOT NULL REFERENCES evaluations (id),
    term           TEXT    NOT NULL,
    -- The evaluation's `submitted_day`: the evaluations of a word in a period are one range.
    submitted_day  TEXT    NOT NULL,
    PRIMARY KEY (evaluation_id, term)
);

CREATE INDEX evaluation_terms_term ON evaluation_terms (term, submitted_day, evaluation_id);

-- Words an admin leaves out of the word cloud, besides the built-in lists
-- (`server/data/stopwords-*.txt`). Lower case.
CREATE TABLE stop_words (
    word      TEXT    PRIMARY KEY,
    added_by  INTEGER NOT NULL REFERENCES users (id),
    added_at  TEXT    NOT NULL
);

-- The record KPIs (on-time response, first-contact resolution, handling time) read these
-- instead of parsing two times per row: seconds from the request to the first response and
-- to the resolution, kept by triggers whatever writes the record (import, ingestion, demo).
-- (PostgreSQL: generated STORED columns.)
ALTER TABLE service_records ADD COLUMN response_seconds INTEGER;
ALTER TABLE service_records ADD COLUMN handling_seconds INTEGER;
UPDATE service_records
SET response_seconds = unixepoch(first_response_at) - unixepoch(requested_at),
    handling_seconds = unixepoch(resolved_at) - unixepoch(requested_at);

CREATE TRIGGER service_records_durations_insert AFTER INSERT ON service_records
BEGIN
    UPDATE service_records
    SET response_seconds = unixepoch(NEW.first_response_at) - unixepoch(NEW.requested_at),
        handling_seconds = unixepoch(NEW.resolved_at) - unixepoch(NEW.requested_at)
    WHERE id = NEW.id;
END;

CREATE TRIGGER service_records_durations_update
AFTER UPDATE OF requested_at, first_response_at, resolved_at ON service_records
BEGIN
    UPDATE service_records
    SET response_seconds = unixepoch(NEW.first_response_at) - unixepoch(NEW.requested_at),
        handling_seconds = unixepoch(NEW.resolved_at) - unixepoch(NEW.requested_at)
    WHERE id = NEW.id;
END;

CREATE INDEX service_records_report
    ON service_records (started_at, agent_id, service_type, channel, urgency, response_seconds,
                        handling_seconds, resolved_first_contact, customer_id);
