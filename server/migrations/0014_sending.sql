-- Sending invitations (issue 19): the invitation settings and their eight message templates,
-- "do not invite" on a record, a customer's opt-out, and what the scheduler reads.

-- The settings of sending invitations; one row.
CREATE TABLE invitation_settings (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    -- Off until an admin switches it on: switching it on invites the records ended at least
    -- `delay_minutes` ago that are still in their rating window.
    enabled           INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    delay_minutes     INTEGER NOT NULL CHECK (delay_minutes >= 0),
    reminder_hours    INTEGER NOT NULL CHECK (reminder_hours >= 0),
    suppression_days  INTEGER NOT NULL CHECK (suppression_days >= 0),
    -- A JSON array of 'sms', 'email', 'webhook', each at most once.
    channel_order     TEXT    NOT NULL CHECK (json_valid(channel_order)),
    language          TEXT    NOT NULL CHECK (language IN ('zh', 'en')),
    updated_at        TEXT,
    updated_by        INTEGER REFERENCES users (id)
);

INSERT INTO invitation_settings (id, enabled, delay_minutes, reminder_hours, suppression_days,
        channel_order, language)
VALUES (1, 0, 30, 24, 7, '["sms","email","webhook"]', 'zh');

-- One template per channel (sms, email) x language x kind. Placeholders `{{name}}`; the link
-- (`{{link}}`) and the opt-out link (`{{opt_out}}`) are filled when the message is sent, so
-- a token is never stored.
CREATE TABLE message_templates (
    channel   TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    language  TEXT NOT NULL CHECK (language IN ('zh', 'en')),
    kind      TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    -- E-mail only.
    subject   TEXT,
    body      TEXT NOT NULL,
    PRIMARY KEY (channel, language, kind),
    CHECK ((channel = 'email') = (subject IS NOT NULL))
) WITHOUT ROWID;

INSERT INTO message_templates (channel, language, kind, subject, body) VALUES
('sms', 'zh', 'invitation', NULL,
 '{{customer_name}}您好，请为{{agent_name}}的{{service_type}}服务评价（{{window}}）：{{link}} 退订：{{opt_out}}'),
('sms', 'zh', 'reminder', NULL,
 '{{customer_name}}您好，您还未评价{{agent_name}}的服务，{{window}}可评：{{link}} 退订：{{opt_out}}'),
('sms', 'en', 'invitation', NULL,
 'Dear {{customer_name}}, please rate your {{service_type}} with {{agent_name}} {{window}}: {{link}} Stop: {{opt_out}}'),
('sms', 'en', 'reminder', NULL,
 'Dear {{customer_name}}, a reminder to rate your service with {{agent_name}} {{window}}: {{link}} Stop: {{opt_out}}'),
('email', 'zh', 'invitation', '请评价{{agent_name}}为您提供的服务',
 '{{customer_name}}您好：

感谢您联系我们（{{service_type}}）。请花一分钟评价{{agent_name}}为您提供的服务，您的意见会帮助我们改进。

立即评价：{{link}}

请在{{window}}完成评价。

如不希望再收到评价邀请，请点击：{{opt_out}}'),
('email', 'zh', 'reminder', '提醒：请评价{{agent_name}}为您提供的服务',
 '{{customer_name}}您好：

您还没有评价{{agent_name}}为您提供的{{service_type}}服务。评价只需一分钟：

{{link}}

请在{{window}}完成评价。

如不希望再收到评价邀请，请点击：{{opt_out}}'),
('email', 'en', 'invitation', 'How did {{agent_name}} do? Rate your service',
 'Dear {{customer_name}},

Thank you for contacting us ({{service_type}}). Please take a minute to rate the service {{agent_name}} gave you: your opinion helps us improve.

Rate it now: {{link}}

You can rate it {{window}}.

To receive no more rating invitations: {{opt_out}}'),
('email', 'en', 'reminder', 'Reminder: rate the service {{agent_name}} gave you',
 'Dear {{customer_name}},

You have not rated the {{service_type}} service {{agent_name}} gave you yet. It takes a minute:

{{link}}

You can rate it {{window}}.

To receive no more rating invitations: {{opt_out}}');

-- The helpdesk marked the record "do not invite" (ingestion, import): never invited.
ALTER TABLE service_records ADD COLUMN do_not_invite INTEGER NOT NULL DEFAULT 0
    CHECK (do_not_invite IN (0, 1));

-- The customer asked for no more invitations (the opt-out link of any message): from then on
-- none is queued for them.
ALTER TABLE users ADD COLUMN invitations_opted_out_at TEXT
    CHECK (invitations_opted_out_at IS NULL OR role = 'customer');

-- The invitation's message in the delivery queue (its first, or the last one sent by hand):
-- where its state "queued / failed / sent" comes from.
ALTER TABLE invitations ADD COLUMN delivery_id INTEGER REFERENCES deliveries (id);

-- The scheduler's look-up: records that may be due, by their end.
CREATE INDEX service_records_invitable ON service_records (ended_at) WHERE do_not_invite = 0;
-- Reminders: sent invitations not rated.
CREATE INDEX invitations_unanswered ON invitations (sent_at)
    WHERE rated_at IS NULL AND revoked_at IS NULL AND opted_out_at IS NULL;
CREATE INDEX invitations_delivery ON invitations (delivery_id);
