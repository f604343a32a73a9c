-- Kept sums per agent and day without the segments (issue 22). At five million evaluations the
-- agents' sums of 0022 (agent × day × service type × channel × customer type) fill up: a team's
-- month read some 50 rows per agent and day, and the lead's summary took 1.67 times its time at
-- one million. Reports of an agent or a team not narrowed by a segment read these instead, one
-- row per agent and day (and dimension), kept by the triggers below in the transaction of the
-- change like those of 0022; `pingjia-server sums verify` compares them with the evaluations.

CREATE TABLE agent_day_sums (
    agent_id        INTEGER NOT NULL,
    day             TEXT NOT NULL,
    evaluations     INTEGER NOT NULL,
    total_tenths    INTEGER NOT NULL,
    total_squares   INTEGER NOT NULL,
    overall_sum     INTEGER NOT NULL,
    overall_squares INTEGER NOT NULL,
    suggestions     INTEGER NOT NULL,
    complaints      INTEGER NOT NULL,
    o1              INTEGER NOT NULL,
    o2              INTEGER NOT NULL,
    o3              INTEGER NOT NULL,
    o4              INTEGER NOT NULL,
    o5              INTEGER NOT NULL,
    o6              INTEGER NOT NULL,
    o7              INTEGER NOT NULL,
    o8              INTEGER NOT NULL,
    o9              INTEGER NOT NULL,
    o10             INTEGER NOT NULL,
    s1              INTEGER NOT NULL,
    s2              INTEGER NOT NULL,
    s3              INTEGER NOT NULL,
    s4              INTEGER NOT NULL,
    s5              INTEGER NOT NULL,
    s6              INTEGER NOT NULL,
    s7              INTEGER NOT NULL,
    s8              INTEGER NOT NULL,
    s9              INTEGER NOT NULL,
    s10             INTEGER NOT NULL,
    PRIMARY KEY (agent_id, day)
) WITHOUT ROWID;

CREATE TABLE agent_day_score_sums (
    agent_id        INTEGER NOT NULL,
    day             TEXT NOT NULL,
    dimension       TEXT NOT NULL,
    answered        INTEGER NOT NULL,
    score_sum       INTEGER NOT NULL,
    score_squares   INTEGER NOT NULL,
    c1              INTEGER NOT NULL,
    c2              INTEGER NOT NULL,
    c3              INTEGER NOT NULL,
    c4              INTEGER NOT NULL,
    c5              INTEGER NOT NULL,
    PRIMARY KEY (agent_id, day, dimension)
) WITHOUT ROWID;

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

