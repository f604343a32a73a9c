-- Appeals (申诉) and the versions of an evaluation they create.
--
-- Same conventions as 0001 (UTC `YYYY-MM-DDTHH:MM:SSZ` text times written by the server,
-- INTEGER 0/1 booleans, INTEGER PRIMARY KEY ids, enumerations guarded by CHECK).
--
-- Versions, the design: `evaluations` and `evaluation_scores` always hold the CURRENT version
-- of an evaluation, so statistics, lists and the anomaly rules keep reading them as before and
-- always count the current version. `evaluations.version` says which version that is (1 until
-- an appeal is approved). `evaluation_versions` keeps every EARLIER version, whole: when an
-- admin approves an appeal, in one transaction the current values are copied there (with when
-- and why they were replaced), then `evaluations` and `evaluation_scores` are overwritten with
-- the new values and `version` goes up by one. An evaluation never revised has no row there,
-- so nothing is written at submission and evaluations from before this migration need none.
-- The history of an evaluation is its rows here, oldest first, plus its current version.

ALTER TABLE evaluations ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);

-- A customer's appeal of their own evaluation, filed within the appeal window, and the admin's
-- decision. At most one pending appeal per evaluation (the partial unique index below).
CREATE TABLE appeals (
    id                INTEGER PRIMARY KEY,
    evaluation_id     INTEGER NOT NULL REFERENCES evaluations (id),
    -- The evaluation's customer, who filed it.
    customer_id       INTEGER NOT NULL REFERENCES users (id),
    -- The version of the evaluation appealed.
    version           INTEGER NOT NULL CHECK (version >= 1),
    status            TEXT    NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'approved', 'rejected')),
    -- Trimmed, 10 to 1000 characters.
    reason            TEXT    NOT NULL,
    -- The evaluation's values when the appeal was filed (JSON: scores with their dimension
    -- names, total_score, overall, suggestion), so the appeal reads the same after a change.
    current_json      TEXT    NOT NULL,
    -- The change the customer asked for, same shape; NULL when they asked for none.
    requested_json    TEXT,
    filed_at          TEXT    NOT NULL,
    decided_at        TEXT,
    decided_by        INTEGER REFERENCES users (id),
    decision_reason   TEXT,
    -- Approved: the change applied (the requested one or the admin's edit), and the version
    -- of the evaluation it made.
    applied_json      TEXT,
    new_version       INTEGER,
    -- Whether the customer has seen the decision (the badge of unseen decisions).
    seen_by_customer  INTEGER NOT NULL DEFAULT 0 CHECK (seen_by_customer IN (0, 1)),
    CHECK ((status = 'pending') = (decided_at IS NULL)),
    CHECK (status = 'pending' OR (decided_by IS NOT NULL AND decision_reason IS NOT NULL)),
    CHECK ((status = 'approved') = (applied_json IS NOT NULL AND new_version IS NOT NULL))
);

CREATE UNIQUE INDEX appeals_one_pending ON appeals (evaluation_id) WHERE status = 'pending';
CREATE INDEX appeals_evaluation ON appeals (evaluation_id, filed_at);
CREATE INDEX appeals_customer ON appeals (customer_id, filed_at);
CREATE INDEX appeals_queue ON appeals (status, filed_at);

-- The earlier versions of evaluations, whole (see the top of this file). Never changed nor
-- deleted: the database refuses it.
CREATE TABLE evaluation_versions (
    evaluation_id  INTEGER NOT NULL REFERENCES evaluations (id),
    version        INTEGER NOT NULL CHECK (version >= 1),
    total_score    REAL    NOT NULL CHECK (total_score BETWEEN 1 AND 5),
    overall        INTEGER NOT NULL CHECK (overall BETWEEN 1 AND 10),
    suggestion     TEXT,
    -- The dimension scores as `evaluation_scores` had them, in order (JSON array of code,
    -- name_zh, name_en, optional, score).
    scores_json    TEXT    NOT NULL,
    -- When this version was made: the submission for version 1, else the approval.
    created_at     TEXT    NOT NULL,
    -- When and by whom it was replaced, and why (the decision's reason), through which appeal.
    replaced_at    TEXT    NOT NULL,
    replaced_by    INTEGER NOT NULL REFERENCES users (id),
    reason         TEXT    NOT NULL,
    appeal_id      INTEGER REFERENCES appeals (id),
    PRIMARY KEY (evaluation_id, version)
);

CREATE TRIGGER evaluation_versions_no_update BEFORE UPDATE ON evaluation_versions
BEGIN
    SELECT RAISE(ABORT, 'earlier versions of an evaluation are kept as they were');
END;

CREATE TRIGGER evaluation_versions_no_delete BEFORE DELETE ON evaluation_versions
BEGIN
    SELECT RAISE(ABORT, 'earlier versions of an evaluation are kept as they were');
END;
