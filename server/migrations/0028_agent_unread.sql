-- How many unread evaluations each agent has (issue 22): the agent's home, list and bell read
-- a count over the agent's unread evaluations, which grows without bound for an agent who does
-- not open them (at five million evaluations the agent's first pages took twice as long as at
-- one million). Kept by triggers in the transaction of every change, like the sums of 0022;
-- filled at start-up, verified and rebuilt with them (`db::sums`).
CREATE TABLE agent_unread (
    agent_id     INTEGER PRIMARY KEY,
    evaluations  INTEGER NOT NULL
);

CREATE TRIGGER evaluations_unread_insert AFTER INSERT ON evaluations
WHEN NEW.agent_read_at IS NULL AND NEW.status <> 'deleted'
BEGIN
    INSERT INTO agent_unread (agent_id, evaluations) VALUES (NEW.agent_id, 1)
    ON CONFLICT DO UPDATE SET evaluations = evaluations + 1;
END;

CREATE TRIGGER evaluations_unread_update
AFTER UPDATE OF agent_read_at, status, agent_id ON evaluations
WHEN (OLD.agent_read_at IS NULL AND OLD.status <> 'deleted')
         IS NOT (NEW.agent_read_at IS NULL AND NEW.status <> 'deleted')
  OR OLD.agent_id IS NOT NEW.agent_id
BEGIN
    UPDATE agent_unread SET evaluations = evaluations - 1
    WHERE agent_id = OLD.agent_id AND OLD.agent_read_at IS NULL AND OLD.status <> 'deleted';
    DELETE FROM agent_unread WHERE agent_id = OLD.agent_id AND evaluations = 0;
    INSERT INTO agent_unread (agent_id, evaluations)
    SELECT NEW.agent_id, 1 WHERE NEW.agent_read_at IS NULL AND NEW.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + 1;
END;

CREATE TRIGGER evaluations_unread_delete AFTER DELETE ON evaluations
WHEN OLD.agent_read_at IS NULL AND OLD.status <> 'deleted'
BEGIN
    UPDATE agent_unread SET evaluations = evaluations - 1 WHERE agent_id = OLD.agent_id;
    DELETE FROM agent_unread WHERE agent_id = OLD.agent_id AND evaluations = 0;
END;
