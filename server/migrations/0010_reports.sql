-- Weekly and monthly reports (issue 11): the mail server, subscriptions, the reports kept
-- once their period closed, and one mail per report, subscription and address.

-- The mail server; one row at most. The password is never sent back by the API.
CREATE TABLE smtp_settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    host          TEXT    NOT NULL,
    port          INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security      TEXT    NOT NULL CHECK (security IN ('none', 'start_tls', 'tls')),
    username      TEXT,
    password      TEXT,
    from_address  TEXT    NOT NULL,
    from_name     TEXT    NOT NULL,
    -- Where links in mails point ('' for the server's own address).
    link_base     TEXT    NOT NULL DEFAULT '',
    updated_at    TEXT    NOT NULL,
    updated_by    INTEGER REFERENCES users (id)
);

CREATE TABLE report_subscriptions (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('week', 'month')),
    -- NULL: the whole company.
    team_id     INTEGER REFERENCES teams (id),
    -- A JSON array of e-mail addresses.
    recipients  TEXT    NOT NULL CHECK (json_valid(recipients) AND json_array_length(recipients) > 0),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_by  INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT    NOT NULL,
    -- The first period it gets: the last one closed when it was created.
    first_key   TEXT    NOT NULL,
    -- Removed subscriptions are kept for the mails already sent.
    removed_at  TEXT
);

-- A report as built once its period closed, kept as sent.
CREATE TABLE reports (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL CHECK (kind IN ('week', 'month')),
    period_key     TEXT    NOT NULL,
    -- 0: the whole company; otherwise the team's id.
    scope_team_id  INTEGER NOT NULL DEFAULT 0,
    generated_at   TEXT    NOT NULL,
    -- The report (JSON, the wire type `Report`).
    body           TEXT    NOT NULL CHECK (json_valid(body)),
    UNIQUE (kind, period_key, scope_team_id)
);

CREATE TABLE report_deliveries (
    id               INTEGER PRIMARY KEY,
    report_id        INTEGER NOT NULL REFERENCES reports (id),
    subscription_id  INTEGER NOT NULL REFERENCES report_subscriptions (id),
    address          TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'retrying', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    last_error       TEXT,
    sent_at          TEXT,
    created_at       TEXT    NOT NULL,
    UNIQUE (report_id, subscription_id, address),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CHECK (status NOT IN ('pending', 'retrying') OR next_attempt_at IS NOT NULL)
);

CREATE INDEX report_deliveries_due ON report_deliveries (status, next_attempt_at);
CREATE INDEX report_deliveries_report ON report_deliveries (report_id);
