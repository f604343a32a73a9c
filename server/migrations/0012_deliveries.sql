-- Everything that leaves the system (issue 19): one durable queue of deliveries (e-mail, SMS
-- through the admin's HTTP gateway, signed webhooks), the channels' settings, and the report
-- mails moved onto the queue.

CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY,
    -- The id the receiver sees, the same on every attempt: the mail's Message-ID, the
    -- webhook's `webhook-id`, the SMS gateway's {{reference}}.
    message_id       TEXT    NOT NULL UNIQUE,
    -- Enqueuing the same message twice is a no-op: `report:12:3:ops@example.com`,
    -- `invitation:5:sms`, `test:<random>`.
    dedupe_key       TEXT    NOT NULL UNIQUE,
    channel          TEXT    NOT NULL CHECK (channel IN ('email', 'sms', 'webhook')),
    purpose          TEXT    NOT NULL CHECK (purpose IN ('report', 'test', 'invitation',
                                 'reminder', 'one_time_code', 'notification')),
    -- What it is about ('report', 12), ('invitation', 5); both NULL for a test.
    subject_kind     TEXT,
    subject_id       INTEGER,
    -- The e-mail address, the phone number or the webhook's URL.
    recipient        TEXT    NOT NULL,
    -- The rendered message (JSON): {"kind":"email","subject","text","html"},
    -- {"kind":"sms","text"}, {"kind":"webhook","event_type","body"}.
    content          TEXT    NOT NULL CHECK (json_valid(content)),
    -- What the log shows: the mail's subject, the SMS's text, the webhook's event type.
    summary          TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'sending', 'retrying', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    -- When the worker took it ('sending').
    claimed_at       TEXT,
    -- Why the last attempt failed, in words.
    last_error       TEXT,
    created_at       TEXT    NOT NULL,
    sent_at          TEXT,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CHECK (status NOT IN ('queued', 'retrying') OR next_attempt_at IS NOT NULL),
    CHECK ((status = 'sending') = (claimed_at IS NOT NULL)),
    CHECK ((subject_kind IS NULL) = (subject_id IS NULL))
);

CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_subject ON deliveries (subject_kind, subject_id);
CREATE INDEX deliveries_created ON deliveries (created_at);

-- A report mail: which subscription it is for (the delivery's subject is the report).
CREATE TABLE report_mails (
    delivery_id      INTEGER PRIMARY KEY REFERENCES deliveries (id),
    report_id        INTEGER NOT NULL REFERENCES reports (id),
    subscription_id  INTEGER NOT NULL REFERENCES report_subscriptions (id)
);

CREATE INDEX report_mails_report ON report_mails (report_id);
CREATE INDEX report_mails_subscription ON report_mails (subscription_id);

-- The mails sent or given up before the queue are kept in it, under the dedupe key the report
-- worker uses, so none is sent again. Those still waiting are enqueued again by the report
-- worker's next run (rendered then, their attempts counted from 0).
INSERT INTO deliveries (message_id, dedupe_key, channel, purpose, subject_kind, subject_id,
        recipient, content, summary, status, attempts, next_attempt_at, claimed_at,
        last_error, created_at, sent_at)
SELECT 'msg_' || lower(hex(randomblob(16))),
       'report:' || d.report_id || ':' || d.subscription_id || ':' || d.address,
       'email', 'report', 'report', d.report_id, d.address,
       '{"kind":"email","subject":"","text":"","html":""}',
       r.kind || ' ' || r.period_key,
       d.status, d.attempts, NULL, NULL, d.last_error, d.created_at, d.sent_at
FROM report_deliveries d JOIN reports r ON r.id = d.report_id
WHERE d.status IN ('sent', 'failed');

INSERT INTO report_mails (delivery_id, report_id, subscription_id)
SELECT n.id, d.report_id, d.subscription_id
FROM report_deliveries d
JOIN deliveries n
  ON n.dedupe_key = 'report:' || d.report_id || ':' || d.subscription_id || ':' || d.address
WHERE d.status IN ('sent', 'failed');

DROP TABLE report_deliveries;

-- The SMS gateway; one row at most. The secret is never sent back by the API.
CREATE TABLE sms_gateway (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    url             TEXT    NOT NULL,
    method          TEXT    NOT NULL CHECK (method IN ('post', 'put', 'get')),
    -- A JSON array of {"name", "value"}.
    headers         TEXT    NOT NULL CHECK (json_valid(headers)),
    body_template   TEXT    NOT NULL,
    content_type    TEXT    NOT NULL CHECK (content_type IN ('json', 'form')),
    success_json_field     TEXT,
    success_json_value     TEXT,
    success_body_contains  TEXT,
    secret          TEXT,
    updated_at      TEXT    NOT NULL,
    updated_by      INTEGER REFERENCES users (id)
);

-- The webhook channel; one row at most. The secret (`whsec_…`) is shown once when made.
CREATE TABLE webhook_channel (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    url         TEXT    NOT NULL,
    secret      TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    updated_by  INTEGER REFERENCES users (id)
);
