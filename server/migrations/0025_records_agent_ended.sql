-- A QA plan's report reads the customers' scores of the services its agents ended in the
-- plan's period: an index range per agent instead of every evaluation of the agent.
CREATE INDEX service_records_agent_ended ON service_records (agent_id, ended_at);
