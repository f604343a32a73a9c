-- Configuration and what the helpdesk and the rating need: settings, the working-day
-- calendar, API keys for ingestion, and the evaluations table with its dimension snapshot.
--
-- Same conventions as 0001 (UTC `YYYY-MM-DDTHH:MM:SSZ` text times written by the server,
-- INTEGER 0/1 booleans, INTEGER PRIMARY KEY ids, enumerations guarded by CHECK).

-- The organisation's settings, one row per key of `pingjia_domain::settings::Settings`; the
-- value is JSON. A key without a row takes its default.
CREATE TABLE settings (
    key         TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL CHECK (json_valid(value)),
    updated_at  TEXT    NOT NULL,
    updated_by  INTEGER REFERENCES users (id)
);

-- Days that differ from the Monday-to-Friday week: public holidays, and weekend days worked
-- instead (调休). Dates are days in the organisation's time zone, `YYYY-MM-DD`.
CREATE TABLE calendar_days (
    day   TEXT PRIMARY KEY CHECK (length(day) = 10),
    kind  TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name  TEXT NOT NULL
);

-- 2026 public holidays and make-up workdays as published by the State Council's General
-- Office (国务院办公厅关于2026年部分节假日安排的通知); an admin may change them.
INSERT INTO calendar_days (day, kind, name) VALUES
    ('2026-01-01', 'holiday', '元旦'),
    ('2026-01-02', 'holiday', '元旦'),
    ('2026-01-03', 'holiday', '元旦'),
    ('2026-01-04', 'workday', '元旦调休'),
    ('2026-02-14', 'workday', '春节调休'),
    ('2026-02-15', 'holiday', '春节'),
    ('2026-02-16', 'holiday', '春节'),
    ('2026-02-17', 'holiday', '春节'),
    ('2026-02-18', 'holiday', '春节'),
    ('2026-02-19', 'holiday', '春节'),
    ('2026-02-20', 'holiday', '春节'),
    ('2026-02-21', 'holiday', '春节'),
    ('2026-02-22', 'holiday', '春节'),
    ('2026-02-23', 'holiday', '春节'),
    ('2026-02-28', 'workday', '春节调休'),
    ('2026-04-04', 'holiday', '清明节'),
    ('2026-04-05', 'holiday', '清明节'),
    ('2026-04-06', 'holiday', '清明节'),
    ('2026-05-01', 'holiday', '劳动节'),
    ('2026-05-02', 'holiday', '劳动节'),
    ('2026-05-03', 'holiday', '劳动节'),
    ('2026-05-04', 'holiday', '劳动节'),
    ('2026-05-05', 'holiday', '劳动节'),
    ('2026-05-09', 'workday', '劳动节调休'),
    ('2026-06-19', 'holiday', '端午节'),
    ('2026-06-20', 'holiday', '端午节'),
    ('2026-06-21', 'holiday', '端午节'),
    ('2026-09-20', 'workday', '国庆节调休'),
    ('2026-09-25', 'holiday', '中秋节'),
    ('2026-09-26', 'holiday', '中秋节'),
    ('2026-09-27', 'holiday', '中秋节'),
    ('2026-10-01', 'holiday', '国庆节'),
    ('2026-10-02', 'holiday', '国庆节'),
    ('2026-10-03', 'holiday', '国庆节'),
    ('2026-10-04', 'holiday', '国庆节'),
    ('2026-10-05', 'holiday', '国庆节'),
    ('2026-10-06', 'holiday', '国庆节'),
    ('2026-10-07', 'holiday', '国庆节'),
    ('2026-10-10', 'workday', '国庆节调休');

-- Keys the helpdesk's ingestion authenticates with (`Authorization: Bearer <key>`). Only the
-- SHA-256 of a key (lowercase hex) is stored, with its first characters to recognise it.
CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    prefix        TEXT    NOT NULL,
    key_hash      TEXT    NOT NULL UNIQUE CHECK (length(key_hash) = 64),
    created_at    TEXT    NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    last_used_at  TEXT,
    revoked_at    TEXT
);

-- One evaluation per service record (评价), filled by the rating feature. `customer_id`,
-- `agent_id` and `service_type` are copied from the record when it is submitted, so that
-- statistics need no join and stay as they were rated.
CREATE TABLE evaluations (
    id                 INTEGER PRIMARY KEY,
    -- `PJ20261122-000123`: the day submitted (organisation zone) and that day's sequence.
    number             TEXT    NOT NULL UNIQUE,
    service_record_id  INTEGER NOT NULL UNIQUE REFERENCES service_records (id),
    customer_id        INTEGER NOT NULL REFERENCES users (id),
    agent_id           INTEGER NOT NULL REFERENCES users (id),
    service_type       TEXT    NOT NULL REFERENCES service_types (code),
    submitted_at       TEXT    NOT NULL,
    -- Mean of the answered dimension scores, one decimal (`rules::total_score`).
    total_score        REAL    NOT NULL CHECK (total_score BETWEEN 1 AND 5),
    -- Overall satisfaction, 1 to 10.
    overall            INTEGER NOT NULL CHECK (overall BETWEEN 1 AND 10),
    suggestion         TEXT,
    -- `active`: counted; `under_review`: flagged as anomalous, awaiting an admin;
    -- `deleted`: hidden from statistics by an admin, never erased, can be restored.
    status             TEXT    NOT NULL DEFAULT 'active'
                       CHECK (status IN ('active', 'under_review', 'deleted'))
);

CREATE INDEX evaluations_agent_submitted ON evaluations (agent_id, submitted_at);
CREATE INDEX evaluations_customer ON evaluations (customer_id);
CREATE INDEX evaluations_submitted ON evaluations (submitted_at);

-- The dimensions an evaluation was given, as they were when it was submitted: code, order,
-- optional flag and the names shown. Changing a service type's dimension set or renaming a
-- dimension later never changes an evaluation already submitted.
CREATE TABLE evaluation_scores (
    evaluation_id  INTEGER NOT NULL REFERENCES evaluations (id),
    dimension      TEXT    NOT NULL REFERENCES dimensions (code),
    position       INTEGER NOT NULL,
    optional       INTEGER NOT NULL CHECK (optional IN (0, 1)),
    name_zh        TEXT    NOT NULL,
    name_en        TEXT    NOT NULL,
    -- NULL: an optional dimension left unanswered.
    score          INTEGER CHECK (score IS NULL OR score BETWEEN 1 AND 5),
    PRIMARY KEY (evaluation_id, dimension),
    CHECK (score IS NOT NULL OR optional = 1)
);

CREATE INDEX evaluation_scores_dimension ON evaluation_scores (dimension);
