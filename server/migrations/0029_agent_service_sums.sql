-- The customers' scores of the services each agent ended, per day the service ended in the
-- organisation's zone (UTC+8, as 0023's record sums): a QA plan's customer score is of the
-- services its agents ended in the plan's period, the population its samples are drawn from
-- (issue 22: at five million evaluations the report read every such evaluation, 968 ms; now a
-- row per agent and day). Kept by triggers in the transaction of every change of an
-- evaluation (rated, its score changed by an approved appeal, deleted by moderation, restored)
-- or of a service record's agent or end; filled at start-up, verified and rebuilt with the
-- other sums (`db::sums`).
CREATE TABLE agent_service_sums (
    agent_id      INTEGER NOT NULL,
    day           TEXT NOT NULL,
    evaluations   INTEGER NOT NULL,
    total_tenths  INTEGER NOT NULL,
    PRIMARY KEY (agent_id, day)
) WITHOUT ROWID;

CREATE TRIGGER evaluations_service_sums_insert AFTER INSERT ON evaluations
WHEN NEW.status <> 'deleted'
BEGIN
    INSERT INTO agent_service_sums (agent_id, day, evaluations, total_tenths)
    SELECT r.agent_id, date(r.ended_at, '+28800 seconds'), 1,
           CAST(ROUND(NEW.total_score * 10) AS INTEGER)
    FROM service_records r WHERE r.id = NEW.service_record_id
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations,
                              total_tenths = total_tenths + excluded.total_tenths;
END;

CREATE TRIGGER evaluations_service_sums_update
AFTER UPDATE OF status, total_score, service_record_id ON evaluations
WHEN OLD.status IS NOT NEW.status OR OLD.total_score IS NOT NEW.total_score
  OR OLD.service_record_id IS NOT NEW.service_record_id
BEGIN
    INSERT INTO agent_service_sums (agent_id, day, evaluations, total_tenths)
    SELECT r.agent_id, date(r.ended_at, '+28800 seconds'), -1,
           -CAST(ROUND(OLD.total_score * 10) AS INTEGER)
    FROM service_records r WHERE r.id = OLD.service_record_id AND OLD.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations,
                              total_tenths = total_tenths + excluded.total_tenths;
    DELETE FROM agent_service_sums WHERE evaluations = 0
      AND (agent_id, day) IN (SELECT r.agent_id, date(r.ended_at, '+28800 seconds')
                              FROM service_records r WHERE r.id = OLD.service_record_id);
    INSERT INTO agent_service_sums (agent_id, day, evaluations, total_tenths)
    SELECT r.agent_id, date(r.ended_at, '+28800 seconds'), 1,
           CAST(ROUND(NEW.total_score * 10) AS INTEGER)
    FROM service_records r WHERE r.id = NEW.service_record_id AND NEW.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations,
                              total_tenths = total_tenths + excluded.total_tenths;
END;

CREATE TRIGGER evaluations_service_sums_delete AFTER DELETE ON evaluations
WHEN OLD.status <> 'deleted'
BEGIN
    INSERT INTO agent_service_sums (agent_id, day, evaluations, total_tenths)
    SELECT r.agent_id, date(r.ended_at, '+28800 seconds'), -1,
           -CAST(ROUND(OLD.total_score * 10) AS INTEGER)
    FROM service_records r WHERE r.id = OLD.service_record_id
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations,
                              total_tenths = total_tenths + excluded.total_tenths;
    DELETE FROM agent_service_sums WHERE evaluations = 0
      AND (agent_id, day) IN (SELECT r.agent_id, date(r.ended_at, '+28800 seconds')
                              FROM service_records r WHERE r.id = OLD.service_record_id);
END;

CREATE TRIGGER service_records_service_sums AFTER UPDATE OF agent_id, ended_at ON service_records
WHEN OLD.agent_id IS NOT NEW.agent_id OR OLD.ended_at IS NOT NEW.ended_at
BEGIN
    INSERT INTO agent_service_sums (agent_id, day, evaluations, total_tenths)
    SELECT OLD.agent_id, date(OLD.ended_at, '+28800 seconds'), -COUNT(*),
           -SUM(CAST(ROUND(e.total_score * 10) AS INTEGER))
    FROM evaluations e WHERE e.service_record_id = OLD.id AND e.status <> 'deleted'
    HAVING COUNT(*) > 0
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations,
                              total_tenths = total_tenths + excluded.total_tenths;
    DELETE FROM agent_service_sums WHERE evaluations = 0
      AND agent_id = OLD.agent_id AND day = date(OLD.ended_at, '+28800 seconds');
    INSERT INTO agent_service_sums (agent_id, day, evaluations, total_tenths)
    SELECT NEW.agent_id, date(NEW.ended_at, '+28800 seconds'), COUNT(*),
           SUM(CAST(ROUND(e.total_score * 10) AS INTEGER))
    FROM evaluations e WHERE e.service_record_id = NEW.id AND e.status <> 'deleted'
    HAVING COUNT(*) > 0
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations,
                              total_tenths = total_tenths + excluded.total_tenths;
END;
