-- Internal QA (质检, seeds 002 and 003): checklist templates, inspection plans with their
-- stratified samples, inspections, and the rectification of items found wanting.
--
-- Same conventions as 0001 (UTC `YYYY-MM-DDTHH:MM:SSZ` text times written by the server,
-- `YYYY-MM-DD` dates in the organisation's zone, INTEGER 0/1 booleans, INTEGER PRIMARY KEY
-- ids, enumerations guarded by CHECK).

CREATE TABLE qa_templates (
    id              INTEGER PRIMARY KEY,
    name_zh         TEXT    NOT NULL,
    name_en         TEXT    NOT NULL,
    description_zh  TEXT    NOT NULL DEFAULT '',
    description_en  TEXT    NOT NULL DEFAULT '',
    updated_at      TEXT    NOT NULL
);

-- A template's dimensions (检查维度) in order; `levels` is a JSON array of
-- {score, text_zh, text_en} (the rubric's level descriptions, seed 003).
CREATE TABLE qa_dimensions (
    id           INTEGER PRIMARY KEY,
    template_id  INTEGER NOT NULL REFERENCES qa_templates (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name_zh      TEXT    NOT NULL,
    name_en      TEXT    NOT NULL,
    levels       TEXT    NOT NULL DEFAULT '[]'
);

CREATE INDEX qa_dimensions_template ON qa_dimensions (template_id, position);

-- A dimension's items (检查项目) with their standard (检查标准), in order.
CREATE TABLE qa_items (
    id            INTEGER PRIMARY KEY,
    dimension_id  INTEGER NOT NULL REFERENCES qa_dimensions (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    name_zh       TEXT    NOT NULL,
    name_en       TEXT    NOT NULL,
    standard_zh   TEXT    NOT NULL,
    standard_en   TEXT    NOT NULL
);

CREATE INDEX qa_items_dimension ON qa_items (dimension_id, position);

-- An inspection plan (检测计划). Its scope and strata are JSON arrays of the stored values;
-- `strata_json` keeps each stratum's parts, population and sample size as drawn.
CREATE TABLE qa_plans (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL,
    goal                TEXT    NOT NULL DEFAULT '',
    period_from         TEXT    NOT NULL CHECK (length(period_from) = 10),
    period_to           TEXT    NOT NULL CHECK (length(period_to) = 10),
    template_id         INTEGER NOT NULL REFERENCES qa_templates (id),
    service_types_json  TEXT    NOT NULL DEFAULT '[]',
    channels_json       TEXT    NOT NULL DEFAULT '[]',
    customer_types_json TEXT    NOT NULL DEFAULT '[]',
    strata_keys_json    TEXT    NOT NULL DEFAULT '[]',
    strata_json         TEXT    NOT NULL,
    seed                INTEGER NOT NULL CHECK (seed BETWEEN 0 AND 4294967295),
    created_by          INTEGER NOT NULL REFERENCES users (id),
    created_at          TEXT    NOT NULL,
    CHECK (period_from <= period_to)
);

CREATE TABLE qa_plan_inspectors (
    plan_id  INTEGER NOT NULL REFERENCES qa_plans (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (plan_id, user_id)
);

-- A sampled record, the stratum it was drawn from and the inspector it was dealt to.
CREATE TABLE qa_samples (
    id                 INTEGER PRIMARY KEY,
    plan_id            INTEGER NOT NULL REFERENCES qa_plans (id) ON DELETE CASCADE,
    service_record_id  INTEGER NOT NULL REFERENCES service_records (id),
    stratum            INTEGER NOT NULL CHECK (stratum >= 0),
    inspector_id       INTEGER NOT NULL REFERENCES users (id),
    UNIQUE (plan_id, service_record_id)
);

CREATE INDEX qa_samples_inspector ON qa_samples (inspector_id);

-- One inspection per sample.
CREATE TABLE qa_inspections (
    id            INTEGER PRIMARY KEY,
    sample_id     INTEGER NOT NULL UNIQUE REFERENCES qa_samples (id) ON DELETE CASCADE,
    inspector_id  INTEGER NOT NULL REFERENCES users (id),
    highlights    TEXT,
    -- Mean of the rubric scores (`qa::qa_score`).
    qa_score      REAL    NOT NULL CHECK (qa_score BETWEEN 1 AND 5),
    submitted_at  TEXT    NOT NULL
);

CREATE TABLE qa_answers (
    inspection_id  INTEGER NOT NULL REFERENCES qa_inspections (id) ON DELETE CASCADE,
    item_id        INTEGER NOT NULL REFERENCES qa_items (id),
    result         TEXT    NOT NULL
                   CHECK (result IN ('compliant', 'partly', 'non_compliant', 'not_applicable')),
    problem        TEXT,
    PRIMARY KEY (inspection_id, item_id)
);

CREATE TABLE qa_scores (
    inspection_id  INTEGER NOT NULL REFERENCES qa_inspections (id) ON DELETE CASCADE,
    dimension_id   INTEGER NOT NULL REFERENCES qa_dimensions (id),
    score          INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (inspection_id, dimension_id)
);

-- The rectification (整改) of an item found partly or not compliant.
CREATE TABLE qa_rectifications (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER NOT NULL REFERENCES qa_inspections (id) ON DELETE CASCADE,
    item_id        INTEGER NOT NULL REFERENCES qa_items (id),
    owner_id       INTEGER NOT NULL REFERENCES users (id),
    deadline       TEXT    NOT NULL CHECK (length(deadline) = 10),
    status         TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reported', 'closed')),
    result         TEXT    CHECK (result IN ('rectified', 'not_rectified', 'ongoing')),
    owner_note     TEXT,
    reported_at    TEXT,
    check_note     TEXT,
    checked_by     INTEGER REFERENCES users (id),
    checked_at     TEXT,
    UNIQUE (inspection_id, item_id)
);

CREATE INDEX qa_rectifications_owner ON qa_rectifications (owner_id, status);
CREATE INDEX qa_rectifications_status ON qa_rectifications (status, deadline);

-- The seed-002 checklist (客户服务质量标准检查表).
INSERT INTO qa_templates (id, name_zh, name_en, description_zh, description_en, updated_at) VALUES
(1, '客户服务质量标准检查表', 'Customer service quality checklist',
 '日常质量监控、专项问题排查、新员工考核及客户投诉复盘：对照检查标准逐项评定，“不符合”或“部分符合”须记录具体事件并整改。',
 'Routine monitoring, targeted reviews, probation assessments and complaint reviews: mark every item against its standard; record what happened and rectify every item found partly or not compliant.',
 '2026-01-01T00:00:00Z'),
-- The seed-003 rubric (售后服务质量检测评价表).
(2, '售后服务质量检测评价表', 'After-sales service quality rubric',
 '按 1-5 分评定五个维度；综合得分 = 客户评分 × 60% + 内部质检评分 × 40%，低于 3 分的维度须分析原因。',
 'Score five dimensions from 1 to 5; composite = customer score × 60 % + internal QA score × 40 %; find the cause of every dimension under 3.',
 '2026-01-01T00:00:00Z');

INSERT INTO qa_dimensions (id, template_id, position, name_zh, name_en, levels) VALUES
(1, 1, 1, '服务态度', 'Attitude', '[]'),
(2, 1, 2, '服务规范', 'Service standards', '[]'),
(3, 1, 3, '服务效率', 'Efficiency', '[]'),
(4, 1, 4, '问题解决能力', 'Problem solving', '[]'),
(5, 1, 5, '客户反馈跟进', 'Feedback follow-up', '[]'),
(6, 2, 1, '响应及时性', 'Timeliness of response',
 '[{"score":1,"text_zh":"首次响应超过24小时","text_en":"First response after more than 24 hours"},{"score":5,"text_zh":"15分钟内首次响应","text_en":"First response within 15 minutes"}]'),
(7, 2, 2, '问题解决效果', 'Resolution',
 '[{"score":1,"text_zh":"解决率低于60%","text_en":"Resolution rate under 60 %"},{"score":5,"text_zh":"解决率≥95%，无复发","text_en":"Resolution rate of 95 % or more, no recurrence"}]'),
(8, 2, 3, '服务专业性', 'Professionalism',
 '[{"score":1,"text_zh":"多次转接或错误解答","text_en":"Transferred repeatedly or answered wrongly"},{"score":5,"text_zh":"精准定位问题，提供最优方案","text_en":"Pinpointed the problem and offered the best solution"}]'),
(9, 2, 4, '客户沟通体验', 'Communication',
 '[{"score":1,"text_zh":"态度恶劣、沟通混乱","text_en":"Rude and confusing"},{"score":5,"text_zh":"主动倾听、清晰指引，客户满意度≥90%","text_en":"Listened, guided clearly, customer satisfaction of 90 % or more"}]'),
(10, 2, 5, '流程规范性', 'Process compliance',
 '[{"score":1,"text_zh":"关键流程缺失","text_en":"Key steps missing"},{"score":5,"text_zh":"全流程可追溯，回访率100%","text_en":"Every step traceable, every customer called back"}]');

INSERT INTO qa_items (id, dimension_id, position, name_zh, name_en, standard_zh, standard_en) VALUES
(1, 1, 1, '主动问候客户', 'Greets the customer',
 '首次接触客户时，使用“您好，请问有什么可以帮您？”等规范话术，语气亲切自然。',
 'Opens with the standard greeting ("Hello, how may I help you?") in a friendly, natural tone.'),
(2, 1, 2, '耐心倾听', 'Listens patiently',
 '客户表述过程中不随意打断，适时回应“嗯”“好的”等，保证理解客户核心需求。',
 'Does not interrupt; acknowledges ("I see", "OK") and makes sure of the customer''s core need.'),
(3, 1, 3, '情绪管理', 'Keeps calm',
 '面对客户投诉或质疑时，保持冷静，避免使用“这不是我们的责任”“您没看清说明吗”等推诿话术。',
 'Stays calm under complaints; never deflects ("not our responsibility", "didn''t you read the instructions?").'),
(4, 2, 1, '着装与仪态（线下/视频客服）', 'Dress and manner (in person / video)',
 '穿着统一工服，佩戴工牌，保持仪表整洁；坐姿端正，微笑服务，眼神交流自然。',
 'Uniform and badge, neat appearance; upright posture, smiles, natural eye contact.'),
(5, 2, 2, '话术准确性', 'Accurate wording',
 '使用公司统一话术（如产品介绍、收费标准、退换货政策），不擅自承诺或误导客户。',
 'Uses the company''s standard wording (products, fees, returns); makes no unauthorised promise and does not mislead.'),
(6, 2, 3, '信息保密', 'Confidentiality',
 '不主动询问与业务无关的客户隐私信息（如身份证号、家庭住址等），不泄露客户咨询内容。',
 'Asks for no private data unrelated to the case (ID number, home address); discloses nothing of the conversation.'),
(7, 3, 1, '响应速度', 'Response speed',
 '电话客服30秒内接听，在线客服2分钟内首次响应，紧急问题（如投诉）10分钟内响应。',
 'Phone answered within 30 s, first online reply within 2 min, urgent issues (complaints) within 10 min.'),
(8, 3, 2, '问题解决率', 'Resolution rate',
 '客户咨询/投诉首次解决率≥85%，无法当场解决的，明确告知处理时限（如“24小时内给您回复”）。',
 'First-contact resolution of 85 % or more; when not solvable at once, gives a clear time frame ("we will reply within 24 hours").'),
(9, 3, 3, '流程执行', 'Follows the process',
 '严格按照工单处理流程操作（如派单、跟进、关闭），避免跳步或遗漏环节。',
 'Follows the ticket process (dispatch, follow-up, closing) without skipping steps.'),
(10, 4, 1, '需求理解', 'Understands the need',
 '准确判断客户需求类型（如咨询、投诉、建议），不混淆业务场景。',
 'Identifies the kind of request (question, complaint, suggestion) correctly and does not confuse cases.'),
(11, 4, 2, '方案提供', 'Offers a solution',
 '针对客户问题提供具体解决方案（如“您可携带购买凭证和产品包装到门店办理退换货”），而非笼统回复。',
 'Gives a concrete solution ("bring the receipt and packaging to a store to exchange it"), not a vague answer.'),
(12, 4, 3, '异常处理', 'Escalates properly',
 '遇超出权限的问题时，及时上报主管并同步告知客户（如“您的问题我需要与技术部门确认，30分钟后给您答复”）。',
 'Escalates what is beyond their authority and tells the customer when to expect an answer.'),
(13, 5, 1, '满意度调查', 'Satisfaction survey',
 '结束服务后，主动邀请客户参与满意度评价（如“请问您对我们的服务是否满意？”），保证评价真实。',
 'Invites the customer to rate the service at the end, without steering the rating.'),
(14, 5, 2, '投诉跟进', 'Complaint follow-up',
 '对投诉客户，在问题解决后24小时内回访，确认客户对处理结果满意并记录反馈。',
 'Calls a complaining customer back within 24 hours of the resolution, confirms they are satisfied and records the feedback.');
