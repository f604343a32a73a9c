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
-- 1 once the suggestion's terms are in `evaluation_terms`.
ALTER TABLE evaluations ADD COLUMN terms_indexed INTEGER NOT NULL DEFAULT 0
    CHECK (terms_indexed IN (0, 1));

UPDATE evaluations
SET channel = (SELECT r.channel FROM service_records r WHERE r.id = evaluations.service_record_id),
    customer_type = (SELECT u.customer_type FROM users u WHERE u.id = evaluations.customer_id);

-- What the catch-up finds.
CREATE INDEX evaluations_undescribed ON evaluations (id) WHERE channel IS NULL;
CREATE INDEX evaluations_terms_pending ON evaluations (id)
    WHERE terms_indexed = 0 AND suggestion IS NOT NULL;

-- Every report reads a period of evaluations with these columns: covering, so the aggregates
-- read the index alone.
CREATE INDEX evaluations_report
    ON evaluations (submitted_at, status, agent_id, service_type, channel, customer_type,
                    overall, total_score);
-- One agent's reports.
CREATE INDEX evaluations_agent_report
    ON evaluations (agent_id, submitted_at, status, service_type, channel, customer_type,
                    overall, total_score);
-- Dimension means read the score with the key.
CREATE INDEX evaluation_scores_report ON evaluation_scores (evaluation_id, dimension, score);
-- The flag KPI and the drill-down's flags.
CREATE INDEX evaluation_flags_evaluation ON evaluation_flags (evaluation_id, rule);

-- The distinct terms of a suggestion (jieba-rs for Chinese, lower-cased words for English),
-- built-in stop words, punctuation, numbers and single characters left out.
CREATE TABLE evaluation_terms (
    evaluation_id  INTEGER NOT NULL REFERENCES evaluations (id),
    term           TEXT    NOT NULL,
    PRIMARY KEY (evaluation_id, term)
);

CREATE INDEX evaluation_terms_term ON evaluation_terms (term, evaluation_id);

-- Words an admin leaves out of the word cloud, besides the built-in lists
-- (`server/data/stopwords-*.txt`). Lower case.
CREATE TABLE stop_words (
    word      TEXT    PRIMARY KEY,
    added_by  INTEGER NOT NULL REFERENCES users (id),
    added_at  TEXT    NOT NULL
);

-- The record KPIs (on-time response, first-contact resolution, handling time) over a period:
-- covering, like `evaluations_report`.
CREATE INDEX service_records_report
    ON service_records (started_at, agent_id, service_type, channel, urgency, requested_at,
                        first_response_at, resolved_at, resolved_first_contact, customer_id);