CREATE TRIGGER evaluations_day_sums_insert AFTER INSERT ON evaluations
BEGIN
    INSERT INTO agent_day_sums (agent_id, day, evaluations, total_tenths, total_squares,
        overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8,
        o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           1,
           CAST(ROUND(NEW.total_score * 10) AS INTEGER),
           CAST(ROUND(NEW.total_score * 10) AS INTEGER) * CAST(ROUND(NEW.total_score * 10) AS INTEGER),
           NEW.overall,
           NEW.overall * NEW.overall,
           (NEW.suggestion IS NOT NULL),
           (NEW.category IS 'complaint'),
           (NEW.overall = 1),
           (NEW.overall = 2),
           (NEW.overall = 3),
           (NEW.overall = 4),
           (NEW.overall = 5),
           (NEW.overall = 6),
           (NEW.overall = 7),
           (NEW.overall = 8),
           (NEW.overall = 9),
           (NEW.overall = 10),
           (NEW.overall = 1 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 2 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 3 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 4 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 5 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 6 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 7 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 8 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 9 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 10 AND NEW.suggestion IS NOT NULL)
    WHERE NEW.submitted_day IS NOT NULL AND NEW.status <> 'deleted'
    ON CONFLICT DO UPDATE SET
        evaluations = evaluations + excluded.evaluations,
        total_tenths = total_tenths + excluded.total_tenths,
        total_squares = total_squares + excluded.total_squares,
        overall_sum = overall_sum + excluded.overall_sum,
        overall_squares = overall_squares + excluded.overall_squares,
        suggestions = suggestions + excluded.suggestions,
        complaints = complaints + excluded.complaints,
        o1 = o1 + excluded.o1,
        o2 = o2 + excluded.o2,
        o3 = o3 + excluded.o3,
        o4 = o4 + excluded.o4,
        o5 = o5 + excluded.o5,
        o6 = o6 + excluded.o6,
        o7 = o7 + excluded.o7,
        o8 = o8 + excluded.o8,
        o9 = o9 + excluded.o9,
        o10 = o10 + excluded.o10,
        s1 = s1 + excluded.s1,
        s2 = s2 + excluded.s2,
        s3 = s3 + excluded.s3,
        s4 = s4 + excluded.s4,
        s5 = s5 + excluded.s5,
        s6 = s6 + excluded.s6,
        s7 = s7 + excluded.s7,
        s8 = s8 + excluded.s8,
        s9 = s9 + excluded.s9,
        s10 = s10 + excluded.s10;
END;

CREATE TRIGGER evaluations_day_sums_update AFTER UPDATE OF submitted_day, status, agent_id,
    service_type, channel, customer_type, category, overall, total_score, suggestion ON
    evaluations
BEGIN
    INSERT INTO agent_day_sums (agent_id, day, evaluations, total_tenths, total_squares,
        overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8,
        o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           -(1),
           -(CAST(ROUND(OLD.total_score * 10) AS INTEGER)),
           -(CAST(ROUND(OLD.total_score * 10) AS INTEGER) * CAST(ROUND(OLD.total_score * 10) AS INTEGER)),
           -(OLD.overall),
           -(OLD.overall * OLD.overall),
           -((OLD.suggestion IS NOT NULL)),
           -((OLD.category IS 'complaint')),
           -((OLD.overall = 1)),
           -((OLD.overall = 2)),
           -((OLD.overall = 3)),
           -((OLD.overall = 4)),
           -((OLD.overall = 5)),
           -((OLD.overall = 6)),
           -((OLD.overall = 7)),
           -((OLD.overall = 8)),
           -((OLD.overall = 9)),
           -((OLD.overall = 10)),
           -((OLD.overall = 1 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 2 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 3 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 4 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 5 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 6 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 7 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 8 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 9 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 10 AND OLD.suggestion IS NOT NULL))
    WHERE OLD.submitted_day IS NOT NULL AND OLD.status <> 'deleted'
    ON CONFLICT DO UPDATE SET
        evaluations = evaluations + excluded.evaluations,
        total_tenths = total_tenths + excluded.total_tenths,
        total_squares = total_squares + excluded.total_squares,
        overall_sum = overall_sum + excluded.overall_sum,
        overall_squares = overall_squares + excluded.overall_squares,
        suggestions = suggestions + excluded.suggestions,
        complaints = complaints + excluded.complaints,
        o1 = o1 + excluded.o1,
        o2 = o2 + excluded.o2,
        o3 = o3 + excluded.o3,
        o4 = o4 + excluded.o4,
        o5 = o5 + excluded.o5,
        o6 = o6 + excluded.o6,
        o7 = o7 + excluded.o7,
        o8 = o8 + excluded.o8,
        o9 = o9 + excluded.o9,
        o10 = o10 + excluded.o10,
        s1 = s1 + excluded.s1,
        s2 = s2 + excluded.s2,
        s3 = s3 + excluded.s3,
        s4 = s4 + excluded.s4,
        s5 = s5 + excluded.s5,
        s6 = s6 + excluded.s6,
        s7 = s7 + excluded.s7,
        s8 = s8 + excluded.s8,
        s9 = s9 + excluded.s9,
        s10 = s10 + excluded.s10;
    DELETE FROM agent_day_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND evaluations = 0;
    INSERT INTO agent_day_sums (agent_id, day, evaluations, total_tenths, total_squares,
        overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8,
        o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           1,
           CAST(ROUND(NEW.total_score * 10) AS INTEGER),
           CAST(ROUND(NEW.total_score * 10) AS INTEGER) * CAST(ROUND(NEW.total_score * 10) AS INTEGER),
           NEW.overall,
           NEW.overall * NEW.overall,
           (NEW.suggestion IS NOT NULL),
           (NEW.category IS 'complaint'),
           (NEW.overall = 1),
           (NEW.overall = 2),
           (NEW.overall = 3),
           (NEW.overall = 4),
           (NEW.overall = 5),
           (NEW.overall = 6),
           (NEW.overall = 7),
           (NEW.overall = 8),
           (NEW.overall = 9),
           (NEW.overall = 10),
           (NEW.overall = 1 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 2 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 3 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 4 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 5 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 6 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 7 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 8 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 9 AND NEW.suggestion IS NOT NULL),
           (NEW.overall = 10 AND NEW.suggestion IS NOT NULL)
    WHERE NEW.submitted_day IS NOT NULL AND NEW.status <> 'deleted'
    ON CONFLICT DO UPDATE SET
        evaluations = evaluations + excluded.evaluations,
        total_tenths = total_tenths + excluded.total_tenths,
        total_squares = total_squares + excluded.total_squares,
        overall_sum = overall_sum + excluded.overall_sum,
        overall_squares = overall_squares + excluded.overall_squares,
        suggestions = suggestions + excluded.suggestions,
        complaints = complaints + excluded.complaints,
        o1 = o1 + excluded.o1,
        o2 = o2 + excluded.o2,
        o3 = o3 + excluded.o3,
        o4 = o4 + excluded.o4,
        o5 = o5 + excluded.o5,
        o6 = o6 + excluded.o6,
        o7 = o7 + excluded.o7,
        o8 = o8 + excluded.o8,
        o9 = o9 + excluded.o9,
        o10 = o10 + excluded.o10,
        s1 = s1 + excluded.s1,
        s2 = s2 + excluded.s2,
        s3 = s3 + excluded.s3,
        s4 = s4 + excluded.s4,
        s5 = s5 + excluded.s5,
        s6 = s6 + excluded.s6,
        s7 = s7 + excluded.s7,
        s8 = s8 + excluded.s8,
        s9 = s9 + excluded.s9,
        s10 = s10 + excluded.s10;
END;

CREATE TRIGGER evaluations_day_sums_delete AFTER DELETE ON evaluations
BEGIN
    INSERT INTO agent_day_sums (agent_id, day, evaluations, total_tenths, total_squares,
        overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8,
        o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           -(1),
           -(CAST(ROUND(OLD.total_score * 10) AS INTEGER)),
           -(CAST(ROUND(OLD.total_score * 10) AS INTEGER) * CAST(ROUND(OLD.total_score * 10) AS INTEGER)),
           -(OLD.overall),
           -(OLD.overall * OLD.overall),
           -((OLD.suggestion IS NOT NULL)),
           -((OLD.category IS 'complaint')),
           -((OLD.overall = 1)),
           -((OLD.overall = 2)),
           -((OLD.overall = 3)),
           -((OLD.overall = 4)),
           -((OLD.overall = 5)),
           -((OLD.overall = 6)),
           -((OLD.overall = 7)),
           -((OLD.overall = 8)),
           -((OLD.overall = 9)),
           -((OLD.overall = 10)),
           -((OLD.overall = 1 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 2 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 3 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 4 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 5 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 6 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 7 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 8 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 9 AND OLD.suggestion IS NOT NULL)),
           -((OLD.overall = 10 AND OLD.suggestion IS NOT NULL))
    WHERE OLD.submitted_day IS NOT NULL AND OLD.status <> 'deleted'
    ON CONFLICT DO UPDATE SET
        evaluations = evaluations + excluded.evaluations,
        total_tenths = total_tenths + excluded.total_tenths,
        total_squares = total_squares + excluded.total_squares,
        overall_sum = overall_sum + excluded.overall_sum,
        overall_squares = overall_squares + excluded.overall_squares,
        suggestions = suggestions + excluded.suggestions,
        complaints = complaints + excluded.complaints,
        o1 = o1 + excluded.o1,
        o2 = o2 + excluded.o2,
        o3 = o3 + excluded.o3,
        o4 = o4 + excluded.o4,
        o5 = o5 + excluded.o5,
        o6 = o6 + excluded.o6,
        o7 = o7 + excluded.o7,
        o8 = o8 + excluded.o8,
        o9 = o9 + excluded.o9,
        o10 = o10 + excluded.o10,
        s1 = s1 + excluded.s1,
        s2 = s2 + excluded.s2,
        s3 = s3 + excluded.s3,
        s4 = s4 + excluded.s4,
        s5 = s5 + excluded.s5,
        s6 = s6 + excluded.s6,
        s7 = s7 + excluded.s7,
        s8 = s8 + excluded.s8,
        s9 = s9 + excluded.s9,
        s10 = s10 + excluded.s10;
    DELETE FROM agent_day_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND evaluations = 0;
END;

CREATE TRIGGER evaluation_scores_day_sums_insert AFTER INSERT ON evaluation_scores
BEGIN
    INSERT INTO agent_day_score_sums (agent_id, day, dimension, answered, score_sum,
        score_squares, c1, c2, c3, c4, c5)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           NEW.dimension,
           1,
           NEW.score,
           NEW.score * NEW.score,
           (NEW.score = 1),
           (NEW.score = 2),
           (NEW.score = 3),
           (NEW.score = 4),
           (NEW.score = 5)
    WHERE NEW.submitted_day IS NOT NULL AND NEW.status <> 'deleted' AND NEW.score IS NOT NULL
    ON CONFLICT DO UPDATE SET
        answered = answered + excluded.answered,
        score_sum = score_sum + excluded.score_sum,
        score_squares = score_squares + excluded.score_squares,
        c1 = c1 + excluded.c1,
        c2 = c2 + excluded.c2,
        c3 = c3 + excluded.c3,
        c4 = c4 + excluded.c4,
        c5 = c5 + excluded.c5;
END;

CREATE TRIGGER evaluation_scores_day_sums_update AFTER UPDATE OF score, dimension,
    submitted_day, status, agent_id, service_type, channel, customer_type ON evaluation_scores
BEGIN
    INSERT INTO agent_day_score_sums (agent_id, day, dimension, answered, score_sum,
        score_squares, c1, c2, c3, c4, c5)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           OLD.dimension,
           -(1),
           -(OLD.score),
           -(OLD.score * OLD.score),
           -((OLD.score = 1)),
           -((OLD.score = 2)),
           -((OLD.score = 3)),
           -((OLD.score = 4)),
           -((OLD.score = 5))
    WHERE OLD.submitted_day IS NOT NULL AND OLD.status <> 'deleted' AND OLD.score IS NOT NULL
    ON CONFLICT DO UPDATE SET
        answered = answered + excluded.answered,
        score_sum = score_sum + excluded.score_sum,
        score_squares = score_squares + excluded.score_squares,
        c1 = c1 + excluded.c1,
        c2 = c2 + excluded.c2,
        c3 = c3 + excluded.c3,
        c4 = c4 + excluded.c4,
        c5 = c5 + excluded.c5;
    DELETE FROM agent_day_score_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND dimension = OLD.dimension AND answered = 0;
    INSERT INTO agent_day_score_sums (agent_id, day, dimension, answered, score_sum,
        score_squares, c1, c2, c3, c4, c5)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           NEW.dimension,
           1,
           NEW.score,
           NEW.score * NEW.score,
           (NEW.score = 1),
           (NEW.score = 2),
           (NEW.score = 3),
           (NEW.score = 4),
           (NEW.score = 5)
    WHERE NEW.submitted_day IS NOT NULL AND NEW.status <> 'deleted' AND NEW.score IS NOT NULL
    ON CONFLICT DO UPDATE SET
        answered = answered + excluded.answered,
        score_sum = score_sum + excluded.score_sum,
        score_squares = score_squares + excluded.score_squares,
        c1 = c1 + excluded.c1,
        c2 = c2 + excluded.c2,
        c3 = c3 + excluded.c3,
        c4 = c4 + excluded.c4,
        c5 = c5 + excluded.c5;
END;

CREATE TRIGGER evaluation_scores_day_sums_delete AFTER DELETE ON evaluation_scores
BEGIN
    INSERT INTO agent_day_score_sums (agent_id, day, dimension, answered, score_sum,
        score_squares, c1, c2, c3, c4, c5)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           OLD.dimension,
           -(1),
           -(OLD.score),
           -(OLD.score * OLD.score),
           -((OLD.score = 1)),
           -((OLD.score = 2)),
           -((OLD.score = 3)),
           -((OLD.score = 4)),
           -((OLD.score = 5))
    WHERE OLD.submitted_day IS NOT NULL AND OLD.status <> 'deleted' AND OLD.score IS NOT NULL
    ON CONFLICT DO UPDATE SET
        answered = answered + excluded.answered,
        score_sum = score_sum + excluded.score_sum,
        score_squares = score_squares + excluded.score_squares,
        c1 = c1 + excluded.c1,
        c2 = c2 + excluded.c2,
        c3 = c3 + excluded.c3,
        c4 = c4 + excluded.c4,
        c5 = c5 + excluded.c5;
    DELETE FROM agent_day_score_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND dimension = OLD.dimension AND answered = 0;
END;
