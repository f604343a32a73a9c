-- Moderation of anomalous evaluations (评价审核): the flags the anomaly rules set at
-- submission, the admins' decisions, the abusive-word lexicon, and what the rules look up.
--
-- Same conventions as 0001 (UTC `YYYY-MM-DDTHH:MM:SSZ` text times written by the server,
-- INTEGER 0/1 booleans, INTEGER PRIMARY KEY ids, enumerations guarded by CHECK).
--
-- `evaluations.status` (0003) is the moderation state: a flagged evaluation is
-- `under_review` (still counted), an admin keeps it (`active`) or deletes it (`deleted`:
-- hidden from every statistic, never erased) and may restore it (`active`).

-- The normalised suggestion (`pingjia_domain::anomalies::normalize_text`) that duplicates are
-- looked up by; '' when nothing is left of it. Written by the server at submission, and for
-- rows written otherwise (the demo) the next time a submission looks (the partial index
-- finds them).
ALTER TABLE evaluations ADD COLUMN suggestion_key TEXT;

CREATE INDEX evaluations_suggestion_key ON evaluations (suggestion_key, submitted_at)
    WHERE suggestion_key IS NOT NULL;
CREATE INDEX evaluations_unkeyed ON evaluations (id)
    WHERE suggestion IS NOT NULL AND suggestion_key IS NULL;
-- Bursts: one customer's evaluations of one agent, by time.
CREATE INDEX evaluations_customer_agent_submitted
    ON evaluations (customer_id, agent_id, submitted_at);
CREATE INDEX evaluations_status_submitted ON evaluations (status, submitted_at);

-- Each rule that flagged an evaluation; kept as history whatever is decided.
CREATE TABLE evaluation_flags (
    id             INTEGER PRIMARY KEY,
    evaluation_id  INTEGER NOT NULL REFERENCES evaluations (id),
    rule           TEXT    NOT NULL
                   CHECK (rule IN ('extreme', 'inconsistent', 'brushing_burst',
                                   'brushing_duplicate_text', 'too_fast', 'abusive')),
    -- What the rule found: `pingjia_domain::anomalies::Finding` as a JSON object (its `rule`
    -- tag and numbers), from which the words are written in either language.
    detail         TEXT    NOT NULL CHECK (json_valid(detail) AND json_type(detail) = 'object'),
    created_at     TEXT    NOT NULL,
    UNIQUE (evaluation_id, rule)
);

CREATE INDEX evaluation_flags_rule ON evaluation_flags (rule, evaluation_id);

-- Every admin decision on an evaluation, never changed; the latest one is its current say.
CREATE TABLE moderation_decisions (
    id             INTEGER PRIMARY KEY,
    evaluation_id  INTEGER NOT NULL REFERENCES evaluations (id),
    decision       TEXT    NOT NULL CHECK (decision IN ('keep', 'delete', 'restore')),
    reason         TEXT    NOT NULL CHECK (length(trim(reason)) > 0),
    decided_by     INTEGER NOT NULL REFERENCES users (id),
    decided_at     TEXT    NOT NULL
);

CREATE INDEX moderation_decisions_evaluation ON moderation_decisions (evaluation_id, id);
CREATE INDEX moderation_decisions_decided ON moderation_decisions (decided_at);

-- The abusive-word lexicon admins edit; terms are stored lower-cased. Single characters that
-- are common in ordinary words (滚 as in 滚动) are shipped only in phrases (滚蛋, 滚开).
CREATE TABLE abusive_terms (
    term      TEXT    PRIMARY KEY COLLATE NOCASE CHECK (length(trim(term)) > 0),
    -- NULL for the terms shipped here.
    added_by  INTEGER REFERENCES users (id),
    added_at  TEXT    NOT NULL
);

INSERT INTO abusive_terms (term, added_at)
SELECT term, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM (
    SELECT '垃圾' AS term UNION ALL SELECT '骗子' UNION ALL SELECT '傻逼' UNION ALL SELECT '傻b'
    UNION ALL SELECT 'sb客服' UNION ALL SELECT '煞笔' UNION ALL SELECT '滚蛋' UNION ALL SELECT '滚开'
    UNION ALL SELECT '去死'
    UNION ALL SELECT '死全家' UNION ALL SELECT '脑残' UNION ALL SELECT '白痴' UNION ALL SELECT '废物'
    UNION ALL SELECT '混蛋' UNION ALL SELECT '王八蛋' UNION ALL SELECT '狗东西' UNION ALL SELECT '畜生'
    UNION ALL SELECT '妈的' UNION ALL SELECT '操你' UNION ALL SELECT '草泥马'
    UNION ALL SELECT '贱人'
    UNION ALL SELECT 'idiot' UNION ALL SELECT 'stupid' UNION ALL SELECT 'moron'
    UNION ALL SELECT 'dumb' UNION ALL SELECT 'scam'
    UNION ALL SELECT 'bastard' UNION ALL SELECT 'bitch' UNION ALL SELECT 'asshole'
    UNION ALL SELECT 'shit' UNION ALL SELECT 'crap' UNION ALL SELECT 'fuck'
    UNION ALL SELECT 'f*ck' UNION ALL SELECT 'f**k' UNION ALL SELECT 'fck' UNION ALL SELECT 'wtf'
    UNION ALL SELECT 'damn you' UNION ALL SELECT 'go to hell' UNION ALL SELECT 'screw you'
);

-- The audit log page filters by action.
CREATE INDEX audit_log_action ON audit_log (action, at);
