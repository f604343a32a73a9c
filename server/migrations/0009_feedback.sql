-- The agent's side: read state of their evaluations, their verdicts on suggestions,
-- improvement plans (改进计划) and the team leads' low-score callbacks (回访).
--
-- Same conventions as 0001 (UTC `YYYY-MM-DDTHH:MM:SSZ` text times written by the server,
-- INTEGER 0/1 booleans, INTEGER PRIMARY KEY ids, enumerations guarded by CHECK).

-- When the agent first opened the evaluation; NULL: unread. Evaluations that exist when this
-- arrives count as read (a badge of thousands on the first day helps nobody).
ALTER TABLE evaluations ADD COLUMN agent_read_at TEXT;
UPDATE evaluations SET agent_read_at = submitted_at;
CREATE INDEX evaluations_unread ON evaluations (agent_id)
    WHERE agent_read_at IS NULL AND status <> 'deleted';

-- The agent's verdict on an evaluation's suggestion.
CREATE TABLE suggestion_assessments (
    evaluation_id  INTEGER PRIMARY KEY REFERENCES evaluations (id),
    agent_id       INTEGER NOT NULL REFERENCES users (id),
    reasonable     INTEGER NOT NULL CHECK (reasonable IN (0, 1)),
    reason         TEXT,
    assessed_at    TEXT    NOT NULL,
    CHECK (reasonable = 1 OR reason IS NOT NULL)
);

-- A plan answering a suggestion the agent found reasonable; due a number of working days
-- (setting, 3) after it opened.
CREATE TABLE improvement_plans (
    id              INTEGER PRIMARY KEY,
    evaluation_id   INTEGER NOT NULL UNIQUE REFERENCES evaluations (id),
    agent_id        INTEGER NOT NULL REFERENCES users (id),
    status          TEXT    NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'submitted', 'sent_back', 'acknowledged')),
    created_at      TEXT    NOT NULL,
    due_at          TEXT    NOT NULL,
    measures        TEXT,
    -- YYYY-MM-DD
    target_date     TEXT,
    submitted_at    TEXT,
    reviewed_by     INTEGER REFERENCES users (id),
    review_comment  TEXT,
    reviewed_at     TEXT,
    CHECK (status = 'open' OR (measures IS NOT NULL AND target_date IS NOT NULL
                               AND submitted_at IS NOT NULL)),
    CHECK (status NOT IN ('sent_back', 'acknowledged') OR reviewed_by IS NOT NULL)
);

CREATE INDEX improvement_plans_agent ON improvement_plans (agent_id, status, due_at);
CREATE INDEX improvement_plans_status ON improvement_plans (status, due_at);

-- A call back to a customer who gave a low overall score, for the agent's team lead; due a
-- working day after it opened.
CREATE TABLE callback_tasks (
    id             INTEGER PRIMARY KEY,
    evaluation_id  INTEGER NOT NULL UNIQUE REFERENCES evaluations (id),
    agent_id       INTEGER NOT NULL REFERENCES users (id),
    -- The agent's team when it opened; NULL for an agent without a team (admins see it).
    team_id        INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    created_at     TEXT    NOT NULL,
    due_at         TEXT    NOT NULL,
    outcome        TEXT    CHECK (outcome IN ('resolved', 'appeased', 'escalated')),
    notes          TEXT,
    done_at        TEXT,
    done_by        INTEGER REFERENCES users (id),
    CHECK ((outcome IS NULL) = (done_at IS NULL)),
    CHECK ((done_at IS NULL) = (done_by IS NULL)),
    CHECK (done_at IS NULL OR notes IS NOT NULL)
);

CREATE INDEX callback_tasks_team ON callback_tasks (team_id, done_at, due_at);
