-- Kept sums per agent and day without the segments (issue 22). At five million evaluations the
-- agents' sums of 0022 (agent × day × service type × channel × customer type) fill up: a team's
-- month read some 50 rows per agent and day, and the lead's summary took 1.67 times its time at
-- one million. Reports of an agent or a team not narrowed by a segment read these instead, one
-- row per agent and day (and dimension), kept by the triggers below in the transaction of the
-- change like those of 0022; `pingjia-server sums verify` compares them with the evaluations.

CREATE TABLE agent_day_sums (
    agent_id        BIGINT NOT NULL,
    day             TEXT NOT NULL,
    evaluations     BIGINT NOT NULL,
    total_tenths    BIGINT NOT NULL,
    total_squares   BIGINT NOT NULL,
    overall_sum     BIGINT NOT NULL,
    overall_squares BIGINT NOT NULL,
    suggestions     BIGINT NOT NULL,
    complaints      BIGINT NOT NULL,
    o1              BIGINT NOT NULL,
    o2              BIGINT NOT NULL,
    o3              BIGINT NOT NULL,
    o4              BIGINT NOT NULL,
    o5              BIGINT NOT NULL,
    o6              BIGINT NOT NULL,
    o7              BIGINT NOT NULL,
    o8              BIGINT NOT NULL,
    o9              BIGINT NOT NULL,
    o10             BIGINT NOT NULL,
    s1              BIGINT NOT NULL,
    s2              BIGINT NOT NULL,
    s3              BIGINT NOT NULL,
    s4              BIGINT NOT NULL,
    s5              BIGINT NOT NULL,
    s6              BIGINT NOT NULL,
    s7              BIGINT NOT NULL,
    s8              BIGINT NOT NULL,
    s9              BIGINT NOT NULL,
    s10             BIGINT NOT NULL,
    PRIMARY KEY (agent_id, day)
);

CREATE TABLE agent_day_score_sums (
    agent_id        BIGINT NOT NULL,
    day             TEXT NOT NULL,
    dimension       TEXT NOT NULL,
    answered        BIGINT NOT NULL,
    score_sum       BIGINT NOT NULL,
    score_squares   BIGINT NOT NULL,
    c1              BIGINT NOT NULL,
    c2              BIGINT NOT NULL,
    c3              BIGINT NOT NULL,
    c4              BIGINT NOT NULL,
    c5              BIGINT NOT NULL,
    PRIMARY KEY (agent_id, day, dimension)
);

