-- The complaint tags and the words of one agent or one team from kept sums too (issue 22): at
-- five million evaluations reading an agent's complaints or terms of 30 days took 50-95 ms and
-- grew with the table. The same counts as 0022's term_sums and 0024's tag_sums, keyed by the
-- agent first; kept by triggers of their own beside those (the same events, the agent added:
-- an evaluation moved to another agent moves its counts). Filled at start-up
-- (`db::sums::fill_if_empty`), like every kept table.
CREATE TABLE agent_tag_sums (
    agent_id         INTEGER NOT NULL,
    day              TEXT NOT NULL,
    tag              TEXT NOT NULL,
    evaluations      INTEGER NOT NULL,
    PRIMARY KEY (agent_id, day, tag)
) WITHOUT ROWID;

CREATE TABLE agent_term_sums (
    agent_id         INTEGER NOT NULL,
    day              TEXT NOT NULL,
    overall          INTEGER NOT NULL,
    term             TEXT NOT NULL,
    evaluations      INTEGER NOT NULL,
    PRIMARY KEY (agent_id, day, overall, term)
) WITHOUT ROWID;

CREATE TRIGGER evaluations_agent_tag_sums_insert AFTER INSERT ON evaluations
WHEN NEW.category IS 'complaint' AND NEW.status <> 'deleted' AND NEW.submitted_day IS NOT NULL
BEGIN
    INSERT INTO agent_tag_sums (agent_id, day, tag, evaluations)
    SELECT NEW.agent_id, NEW.submitted_day, COALESCE(j.value, ''), 1
    FROM service_records r LEFT JOIN json_each(r.tags) j
    WHERE r.id = NEW.service_record_id
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;

CREATE TRIGGER evaluations_agent_tag_sums_update
AFTER UPDATE OF status, category, submitted_day, service_record_id, agent_id ON evaluations
WHEN OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category
  OR OLD.submitted_day IS NOT NEW.submitted_day
  OR OLD.service_record_id IS NOT NEW.service_record_id
  OR OLD.agent_id IS NOT NEW.agent_id
BEGIN
    INSERT INTO agent_tag_sums (agent_id, day, tag, evaluations)
    SELECT OLD.agent_id, OLD.submitted_day, COALESCE(j.value, ''), -1
    FROM service_records r LEFT JOIN json_each(r.tags) j
    WHERE r.id = OLD.service_record_id AND OLD.category IS 'complaint'
      AND OLD.status <> 'deleted' AND OLD.submitted_day IS NOT NULL
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM agent_tag_sums
    WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND evaluations = 0;
    INSERT INTO agent_tag_sums (agent_id, day, tag, evaluations)
    SELECT NEW.agent_id, NEW.submitted_day, COALESCE(j.value, ''), 1
    FROM service_records r LEFT JOIN json_each(r.tags) j
    WHERE r.id = NEW.service_record_id AND NEW.category IS 'complaint'
      AND NEW.status <> 'deleted' AND NEW.submitted_day IS NOT NULL
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;

CREATE TRIGGER evaluations_agent_tag_sums_delete AFTER DELETE ON evaluations
WHEN OLD.category IS 'complaint' AND OLD.status <> 'deleted' AND OLD.submitted_day IS NOT NULL
BEGIN
    INSERT INTO agent_tag_sums (agent_id, day, tag, evaluations)
    SELECT OLD.agent_id, OLD.submitted_day, COALESCE(j.value, ''), -1
    FROM service_records r LEFT JOIN json_each(r.tags) j
    WHERE r.id = OLD.service_record_id
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM agent_tag_sums
    WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND evaluations = 0;
END;

