-- Coaching sessions (辅导记录, issue 25): a team lead (or an admin) records a talk with an agent,
-- from an inspection, an evaluation or an improvement plan or on its own: what was discussed,
-- the checklist items or rating dimensions it targets, the agreed action and a follow-up day;
-- the agent acknowledges it, the lead marks the follow-up done. PostgreSQL's copy in postgres/.

CREATE TABLE coaching_sessions (
    id               INTEGER PRIMARY KEY,
    agent_id         INTEGER NOT NULL REFERENCES users (id),
    -- The agent's team when it was recorded; NULL for an agent without a team.
    team_id          INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    coach_id         INTEGER NOT NULL REFERENCES users (id),
    source_kind      TEXT    CHECK (source_kind IN ('inspection', 'evaluation', 'plan')),
    -- The inspection's or plan's id, the evaluation's number.
    source_ref       TEXT,
    discussion       TEXT    NOT NULL,
    -- A JSON array of {kind, code}: `item` (a checklist item's id) or `dimension` (a code).
    targets_json     TEXT    NOT NULL DEFAULT '[]',
    action           TEXT    NOT NULL,
    follow_up_date   TEXT    NOT NULL CHECK (length(follow_up_date) = 10),
    created_at       TEXT    NOT NULL,
    acknowledged_at  TEXT,
    agent_comment    TEXT,
    followed_up_at   TEXT,
    CHECK ((source_kind IS NULL) = (source_ref IS NULL)),
    CHECK (acknowledged_at IS NOT NULL OR agent_comment IS NULL)
);

CREATE INDEX coaching_sessions_agent ON coaching_sessions (agent_id, created_at);
CREATE INDEX coaching_sessions_team ON coaching_sessions (team_id, created_at);
