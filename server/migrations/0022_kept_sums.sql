-- Kept sums (issue 22): what the reports add up, kept per day and group as evaluations
-- arrive, change (an appeal approved with new scores) or leave the statistics (deleted by
-- moderation, restored), by the triggers below, in the transaction of the change: a report
-- reads rows that grow with the days and groups asked for, not with the evaluations.
--
-- Two grains each: the organisation's (day × service type × channel × customer type) for
-- reports not filtered by agent or team, the agents' (agent × day × the same) for the rest and
-- for per-agent figures. Only counted evaluations (not `deleted`, with their day) are in them;
-- a row whose count falls to 0 is removed. Total scores are kept in tenths (they have one
-- decimal), so sums are exact integers. `o1`…`o10`: evaluations per overall score (attainment
-- and sentiment for any threshold); `s1`…`s10`: those of them with a suggestion; `c1`…`c5`:
-- answers per dimension score. Missing channel or customer type: ''.
--
-- The server fills them when they are empty and evaluations are not (`db::sums`); `pingjia-server
-- sums verify` recomputes them from the evaluations and lists any difference, `sums rebuild`
-- recomputes them.

CREATE TABLE evaluation_sums (
    day             TEXT NOT NULL,
    service_type    TEXT NOT NULL,
    channel         TEXT NOT NULL,
    customer_type   TEXT NOT NULL,
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
    PRIMARY KEY (day, service_type, channel, customer_type)
) WITHOUT ROWID;

CREATE TABLE agent_evaluation_sums (
    agent_id        INTEGER NOT NULL,
    day             TEXT NOT NULL,
    service_type    TEXT NOT NULL,
    channel         TEXT NOT NULL,
    customer_type   TEXT NOT NULL,
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
    PRIMARY KEY (agent_id, day, service_type, channel, customer_type)
) WITHOUT ROWID;

CREATE TABLE score_sums (
    day             TEXT NOT NULL,
    dimension       TEXT NOT NULL,
    service_type    TEXT NOT NULL,
    channel         TEXT NOT NULL,
    customer_type   TEXT NOT NULL,
    answered        INTEGER NOT NULL,
    score_sum       INTEGER NOT NULL,
    score_squares   INTEGER NOT NULL,
    c1              INTEGER NOT NULL,
    c2              INTEGER NOT NULL,
    c3              INTEGER NOT NULL,
    c4              INTEGER NOT NULL,
    c5              INTEGER NOT NULL,
    PRIMARY KEY (day, dimension, service_type, channel, customer_type)
) WITHOUT ROWID;

CREATE TABLE agent_score_sums (
    agent_id        INTEGER NOT NULL,
    day             TEXT NOT NULL,
    dimension       TEXT NOT NULL,
    service_type    TEXT NOT NULL,
    channel         TEXT NOT NULL,
    customer_type   TEXT NOT NULL,
    answered        INTEGER NOT NULL,
    score_sum       INTEGER NOT NULL,
    score_squares   INTEGER NOT NULL,
    c1              INTEGER NOT NULL,
    c2              INTEGER NOT NULL,
    c3              INTEGER NOT NULL,
    c4              INTEGER NOT NULL,
    c5              INTEGER NOT NULL,
    PRIMARY KEY (agent_id, day, dimension, service_type, channel, customer_type)
) WITHOUT ROWID;

-- A word's evaluations per day and overall score (the word cloud of any sentiment).
CREATE TABLE term_sums (
    day             TEXT NOT NULL,
    overall         INTEGER NOT NULL,
    term            TEXT NOT NULL,
    evaluations     INTEGER NOT NULL,
    PRIMARY KEY (day, overall, term)
) WITHOUT ROWID;