INSERT INTO agent_day_sums (agent_id, day, evaluations, total_tenths, total_squares,
    overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8, o9,
    o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
SELECT agent_id, day, SUM(evaluations), SUM(total_tenths), SUM(total_squares), SUM(overall_sum),
    SUM(overall_squares), SUM(suggestions), SUM(complaints), SUM(o1), SUM(o2), SUM(o3), SUM(o4),
    SUM(o5), SUM(o6), SUM(o7), SUM(o8), SUM(o9), SUM(o10), SUM(s1), SUM(s2), SUM(s3), SUM(s4),
    SUM(s5), SUM(s6), SUM(s7), SUM(s8), SUM(s9), SUM(s10)
FROM agent_evaluation_sums GROUP BY agent_id, day;

INSERT INTO agent_day_score_sums (agent_id, day, dimension, answered, score_sum, score_squares,
    c1, c2, c3, c4, c5)
SELECT agent_id, day, dimension, SUM(answered), SUM(score_sum), SUM(score_squares), SUM(c1),
    SUM(c2), SUM(c3), SUM(c4), SUM(c5)
FROM agent_score_sums GROUP BY agent_id, day, dimension;

CREATE FUNCTION evaluations_day_sums_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO agent_day_sums (agent_id, day, evaluations, total_tenths, total_squares,
        overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8,
        o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           1,
           pj_round_int(NEW.total_score * 10),
           pj_round_int(NEW.total_score * 10) * pj_round_int(NEW.total_score * 10),
           NEW.overall,
           NEW.overall * NEW.overall,
           (NEW.suggestion IS NOT NULL)::int,
           (NEW.category IS NOT DISTINCT FROM 'complaint')::int,
           (NEW.overall = 1)::int,
           (NEW.overall = 2)::int,
           (NEW.overall = 3)::int,
           (NEW.overall = 4)::int,
           (NEW.overall = 5)::int,
           (NEW.overall = 6)::int,
           (NEW.overall = 7)::int,
           (NEW.overall = 8)::int,
           (NEW.overall = 9)::int,
           (NEW.overall = 10)::int,
           (NEW.overall = 1 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 2 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 3 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 4 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 5 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 6 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 7 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 8 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 9 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 10 AND NEW.suggestion IS NOT NULL)::int
    WHERE NEW.submitted_day IS NOT NULL AND NEW.status <> 'deleted'
    ON CONFLICT (agent_id, day) DO UPDATE SET
        evaluations = agent_day_sums.evaluations + EXCLUDED.evaluations,
        total_tenths = agent_day_sums.total_tenths + EXCLUDED.total_tenths,
        total_squares = agent_day_sums.total_squares + EXCLUDED.total_squares,
        overall_sum = agent_day_sums.overall_sum + EXCLUDED.overall_sum,
        overall_squares = agent_day_sums.overall_squares + EXCLUDED.overall_squares,
        suggestions = agent_day_sums.suggestions + EXCLUDED.suggestions,
        complaints = agent_day_sums.complaints + EXCLUDED.complaints,
        o1 = agent_day_sums.o1 + EXCLUDED.o1,
        o2 = agent_day_sums.o2 + EXCLUDED.o2,
        o3 = agent_day_sums.o3 + EXCLUDED.o3,
        o4 = agent_day_sums.o4 + EXCLUDED.o4,
        o5 = agent_day_sums.o5 + EXCLUDED.o5,
        o6 = agent_day_sums.o6 + EXCLUDED.o6,
        o7 = agent_day_sums.o7 + EXCLUDED.o7,
        o8 = agent_day_sums.o8 + EXCLUDED.o8,
        o9 = agent_day_sums.o9 + EXCLUDED.o9,
        o10 = agent_day_sums.o10 + EXCLUDED.o10,
        s1 = agent_day_sums.s1 + EXCLUDED.s1,
        s2 = agent_day_sums.s2 + EXCLUDED.s2,
        s3 = agent_day_sums.s3 + EXCLUDED.s3,
        s4 = agent_day_sums.s4 + EXCLUDED.s4,
        s5 = agent_day_sums.s5 + EXCLUDED.s5,
        s6 = agent_day_sums.s6 + EXCLUDED.s6,
        s7 = agent_day_sums.s7 + EXCLUDED.s7,
        s8 = agent_day_sums.s8 + EXCLUDED.s8,
        s9 = agent_day_sums.s9 + EXCLUDED.s9,
        s10 = agent_day_sums.s10 + EXCLUDED.s10;
    RETURN NULL;
END;
$$;

CREATE TRIGGER evaluations_day_sums_insert AFTER INSERT ON evaluations
FOR EACH ROW
EXECUTE FUNCTION evaluations_day_sums_insert();

CREATE FUNCTION evaluations_day_sums_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO agent_day_sums (agent_id, day, evaluations, total_tenths, total_squares,
        overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8,
        o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           -(1),
           -(pj_round_int(OLD.total_score * 10)),
           -(pj_round_int(OLD.total_score * 10) * pj_round_int(OLD.total_score * 10)),
           -(OLD.overall),
           -(OLD.overall * OLD.overall),
           -((OLD.suggestion IS NOT NULL)::int),
           -((OLD.category IS NOT DISTINCT FROM 'complaint')::int),
           -((OLD.overall = 1)::int),
           -((OLD.overall = 2)::int),
           -((OLD.overall = 3)::int),
           -((OLD.overall = 4)::int),
           -((OLD.overall = 5)::int),
           -((OLD.overall = 6)::int),
           -((OLD.overall = 7)::int),
           -((OLD.overall = 8)::int),
           -((OLD.overall = 9)::int),
           -((OLD.overall = 10)::int),
           -((OLD.overall = 1 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 2 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 3 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 4 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 5 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 6 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 7 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 8 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 9 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 10 AND OLD.suggestion IS NOT NULL)::int)
    WHERE OLD.submitted_day IS NOT NULL AND OLD.status <> 'deleted'
    ON CONFLICT (agent_id, day) DO UPDATE SET
        evaluations = agent_day_sums.evaluations + EXCLUDED.evaluations,
        total_tenths = agent_day_sums.total_tenths + EXCLUDED.total_tenths,
        total_squares = agent_day_sums.total_squares + EXCLUDED.total_squares,
        overall_sum = agent_day_sums.overall_sum + EXCLUDED.overall_sum,
        overall_squares = agent_day_sums.overall_squares + EXCLUDED.overall_squares,
        suggestions = agent_day_sums.suggestions + EXCLUDED.suggestions,
        complaints = agent_day_sums.complaints + EXCLUDED.complaints,
        o1 = agent_day_sums.o1 + EXCLUDED.o1,
        o2 = agent_day_sums.o2 + EXCLUDED.o2,
        o3 = agent_day_sums.o3 + EXCLUDED.o3,
        o4 = agent_day_sums.o4 + EXCLUDED.o4,
        o5 = agent_day_sums.o5 + EXCLUDED.o5,
        o6 = agent_day_sums.o6 + EXCLUDED.o6,
        o7 = agent_day_sums.o7 + EXCLUDED.o7,
        o8 = agent_day_sums.o8 + EXCLUDED.o8,
        o9 = agent_day_sums.o9 + EXCLUDED.o9,
        o10 = agent_day_sums.o10 + EXCLUDED.o10,
        s1 = agent_day_sums.s1 + EXCLUDED.s1,
        s2 = agent_day_sums.s2 + EXCLUDED.s2,
        s3 = agent_day_sums.s3 + EXCLUDED.s3,
        s4 = agent_day_sums.s4 + EXCLUDED.s4,
        s5 = agent_day_sums.s5 + EXCLUDED.s5,
        s6 = agent_day_sums.s6 + EXCLUDED.s6,
        s7 = agent_day_sums.s7 + EXCLUDED.s7,
        s8 = agent_day_sums.s8 + EXCLUDED.s8,
        s9 = agent_day_sums.s9 + EXCLUDED.s9,
        s10 = agent_day_sums.s10 + EXCLUDED.s10;
    DELETE FROM agent_day_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND evaluations = 0;
    INSERT INTO agent_day_sums (agent_id, day, evaluations, total_tenths, total_squares,
        overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8,
        o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           1,
           pj_round_int(NEW.total_score * 10),
           pj_round_int(NEW.total_score * 10) * pj_round_int(NEW.total_score * 10),
           NEW.overall,
           NEW.overall * NEW.overall,
           (NEW.suggestion IS NOT NULL)::int,
           (NEW.category IS NOT DISTINCT FROM 'complaint')::int,
           (NEW.overall = 1)::int,
           (NEW.overall = 2)::int,
           (NEW.overall = 3)::int,
           (NEW.overall = 4)::int,
           (NEW.overall = 5)::int,
           (NEW.overall = 6)::int,
           (NEW.overall = 7)::int,
           (NEW.overall = 8)::int,
           (NEW.overall = 9)::int,
           (NEW.overall = 10)::int,
           (NEW.overall = 1 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 2 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 3 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 4 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 5 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 6 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 7 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 8 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 9 AND NEW.suggestion IS NOT NULL)::int,
           (NEW.overall = 10 AND NEW.suggestion IS NOT NULL)::int
    WHERE NEW.submitted_day IS NOT NULL AND NEW.status <> 'deleted'
    ON CONFLICT (agent_id, day) DO UPDATE SET
        evaluations = agent_day_sums.evaluations + EXCLUDED.evaluations,
        total_tenths = agent_day_sums.total_tenths + EXCLUDED.total_tenths,
        total_squares = agent_day_sums.total_squares + EXCLUDED.total_squares,
        overall_sum = agent_day_sums.overall_sum + EXCLUDED.overall_sum,
        overall_squares = agent_day_sums.overall_squares + EXCLUDED.overall_squares,
        suggestions = agent_day_sums.suggestions + EXCLUDED.suggestions,
        complaints = agent_day_sums.complaints + EXCLUDED.complaints,
        o1 = agent_day_sums.o1 + EXCLUDED.o1,
        o2 = agent_day_sums.o2 + EXCLUDED.o2,
        o3 = agent_day_sums.o3 + EXCLUDED.o3,
        o4 = agent_day_sums.o4 + EXCLUDED.o4,
        o5 = agent_day_sums.o5 + EXCLUDED.o5,
        o6 = agent_day_sums.o6 + EXCLUDED.o6,
        o7 = agent_day_sums.o7 + EXCLUDED.o7,
        o8 = agent_day_sums.o8 + EXCLUDED.o8,
        o9 = agent_day_sums.o9 + EXCLUDED.o9,
        o10 = agent_day_sums.o10 + EXCLUDED.o10,
        s1 = agent_day_sums.s1 + EXCLUDED.s1,
        s2 = agent_day_sums.s2 + EXCLUDED.s2,
        s3 = agent_day_sums.s3 + EXCLUDED.s3,
        s4 = agent_day_sums.s4 + EXCLUDED.s4,
        s5 = agent_day_sums.s5 + EXCLUDED.s5,
        s6 = agent_day_sums.s6 + EXCLUDED.s6,
        s7 = agent_day_sums.s7 + EXCLUDED.s7,
        s8 = agent_day_sums.s8 + EXCLUDED.s8,
        s9 = agent_day_sums.s9 + EXCLUDED.s9,
        s10 = agent_day_sums.s10 + EXCLUDED.s10;
    RETURN NULL;
END;
$$;

CREATE TRIGGER evaluations_day_sums_update AFTER UPDATE OF submitted_day, status, agent_id,
    service_type, channel, customer_type, category, overall, total_score, suggestion ON
    evaluations
FOR EACH ROW
EXECUTE FUNCTION evaluations_day_sums_update();

CREATE FUNCTION evaluations_day_sums_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO agent_day_sums (agent_id, day, evaluations, total_tenths, total_squares,
        overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8,
        o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           -(1),
           -(pj_round_int(OLD.total_score * 10)),
           -(pj_round_int(OLD.total_score * 10) * pj_round_int(OLD.total_score * 10)),
           -(OLD.overall),
           -(OLD.overall * OLD.overall),
           -((OLD.suggestion IS NOT NULL)::int),
           -((OLD.category IS NOT DISTINCT FROM 'complaint')::int),
           -((OLD.overall = 1)::int),
           -((OLD.overall = 2)::int),
           -((OLD.overall = 3)::int),
           -((OLD.overall = 4)::int),
           -((OLD.overall = 5)::int),
           -((OLD.overall = 6)::int),
           -((OLD.overall = 7)::int),
           -((OLD.overall = 8)::int),
           -((OLD.overall = 9)::int),
           -((OLD.overall = 10)::int),
           -((OLD.overall = 1 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 2 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 3 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 4 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 5 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 6 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 7 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 8 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 9 AND OLD.suggestion IS NOT NULL)::int),
           -((OLD.overall = 10 AND OLD.suggestion IS NOT NULL)::int)
    WHERE OLD.submitted_day IS NOT NULL AND OLD.status <> 'deleted'
    ON CONFLICT (agent_id, day) DO UPDATE SET
        evaluations = agent_day_sums.evaluations + EXCLUDED.evaluations,
        total_tenths = agent_day_sums.total_tenths + EXCLUDED.total_tenths,
        total_squares = agent_day_sums.total_squares + EXCLUDED.total_squares,
        overall_sum = agent_day_sums.overall_sum + EXCLUDED.overall_sum,
        overall_squares = agent_day_sums.overall_squares + EXCLUDED.overall_squares,
        suggestions = agent_day_sums.suggestions + EXCLUDED.suggestions,
        complaints = agent_day_sums.complaints + EXCLUDED.complaints,
        o1 = agent_day_sums.o1 + EXCLUDED.o1,
        o2 = agent_day_sums.o2 + EXCLUDED.o2,
        o3 = agent_day_sums.o3 + EXCLUDED.o3,
        o4 = agent_day_sums.o4 + EXCLUDED.o4,
        o5 = agent_day_sums.o5 + EXCLUDED.o5,
        o6 = agent_day_sums.o6 + EXCLUDED.o6,
        o7 = agent_day_sums.o7 + EXCLUDED.o7,
        o8 = agent_day_sums.o8 + EXCLUDED.o8,
        o9 = agent_day_sums.o9 + EXCLUDED.o9,
        o10 = agent_day_sums.o10 + EXCLUDED.o10,
        s1 = agent_day_sums.s1 + EXCLUDED.s1,
        s2 = agent_day_sums.s2 + EXCLUDED.s2,
        s3 = agent_day_sums.s3 + EXCLUDED.s3,
        s4 = agent_day_sums.s4 + EXCLUDED.s4,
        s5 = agent_day_sums.s5 + EXCLUDED.s5,
        s6 = agent_day_sums.s6 + EXCLUDED.s6,
        s7 = agent_day_sums.s7 + EXCLUDED.s7,
        s8 = agent_day_sums.s8 + EXCLUDED.s8,
        s9 = agent_day_sums.s9 + EXCLUDED.s9,
        s10 = agent_day_sums.s10 + EXCLUDED.s10;
    DELETE FROM agent_day_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND evaluations = 0;
    RETURN NULL;
END;
$$;

CREATE TRIGGER evaluations_day_sums_delete AFTER DELETE ON evaluations
FOR EACH ROW
EXECUTE FUNCTION evaluations_day_sums_delete();

CREATE FUNCTION evaluation_scores_day_sums_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO agent_day_score_sums (agent_id, day, dimension, answered, score_sum,
        score_squares, c1, c2, c3, c4, c5)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           NEW.dimension,
           1,
           NEW.score,
           NEW.score * NEW.score,
           (NEW.score = 1)::int,
           (NEW.score = 2)::int,
           (NEW.score = 3)::int,
           (NEW.score = 4)::int,
           (NEW.score = 5)::int
    WHERE NEW.submitted_day IS NOT NULL AND NEW.status <> 'deleted' AND NEW.score IS NOT NULL
    ON CONFLICT (agent_id, day, dimension) DO UPDATE SET
        answered = agent_day_score_sums.answered + EXCLUDED.answered,
        score_sum = agent_day_score_sums.score_sum + EXCLUDED.score_sum,
        score_squares = agent_day_score_sums.score_squares + EXCLUDED.score_squares,
        c1 = agent_day_score_sums.c1 + EXCLUDED.c1,
        c2 = agent_day_score_sums.c2 + EXCLUDED.c2,
        c3 = agent_day_score_sums.c3 + EXCLUDED.c3,
        c4 = agent_day_score_sums.c4 + EXCLUDED.c4,
        c5 = agent_day_score_sums.c5 + EXCLUDED.c5;
    RETURN NULL;
END;
$$;

CREATE TRIGGER evaluation_scores_day_sums_insert AFTER INSERT ON evaluation_scores
FOR EACH ROW
EXECUTE FUNCTION evaluation_scores_day_sums_insert();

CREATE FUNCTION evaluation_scores_day_sums_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO agent_day_score_sums (agent_id, day, dimension, answered, score_sum,
        score_squares, c1, c2, c3, c4, c5)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           OLD.dimension,
           -(1),
           -(OLD.score),
           -(OLD.score * OLD.score),
           -((OLD.score = 1)::int),
           -((OLD.score = 2)::int),
           -((OLD.score = 3)::int),
           -((OLD.score = 4)::int),
           -((OLD.score = 5)::int)
    WHERE OLD.submitted_day IS NOT NULL AND OLD.status <> 'deleted' AND OLD.score IS NOT NULL
    ON CONFLICT (agent_id, day, dimension) DO UPDATE SET
        answered = agent_day_score_sums.answered + EXCLUDED.answered,
        score_sum = agent_day_score_sums.score_sum + EXCLUDED.score_sum,
        score_squares = agent_day_score_sums.score_squares + EXCLUDED.score_squares,
        c1 = agent_day_score_sums.c1 + EXCLUDED.c1,
        c2 = agent_day_score_sums.c2 + EXCLUDED.c2,
        c3 = agent_day_score_sums.c3 + EXCLUDED.c3,
        c4 = agent_day_score_sums.c4 + EXCLUDED.c4,
        c5 = agent_day_score_sums.c5 + EXCLUDED.c5;
    DELETE FROM agent_day_score_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND dimension = OLD.dimension AND answered = 0;
    INSERT INTO agent_day_score_sums (agent_id, day, dimension, answered, score_sum,
        score_squares, c1, c2, c3, c4, c5)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           NEW.dimension,
           1,
           NEW.score,
           NEW.score * NEW.score,
           (NEW.score = 1)::int,
           (NEW.score = 2)::int,
           (NEW.score = 3)::int,
           (NEW.score = 4)::int,
           (NEW.score = 5)::int
    WHERE NEW.submitted_day IS NOT NULL AND NEW.status <> 'deleted' AND NEW.score IS NOT NULL
    ON CONFLICT (agent_id, day, dimension) DO UPDATE SET
        answered = agent_day_score_sums.answered + EXCLUDED.answered,
        score_sum = agent_day_score_sums.score_sum + EXCLUDED.score_sum,
        score_squares = agent_day_score_sums.score_squares + EXCLUDED.score_squares,
        c1 = agent_day_score_sums.c1 + EXCLUDED.c1,
        c2 = agent_day_score_sums.c2 + EXCLUDED.c2,
        c3 = agent_day_score_sums.c3 + EXCLUDED.c3,
        c4 = agent_day_score_sums.c4 + EXCLUDED.c4,
        c5 = agent_day_score_sums.c5 + EXCLUDED.c5;
    RETURN NULL;
END;
$$;

CREATE TRIGGER evaluation_scores_day_sums_update AFTER UPDATE OF score, dimension,
    submitted_day, status, agent_id, service_type, channel, customer_type ON evaluation_scores
FOR EACH ROW
EXECUTE FUNCTION evaluation_scores_day_sums_update();

CREATE FUNCTION evaluation_scores_day_sums_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO agent_day_score_sums (agent_id, day, dimension, answered, score_sum,
        score_squares, c1, c2, c3, c4, c5)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           OLD.dimension,
           -(1),
           -(OLD.score),
           -(OLD.score * OLD.score),
           -((OLD.score = 1)::int),
           -((OLD.score = 2)::int),
           -((OLD.score = 3)::int),
           -((OLD.score = 4)::int),
           -((OLD.score = 5)::int)
    WHERE OLD.submitted_day IS NOT NULL AND OLD.status <> 'deleted' AND OLD.score IS NOT NULL
    ON CONFLICT (agent_id, day, dimension) DO UPDATE SET
        answered = agent_day_score_sums.answered + EXCLUDED.answered,
        score_sum = agent_day_score_sums.score_sum + EXCLUDED.score_sum,
        score_squares = agent_day_score_sums.score_squares + EXCLUDED.score_squares,
        c1 = agent_day_score_sums.c1 + EXCLUDED.c1,
        c2 = agent_day_score_sums.c2 + EXCLUDED.c2,
        c3 = agent_day_score_sums.c3 + EXCLUDED.c3,
        c4 = agent_day_score_sums.c4 + EXCLUDED.c4,
        c5 = agent_day_score_sums.c5 + EXCLUDED.c5;
    DELETE FROM agent_day_score_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND dimension = OLD.dimension AND answered = 0;
    RETURN NULL;
END;
$$;

CREATE TRIGGER evaluation_scores_day_sums_delete AFTER DELETE ON evaluation_scores
FOR EACH ROW
EXECUTE FUNCTION evaluation_scores_day_sums_delete();