CREATE TRIGGER service_records_agent_tag_sums AFTER UPDATE OF tags ON service_records
WHEN OLD.tags IS NOT NEW.tags
BEGIN
    INSERT INTO agent_tag_sums (agent_id, day, tag, evaluations)
    SELECT e.agent_id, e.submitted_day, COALESCE(j.value, ''), -1
    FROM evaluations e LEFT JOIN json_each(OLD.tags) j
    WHERE e.service_record_id = OLD.id AND e.category IS 'complaint'
      AND e.status <> 'deleted' AND e.submitted_day IS NOT NULL
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM agent_tag_sums WHERE evaluations = 0
      AND (agent_id, day) IN (SELECT e.agent_id, e.submitted_day FROM evaluations e
                              WHERE e.service_record_id = OLD.id);
    INSERT INTO agent_tag_sums (agent_id, day, tag, evaluations)
    SELECT e.agent_id, e.submitted_day, COALESCE(j.value, ''), 1
    FROM evaluations e LEFT JOIN json_each(NEW.tags) j
    WHERE e.service_record_id = NEW.id AND e.category IS 'complaint'
      AND e.status <> 'deleted' AND e.submitted_day IS NOT NULL
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;

CREATE TRIGGER evaluations_agent_term_sums AFTER UPDATE OF status, overall, agent_id ON evaluations
WHEN OLD.status IS NOT NEW.status OR OLD.overall IS NOT NEW.overall
  OR OLD.agent_id IS NOT NEW.agent_id
BEGIN
    INSERT INTO agent_term_sums (agent_id, day, overall, term, evaluations)
    SELECT OLD.agent_id, t.submitted_day, OLD.overall, t.term, -1 FROM evaluation_terms t
    WHERE t.evaluation_id = OLD.id AND OLD.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM agent_term_sums WHERE evaluations = 0 AND agent_id = OLD.agent_id
      AND (day, overall, term) IN (SELECT t.submitted_day, OLD.overall, t.term
                                   FROM evaluation_terms t WHERE t.evaluation_id = OLD.id);
    INSERT INTO agent_term_sums (agent_id, day, overall, term, evaluations)
    SELECT NEW.agent_id, t.submitted_day, NEW.overall, t.term, 1 FROM evaluation_terms t
    WHERE t.evaluation_id = NEW.id AND NEW.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;

CREATE TRIGGER evaluation_terms_agent_sums_insert AFTER INSERT ON evaluation_terms
BEGIN
    INSERT INTO agent_term_sums (agent_id, day, overall, term, evaluations)
    SELECT e.agent_id, NEW.submitted_day, e.overall, NEW.term, 1 FROM evaluations e
    WHERE e.id = NEW.evaluation_id AND e.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;

CREATE TRIGGER evaluation_terms_agent_sums_update AFTER UPDATE ON evaluation_terms
BEGIN
    INSERT INTO agent_term_sums (agent_id, day, overall, term, evaluations)
    SELECT e.agent_id, OLD.submitted_day, e.overall, OLD.term, -1 FROM evaluations e
    WHERE e.id = OLD.evaluation_id AND e.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM agent_term_sums WHERE evaluations = 0 AND day = OLD.submitted_day
      AND term = OLD.term
      AND (agent_id, overall) = (SELECT e.agent_id, e.overall FROM evaluations e
                                 WHERE e.id = OLD.evaluation_id);
    INSERT INTO agent_term_sums (agent_id, day, overall, term, evaluations)
    SELECT e.agent_id, NEW.submitted_day, e.overall, NEW.term, 1 FROM evaluations e
    WHERE e.id = NEW.evaluation_id AND e.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;

CREATE TRIGGER evaluation_terms_agent_sums_delete AFTER DELETE ON evaluation_terms
BEGIN
    INSERT INTO agent_term_sums (agent_id, day, overall, term, evaluations)
    SELECT e.agent_id, OLD.submitted_day, e.overall, OLD.term, -1 FROM evaluations e
    WHERE e.id = OLD.evaluation_id AND e.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM agent_term_sums WHERE evaluations = 0 AND day = OLD.submitted_day
      AND term = OLD.term
      AND (agent_id, overall) = (SELECT e.agent_id, e.overall FROM evaluations e
                                 WHERE e.id = OLD.evaluation_id);
END;
