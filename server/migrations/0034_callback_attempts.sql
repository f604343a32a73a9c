-- A callback can fail (issue 24): the calls that did not reach the customer (no answer, wrong
-- number), each with the time of the next attempt, and a task closed as unreachable after the
-- set number of them (the setting `callback_max_attempts`). PostgreSQL's copy in postgres/.

-- The task's outcome may now be `unreachable`: SQLite changes a CHECK by copying the table
-- (no table refers to it).
CREATE TABLE callback_tasks_new (
    id             INTEGER PRIMARY KEY,
    evaluation_id  INTEGER NOT NULL UNIQUE REFERENCES evaluations (id),
    agent_id       INTEGER NOT NULL REFERENCES users (id),
    -- The agent's team when it opened; NULL for an agent without a team (admins see it).
    team_id        INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    created_at     TEXT    NOT NULL,
    -- When the next call is due: a working day after it opened, then each failed call's next
    -- attempt.
    due_at         TEXT    NOT NULL,
    outcome        TEXT    CHECK (outcome IN ('resolved', 'appeased', 'escalated', 'unreachable')),
    notes          TEXT,
    done_at        TEXT,
    done_by        INTEGER REFERENCES users (id),
    CHECK ((outcome IS NULL) = (done_at IS NULL)),
    CHECK ((done_at IS NULL) = (done_by IS NULL)),
    CHECK (done_at IS NULL OR notes IS NOT NULL)
);

INSERT INTO callback_tasks_new
    (id, evaluation_id, agent_id, team_id, created_at, due_at, outcome, notes, done_at, done_by)
SELECT id, evaluation_id, agent_id, team_id, created_at, due_at, outcome, notes, done_at, done_by
FROM callback_tasks;

DROP TABLE callback_tasks;
ALTER TABLE callback_tasks_new RENAME TO callback_tasks;
CREATE INDEX callback_tasks_team ON callback_tasks (team_id, done_at, due_at);

-- A call that did not reach the customer; `next_attempt_at` NULL when it closed the task.
CREATE TABLE callback_attempts (
    id               INTEGER PRIMARY KEY,
    task_id          INTEGER NOT NULL REFERENCES callback_tasks (id),
    result           TEXT    NOT NULL CHECK (result IN ('no_answer', 'wrong_number')),
    notes            TEXT,
    attempted_at     TEXT    NOT NULL,
    attempted_by     INTEGER NOT NULL REFERENCES users (id),
    next_attempt_at  TEXT
);

CREATE INDEX callback_attempts_task ON callback_attempts (task_id, id);
