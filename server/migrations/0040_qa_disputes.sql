-- Disputes of a QA score (质检申诉, issue 25): an agent or their team lead disputes items of an
-- inspection with a reason each; another inspector or an admin upholds or changes each item.
-- The inspection's answers and scores are then the decided ones; its versions (the original
-- and each decided change) are kept beside it. One dispute per inspection, ever: keyed by the
-- sample, which outlives a replaced inspection row. The window's length is the setting
-- `qa_dispute_working_days` (a missing settings row takes its default).
-- PostgreSQL's copy in postgres/.

CREATE TABLE qa_disputes (
    id               INTEGER PRIMARY KEY,
    sample_id        INTEGER NOT NULL UNIQUE REFERENCES qa_samples (id) ON DELETE CASCADE,
    -- The inspector of the disputed inspection: never its reviewer.
    inspector_id     INTEGER NOT NULL REFERENCES users (id),
    filed_by         INTEGER NOT NULL REFERENCES users (id),
    filed_at         TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided')),
    qa_score_before  REAL    NOT NULL,
    qa_score_after   REAL,
    decided_by       INTEGER REFERENCES users (id),
    decided_at       TEXT
);

CREATE INDEX qa_disputes_status ON qa_disputes (status, filed_at);

CREATE TABLE qa_dispute_items (
    dispute_id       INTEGER NOT NULL REFERENCES qa_disputes (id) ON DELETE CASCADE,
    item_id          INTEGER NOT NULL REFERENCES qa_items (id),
    reason           TEXT    NOT NULL,
    result_before    TEXT    NOT NULL,
    score_before     INTEGER NOT NULL CHECK (score_before BETWEEN 1 AND 5),
    outcome          TEXT    CHECK (outcome IN ('upheld', 'changed')),
    result_after     TEXT,
    score_after      INTEGER CHECK (score_after BETWEEN 1 AND 5),
    decision_reason  TEXT,
    PRIMARY KEY (dispute_id, item_id)
);

-- Versions of an inspection: 1 the original (kept when the first change is decided), then one
-- per decided dispute that changed it. Answers and scores as JSON arrays of the wire types.
CREATE TABLE qa_inspection_versions (
    sample_id     INTEGER NOT NULL REFERENCES qa_samples (id) ON DELETE CASCADE,
    version       INTEGER NOT NULL CHECK (version >= 1),
    saved_at      TEXT    NOT NULL,
    saved_by      INTEGER NOT NULL REFERENCES users (id),
    dispute_id    INTEGER REFERENCES qa_disputes (id) ON DELETE SET NULL,
    qa_score      REAL    NOT NULL,
    answers_json  TEXT    NOT NULL,
    scores_json   TEXT    NOT NULL,
    PRIMARY KEY (sample_id, version)
);
