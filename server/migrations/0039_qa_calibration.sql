-- Calibration between QA inspectors (issue 25): a lead starts a session on a few service
-- records with a template and two or more inspectors; each scores every record blind (item
-- results and rubric scores); once all have scored (or the lead closes it) the lead records the
-- agreed answers and a note per item that becomes the item's guidance. Kept apart from the
-- inspections: nothing that counts an agent's figures reads these tables. PostgreSQL's copy in
-- postgres/.

CREATE TABLE qa_calibrations (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    template_id  INTEGER NOT NULL REFERENCES qa_templates (id),
    created_by   INTEGER NOT NULL REFERENCES users (id),
    created_at   TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_at    TEXT,
    agreed_at    TEXT
);

CREATE INDEX qa_calibrations_newest ON qa_calibrations (created_at DESC, id DESC);

CREATE TABLE qa_calibration_records (
    calibration_id     INTEGER NOT NULL REFERENCES qa_calibrations (id) ON DELETE CASCADE,
    service_record_id  INTEGER NOT NULL REFERENCES service_records (id),
    position           INTEGER NOT NULL,
    PRIMARY KEY (calibration_id, service_record_id)
);

CREATE TABLE qa_calibration_inspectors (
    calibration_id  INTEGER NOT NULL REFERENCES qa_calibrations (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    submitted_at    TEXT,
    PRIMARY KEY (calibration_id, user_id)
);

CREATE INDEX qa_calibration_inspectors_user ON qa_calibration_inspectors (user_id);

-- An inspector's answers.
CREATE TABLE qa_calibration_answers (
    calibration_id     INTEGER NOT NULL REFERENCES qa_calibrations (id) ON DELETE CASCADE,
    user_id            INTEGER NOT NULL REFERENCES users (id),
    service_record_id  INTEGER NOT NULL,
    item_id            INTEGER NOT NULL REFERENCES qa_items (id) ON DELETE CASCADE,
    result             TEXT    NOT NULL
        CHECK (result IN ('compliant', 'partly', 'non_compliant', 'not_applicable')),
    PRIMARY KEY (calibration_id, user_id, service_record_id, item_id)
);

CREATE TABLE qa_calibration_scores (
    calibration_id     INTEGER NOT NULL REFERENCES qa_calibrations (id) ON DELETE CASCADE,
    user_id            INTEGER NOT NULL REFERENCES users (id),
    service_record_id  INTEGER NOT NULL,
    dimension_id       INTEGER NOT NULL REFERENCES qa_dimensions (id) ON DELETE CASCADE,
    score              INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (calibration_id, user_id, service_record_id, dimension_id)
);

CREATE TABLE qa_calibration_agreed (
    calibration_id     INTEGER NOT NULL REFERENCES qa_calibrations (id) ON DELETE CASCADE,
    service_record_id  INTEGER NOT NULL,
    item_id            INTEGER NOT NULL REFERENCES qa_items (id) ON DELETE CASCADE,
    result             TEXT    NOT NULL
        CHECK (result IN ('compliant', 'partly', 'non_compliant', 'not_applicable')),
    PRIMARY KEY (calibration_id, service_record_id, item_id)
);

CREATE TABLE qa_calibration_agreed_scores (
    calibration_id     INTEGER NOT NULL REFERENCES qa_calibrations (id) ON DELETE CASCADE,
    service_record_id  INTEGER NOT NULL,
    dimension_id       INTEGER NOT NULL REFERENCES qa_dimensions (id) ON DELETE CASCADE,
    score              INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (calibration_id, service_record_id, dimension_id)
);

CREATE TABLE qa_calibration_notes (
    calibration_id  INTEGER NOT NULL REFERENCES qa_calibrations (id) ON DELETE CASCADE,
    item_id         INTEGER NOT NULL REFERENCES qa_items (id) ON DELETE CASCADE,
    note            TEXT    NOT NULL,
    PRIMARY KEY (calibration_id, item_id)
);

-- An item's guidance (shown under its standard on the inspection sheet): the note of the
-- calibration that last agreed on it.
CREATE TABLE qa_item_guidance (
    item_id         INTEGER PRIMARY KEY REFERENCES qa_items (id) ON DELETE CASCADE,
    note            TEXT    NOT NULL,
    calibration_id  INTEGER NOT NULL REFERENCES qa_calibrations (id) ON DELETE CASCADE,
    updated_at      TEXT    NOT NULL
);
