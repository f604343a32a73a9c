-- A report's frequent problems show each word's three lowest-scored, newest complaints (issue
-- 22): with the evaluation's overall score beside its words they are an index range of the word,
-- score by score, instead of every complaint of the word in the period (at five million
-- evaluations the monthly report spent most of its 281 ms there). Written with the word by
-- every insert (submission, catch-up), followed here when the score changes (an approved
-- appeal), and compared with the evaluations by `pingjia-server sums verify`.
ALTER TABLE evaluation_terms ADD COLUMN overall INTEGER;

-- The word counts of 0022 and 0026 follow an update of a word's evaluation, term or day; the
-- copied score is none of those (the counts take the score from the evaluation).
DROP TRIGGER evaluation_terms_sums_update;
DROP TRIGGER evaluation_terms_agent_sums_update;

CREATE TRIGGER evaluation_terms_sums_update
AFTER UPDATE OF evaluation_id, term, submitted_day ON evaluation_terms
BEGIN
    INSERT INTO term_sums (day, overall, term, evaluations)
    SELECT OLD.submitted_day, e.overall, OLD.term, -1 FROM evaluations e
    WHERE e.id = OLD.evaluation_id AND e.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM term_sums WHERE evaluations = 0 AND day = OLD.submitted_day AND term = OLD.term
      AND overall = (SELECT e.overall FROM evaluations e WHERE e.id = OLD.evaluation_id);
    INSERT INTO term_sums (day, overall, term, evaluations)
    SELECT NEW.submitted_day, e.overall, NEW.term, 1 FROM evaluations e
    WHERE e.id = NEW.evaluation_id AND e.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;

CREATE TRIGGER evaluation_terms_agent_sums_update
AFTER UPDATE OF evaluation_id, term, submitted_day ON evaluation_terms
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

UPDATE evaluation_terms
SET overall = (SELECT e.overall FROM evaluations e WHERE e.id = evaluation_terms.evaluation_id);

CREATE INDEX evaluation_terms_term_overall
    ON evaluation_terms (term, overall, submitted_day, evaluation_id);

CREATE TRIGGER evaluations_terms_overall AFTER UPDATE OF overall ON evaluations
WHEN OLD.overall IS NOT NEW.overall
BEGIN
    UPDATE evaluation_terms SET overall = NEW.overall WHERE evaluation_id = NEW.id;
END;
