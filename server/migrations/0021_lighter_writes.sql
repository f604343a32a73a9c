-- A score written with its evaluation's copied columns (a rating submission writes them in
-- its insert) is not updated again by the copy: one write of each score row and its indexes,
-- not an insert and then an update. Scores written without them (the demo's, the bench's)
-- are copied as before.
DROP TRIGGER evaluation_scores_copy;

CREATE TRIGGER evaluation_scores_copy AFTER INSERT ON evaluation_scores
WHEN NEW.submitted_day IS NULL
BEGIN
    UPDATE evaluation_scores
    SET (submitted_day, status, agent_id, service_type, channel, customer_type) =
        (SELECT e.submitted_day, e.status, e.agent_id, e.service_type, e.channel,
                e.customer_type
         FROM evaluations e WHERE e.id = NEW.evaluation_id)
    WHERE evaluation_id = NEW.evaluation_id AND dimension = NEW.dimension;
END;

-- An index every submission wrote and no query needs: the customer's evaluations are found by
-- `evaluations_customer_submitted` (and `…_customer_agent_submitted`), led by the same column.
DROP INDEX evaluations_customer;
