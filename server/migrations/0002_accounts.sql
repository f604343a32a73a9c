-- Accounts: sessions, the login attempts throttling reads, and the append-only audit log.
--
-- Same conventions as 0001 (UTC `YYYY-MM-DDTHH:MM:SSZ` text times written by the server,
-- INTEGER 0/1 booleans, INTEGER PRIMARY KEY ids).

-- A signed-in browser. The cookie holds a random token; only its SHA-256 (lowercase hex) is
-- stored, so a copy of the database does not let anyone sign in.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    token_hash    TEXT    NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    created_at    TEXT    NOT NULL,
    -- Sliding idle expiry: refreshed at most once a minute while the session is used.
    last_seen_at  TEXT    NOT NULL,
    -- Absolute expiry, whatever the activity.
    expires_at    TEXT    NOT NULL,
    -- Set by a logout, a password change or reset, or disabling the user.
    revoked_at    TEXT,
    ip            TEXT    NOT NULL,
    user_agent    TEXT,
    CHECK (created_at <= last_seen_at AND created_at < expires_at)
);

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Every login attempt, kept a day, for throttling by login and by client address.
CREATE TABLE login_attempts (
    id         INTEGER PRIMARY KEY,
    -- The normalised login with its kind, e.g. `staff:E1001`, `customer:13800000001`.
    login_key  TEXT    NOT NULL,
    ip         TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    succeeded  INTEGER NOT NULL CHECK (succeeded IN (0, 1))
);

CREATE INDEX login_attempts_key_at ON login_attempts (login_key, at);
CREATE INDEX login_attempts_ip_at ON login_attempts (ip, at);
CREATE INDEX login_attempts_at ON login_attempts (at);

-- Who did what, when and from where. Append-only: the triggers below refuse every UPDATE and
-- DELETE (in PostgreSQL: a trigger function raising an exception, and no UPDATE/DELETE grant).
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             TEXT    NOT NULL,
    -- NULL when nobody was signed in (a failed login, for instance).
    actor_user_id  INTEGER REFERENCES users (id),
    actor_ip       TEXT,
    -- A dotted action name, e.g. `auth.login`, `user.updated`.
    action         TEXT    NOT NULL,
    target_type    TEXT,
    target_id      TEXT,
    -- A JSON object: old and new values, reasons, counts.
    details        TEXT    NOT NULL DEFAULT '{}'
                   CHECK (json_valid(details) AND json_type(details) = 'object')
);

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