CREATE TRIGGER evaluations_sums_insert AFTER INSERT ON evaluations
BEGIN
    INSERT INTO evaluation_sums (day, service_type, channel, customer_type, evaluations, total_tenths, total_squares, overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT NEW.submitted_day,
           NEW.service_type,
           COALESCE(NEW.channel, ''),
           COALESCE(NEW.customer_type, ''),
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
    INSERT INTO agent_evaluation_sums (agent_id, day, service_type, channel, customer_type, evaluations, total_tenths, total_squares, overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           NEW.service_type,
           COALESCE(NEW.channel, ''),
           COALESCE(NEW.customer_type, ''),
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

CREATE TRIGGER evaluations_sums_update
AFTER UPDATE OF submitted_day, status, agent_id, service_type, channel, customer_type, category, overall, total_score, suggestion
ON evaluations
BEGIN
    INSERT INTO evaluation_sums (day, service_type, channel, customer_type, evaluations, total_tenths, total_squares, overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT OLD.submitted_day,
           OLD.service_type,
           COALESCE(OLD.channel, ''),
           COALESCE(OLD.customer_type, ''),
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
    DELETE FROM evaluation_sums WHERE day = OLD.submitted_day AND service_type = OLD.service_type AND channel = COALESCE(OLD.channel, '') AND customer_type = COALESCE(OLD.customer_type, '') AND evaluations = 0;
    INSERT INTO agent_evaluation_sums (agent_id, day, service_type, channel, customer_type, evaluations, total_tenths, total_squares, overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           OLD.service_type,
           COALESCE(OLD.channel, ''),
           COALESCE(OLD.customer_type, ''),
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
    DELETE FROM agent_evaluation_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND service_type = OLD.service_type AND channel = COALESCE(OLD.channel, '') AND customer_type = COALESCE(OLD.customer_type, '') AND evaluations = 0;
    INSERT INTO evaluation_sums (day, service_type, channel, customer_type, evaluations, total_tenths, total_squares, overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT NEW.submitted_day,
           NEW.service_type,
           COALESCE(NEW.channel, ''),
           COALESCE(NEW.customer_type, ''),
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
    INSERT INTO agent_evaluation_sums (agent_id, day, service_type, channel, customer_type, evaluations, total_tenths, total_squares, overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           NEW.service_type,
           COALESCE(NEW.channel, ''),
           COALESCE(NEW.customer_type, ''),
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

CREATE TRIGGER evaluations_sums_delete AFTER DELETE ON evaluations
BEGIN
    INSERT INTO evaluation_sums (day, service_type, channel, customer_type, evaluations, total_tenths, total_squares, overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT OLD.submitted_day,
           OLD.service_type,
           COALESCE(OLD.channel, ''),
           COALESCE(OLD.customer_type, ''),
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
    DELETE FROM evaluation_sums WHERE day = OLD.submitted_day AND service_type = OLD.service_type AND channel = COALESCE(OLD.channel, '') AND customer_type = COALESCE(OLD.customer_type, '') AND evaluations = 0;
    INSERT INTO agent_evaluation_sums (agent_id, day, service_type, channel, customer_type, evaluations, total_tenths, total_squares, overall_sum, overall_squares, suggestions, complaints, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           OLD.service_type,
           COALESCE(OLD.channel, ''),
           COALESCE(OLD.customer_type, ''),
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
    DELETE FROM agent_evaluation_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND service_type = OLD.service_type AND channel = COALESCE(OLD.channel, '') AND customer_type = COALESCE(OLD.customer_type, '') AND evaluations = 0;
END;

CREATE TRIGGER evaluations_term_sums AFTER UPDATE OF status, overall ON evaluations
WHEN OLD.status IS NOT NEW.status OR OLD.overall IS NOT NEW.overall
BEGIN
    INSERT INTO term_sums (day, overall, term, evaluations)
    SELECT t.submitted_day, OLD.overall, t.term, -1 FROM evaluation_terms t
    WHERE t.evaluation_id = OLD.id AND OLD.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM term_sums WHERE evaluations = 0
      AND (day, overall, term) IN (SELECT t.submitted_day, OLD.overall, t.term
                                   FROM evaluation_terms t WHERE t.evaluation_id = OLD.id);
    INSERT INTO term_sums (day, overall, term, evaluations)
    SELECT t.submitted_day, NEW.overall, t.term, 1 FROM evaluation_terms t
    WHERE t.evaluation_id = NEW.id AND NEW.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;

CREATE TRIGGER evaluation_scores_sums_insert AFTER INSERT ON evaluation_scores
BEGIN
    INSERT INTO score_sums (day, dimension, service_type, channel, customer_type, answered, score_sum, score_squares, c1, c2, c3, c4, c5)
    SELECT NEW.submitted_day,
           NEW.dimension,
           NEW.service_type,
           COALESCE(NEW.channel, ''),
           COALESCE(NEW.customer_type, ''),
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
    INSERT INTO agent_score_sums (agent_id, day, dimension, service_type, channel, customer_type, answered, score_sum, score_squares, c1, c2, c3, c4, c5)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           NEW.dimension,
           NEW.service_type,
           COALESCE(NEW.channel, ''),
           COALESCE(NEW.customer_type, ''),
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

CREATE TRIGGER evaluation_scores_sums_update
AFTER UPDATE OF score, dimension, submitted_day, status, agent_id, service_type, channel, customer_type
ON evaluation_scores
BEGIN
    INSERT INTO score_sums (day, dimension, service_type, channel, customer_type, answered, score_sum, score_squares, c1, c2, c3, c4, c5)
    SELECT OLD.submitted_day,
           OLD.dimension,
           OLD.service_type,
           COALESCE(OLD.channel, ''),
           COALESCE(OLD.customer_type, ''),
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
    DELETE FROM score_sums WHERE day = OLD.submitted_day AND dimension = OLD.dimension AND service_type = OLD.service_type AND channel = COALESCE(OLD.channel, '') AND customer_type = COALESCE(OLD.customer_type, '') AND answered = 0;
    INSERT INTO agent_score_sums (agent_id, day, dimension, service_type, channel, customer_type, answered, score_sum, score_squares, c1, c2, c3, c4, c5)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           OLD.dimension,
           OLD.service_type,
           COALESCE(OLD.channel, ''),
           COALESCE(OLD.customer_type, ''),
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
    DELETE FROM agent_score_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND dimension = OLD.dimension AND service_type = OLD.service_type AND channel = COALESCE(OLD.channel, '') AND customer_type = COALESCE(OLD.customer_type, '') AND answered = 0;
    INSERT INTO score_sums (day, dimension, service_type, channel, customer_type, answered, score_sum, score_squares, c1, c2, c3, c4, c5)
    SELECT NEW.submitted_day,
           NEW.dimension,
           NEW.service_type,
           COALESCE(NEW.channel, ''),
           COALESCE(NEW.customer_type, ''),
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
    INSERT INTO agent_score_sums (agent_id, day, dimension, service_type, channel, customer_type, answered, score_sum, score_squares, c1, c2, c3, c4, c5)
    SELECT NEW.agent_id,
           NEW.submitted_day,
           NEW.dimension,
           NEW.service_type,
           COALESCE(NEW.channel, ''),
           COALESCE(NEW.customer_type, ''),
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

CREATE TRIGGER evaluation_scores_sums_delete AFTER DELETE ON evaluation_scores
BEGIN
    INSERT INTO score_sums (day, dimension, service_type, channel, customer_type, answered, score_sum, score_squares, c1, c2, c3, c4, c5)
    SELECT OLD.submitted_day,
           OLD.dimension,
           OLD.service_type,
           COALESCE(OLD.channel, ''),
           COALESCE(OLD.customer_type, ''),
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
    DELETE FROM score_sums WHERE day = OLD.submitted_day AND dimension = OLD.dimension AND service_type = OLD.service_type AND channel = COALESCE(OLD.channel, '') AND customer_type = COALESCE(OLD.customer_type, '') AND answered = 0;
    INSERT INTO agent_score_sums (agent_id, day, dimension, service_type, channel, customer_type, answered, score_sum, score_squares, c1, c2, c3, c4, c5)
    SELECT OLD.agent_id,
           OLD.submitted_day,
           OLD.dimension,
           OLD.service_type,
           COALESCE(OLD.channel, ''),
           COALESCE(OLD.customer_type, ''),
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
    DELETE FROM agent_score_sums WHERE agent_id = OLD.agent_id AND day = OLD.submitted_day AND dimension = OLD.dimension AND service_type = OLD.service_type AND channel = COALESCE(OLD.channel, '') AND customer_type = COALESCE(OLD.customer_type, '') AND answered = 0;
END;

CREATE TRIGGER evaluation_terms_sums_insert AFTER INSERT ON evaluation_terms
BEGIN
    INSERT INTO term_sums (day, overall, term, evaluations)
    SELECT NEW.submitted_day, e.overall, NEW.term, 1 FROM evaluations e
    WHERE e.id = NEW.evaluation_id AND e.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;

CREATE TRIGGER evaluation_terms_sums_update AFTER UPDATE ON evaluation_terms
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

CREATE TRIGGER evaluation_terms_sums_delete AFTER DELETE ON evaluation_terms
BEGIN
    INSERT INTO term_sums (day, overall, term, evaluations)
    SELECT OLD.submitted_day, e.overall, OLD.term, -1 FROM evaluations e
    WHERE e.id = OLD.evaluation_id AND e.status <> 'deleted'
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM term_sums WHERE evaluations = 0 AND day = OLD.submitted_day AND term = OLD.term
      AND overall = (SELECT e.overall FROM evaluations e WHERE e.id = OLD.evaluation_id);
END;

-- The reports read the sums above: the covering indexes they read before go (every submission
-- wrote them: one more for the evaluation, two for each of its scores).
DROP INDEX evaluations_agent_report;
DROP INDEX evaluation_scores_report;
DROP INDEX evaluation_scores_agent_report;
