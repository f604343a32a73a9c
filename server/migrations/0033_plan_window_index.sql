-- An improvement plan's figures before and after it (issue 22) are the kept sums of its whole
-- days and the agent's evaluations of the two partial days at its ends, read by the agent's
-- submission times. Those reads looked up each evaluation's row for its status and scores: at
-- five million evaluations the rows are rarely in memory, and the lead's page (one window per
-- open plan of the team) took 2.35 times its time at one million. The index now holds what
-- they read, so the partial days are one index range each.
DROP INDEX evaluations_agent_submitted;
CREATE INDEX evaluations_agent_submitted
    ON evaluations (agent_id, submitted_at, status, total_score, overall);
