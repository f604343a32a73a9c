-- Pingjia core schema: people, teams, the rating catalogue and the service records.
--
-- Conventions (kept so the same schema can be ported to PostgreSQL):
-- * Times are UTC in one fixed, sortable RFC 3339 format, `YYYY-MM-DDTHH:MM:SSZ`, stored as
--   TEXT and always written by the server (never a database default), so text order is time
--   order and range filters are plain comparisons.
-- * Booleans are INTEGER 0/1 with a CHECK.
-- * Enumerations are the wire strings of `pingjia_domain::wire`, guarded by CHECK constraints.
-- * Ids are INTEGER PRIMARY KEY (an identity column in PostgreSQL).
-- * `teams.lead_user_id` and `users.team_id` reference each other; SQLite accepts the forward
--   reference, PostgreSQL needs the team lead's constraint added after `users` exists.

CREATE TABLE teams (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    lead_user_id  INTEGER REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    role           TEXT    NOT NULL
                   CHECK (role IN ('customer', 'agent', 'team_lead', 'qa_inspector', 'admin')),
    display_name   TEXT    NOT NULL,
    -- Staff number (E1001, L0001, Q0001, A0001); staff sign in with it.
    employee_no    TEXT    UNIQUE,
    -- Customer number from the helpdesk (C000123); customers only.
    customer_no    TEXT    UNIQUE,
    -- Membership number (M000123); member customers only.
    member_no      TEXT    UNIQUE,
    -- Mobile phone; customers sign in with it.
    phone          TEXT    UNIQUE,
    customer_type  TEXT    CHECK (customer_type IN ('new', 'returning', 'member')),
    team_id        INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    -- Set when accounts get passwords (argon2id PHC string); NULL means no password yet.
    password_hash  TEXT,
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at     TEXT    NOT NULL,
    CHECK ((role = 'customer') = (customer_no IS NOT NULL)),
    CHECK (role = 'customer' OR (customer_type IS NULL AND member_no IS NULL AND phone IS NULL)),
    CHECK (role <> 'customer' OR employee_no IS NULL),
    CHECK (member_no IS NULL OR customer_type = 'member')
);

CREATE INDEX users_team ON users (team_id);

-- The dimension library (评价维度); archived dimensions stay for history.
CREATE TABLE dimensions (
    code            TEXT    PRIMARY KEY,
    name_zh         TEXT    NOT NULL,
    name_en         TEXT    NOT NULL,
    description_zh  TEXT    NOT NULL,
    description_en  TEXT    NOT NULL,
    archived        INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    position        INTEGER NOT NULL
);

-- Service types (评价类型).
CREATE TABLE service_types (
    code      TEXT    PRIMARY KEY,
    name_zh   TEXT    NOT NULL,
    name_en   TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    archived  INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
);

-- The ordered dimension set of each service type.
CREATE TABLE service_type_dimensions (
    service_type  TEXT    NOT NULL REFERENCES service_types (code) ON DELETE CASCADE,
    dimension     TEXT    NOT NULL REFERENCES dimensions (code),
    position      INTEGER NOT NULL,
    optional      INTEGER NOT NULL DEFAULT 0 CHECK (optional IN (0, 1)),
    PRIMARY KEY (service_type, dimension)
);

-- What gets rated (服务记录), as imported from the company's helpdesk.
CREATE TABLE service_records (
    id                      INTEGER PRIMARY KEY,
    -- The helpdesk's own id; imports and the ingestion endpoint are idempotent on it.
    external_id             TEXT    NOT NULL UNIQUE,
    customer_id             INTEGER NOT NULL REFERENCES users (id),
    agent_id                INTEGER NOT NULL REFERENCES users (id),
    service_type            TEXT    NOT NULL REFERENCES service_types (code),
    channel                 TEXT    NOT NULL CHECK (channel IN ('online', 'offline')),
    started_at              TEXT    NOT NULL,
    ended_at                TEXT    NOT NULL,
    order_no                TEXT,
    urgency                 TEXT    NOT NULL CHECK (urgency IN ('high', 'normal', 'low')),
    category                TEXT    NOT NULL
                            CHECK (category IN ('consultation', 'complaint', 'suggestion', 'praise')),
    -- JSON array of strings, e.g. ["物流延迟","退换货"].
    tags                    TEXT    NOT NULL DEFAULT '[]',
    requested_at            TEXT    NOT NULL,
    first_response_at       TEXT,
    resolved_at             TEXT,
    resolved_first_contact  INTEGER NOT NULL DEFAULT 0 CHECK (resolved_first_contact IN (0, 1)),
    created_at              TEXT    NOT NULL,
    CHECK (requested_at <= started_at),
    CHECK (started_at <= ended_at),
    CHECK (first_response_at IS NULL OR requested_at <= first_response_at),
    CHECK (resolved_at IS NULL OR ended_at <= resolved_at)
);

CREATE INDEX service_records_started ON service_records (started_at);
CREATE INDEX service_records_agent_started ON service_records (agent_id, started_at);
CREATE INDEX service_records_customer ON service_records (customer_id);
CREATE INDEX service_records_type_started ON service_records (service_type, started_at);
