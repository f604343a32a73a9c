-- Staff have an e-mail address too (issue 21): where the notifications they turned on for
-- e-mail go (`notification_settings.email`, per kind). 0011 allowed an address for customers
-- only (a column CHECK), and SQLite cannot drop a CHECK, so `users` is rebuilt as SQLite's
-- ALTER TABLE page describes, with foreign keys off (migrations run so, `db::migrate`, which
-- checks every reference afterwards; with them on, dropping the old table would run the other
-- tables' ON DELETE actions). Nothing else changes: same columns, constraints and indexes;
-- ids are kept, so every reference stays valid.

CREATE TABLE users_rebuilt (
    id             INTEGER PRIMARY KEY,
    role           TEXT    NOT NULL
                   CHECK (role IN ('customer', 'agent', 'team_lead', 'qa_inspector', 'admin')),
    display_name   TEXT    NOT NULL,
    employee_no    TEXT    UNIQUE,
    customer_no    TEXT    UNIQUE,
    member_no      TEXT    UNIQUE,
    phone          TEXT    UNIQUE,
    customer_type  TEXT    CHECK (customer_type IN ('new', 'returning', 'member')),
    team_id        INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    password_hash  TEXT,
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at     TEXT    NOT NULL,
    -- Any role: trimmed and lower-cased by the server (`users::normalize_email`).
    email          TEXT,
    customer_no_generated INTEGER NOT NULL DEFAULT 0
        CHECK (customer_no_generated IN (0, 1) AND (customer_no_generated = 0 OR role = 'customer')),
    invitations_opted_out_at TEXT
        CHECK (invitations_opted_out_at IS NULL OR role = 'customer'),
    CHECK ((role = 'customer') = (customer_no IS NOT NULL)),
    CHECK (role = 'customer' OR (customer_type IS NULL AND member_no IS NULL AND phone IS NULL)),
    CHECK (role <> 'customer' OR employee_no IS NULL),
    CHECK (member_no IS NULL OR customer_type = 'member')
);

INSERT INTO users_rebuilt (id, role, display_name, employee_no, customer_no, member_no, phone,
                           customer_type, team_id, password_hash, disabled, created_at, email,
                           customer_no_generated, invitations_opted_out_at)
SELECT id, role, display_name, employee_no, customer_no, member_no, phone, customer_type,
       team_id, password_hash, disabled, created_at, email, customer_no_generated,
       invitations_opted_out_at
FROM users;

DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;

CREATE INDEX users_team ON users (team_id);
-- A customer's address is theirs alone (their messages and sign-in codes go to it); staff may
-- share one (a team's mailbox), and a customer may have the address a staff member has.
CREATE UNIQUE INDEX users_email ON users (email) WHERE role = 'customer';

-- Each kind of notification by e-mail too (off unless turned on).
ALTER TABLE notification_settings ADD COLUMN email INTEGER NOT NULL DEFAULT 0
    CHECK (email IN (0, 1));
