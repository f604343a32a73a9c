-- Kept sums of the service records (issue 22): the on-time, first-contact and handling figures
-- per day the service started (organisation's zone, UTC+8 as `time::ORG_UTC_OFFSET_SECONDS`)
-- and group, kept like the evaluations' (0022) by triggers in the transaction of every change.
-- `on_time`: responded within the urgency's SLA minutes (the settings, their defaults when
-- unset); when an SLA setting changes, the settings' transaction recomputes these tables
-- (`db::sums::rebuild_records`). A customer's type is their current one: a change of it moves
-- their records' sums.

CREATE TABLE record_sums (
    day              TEXT NOT NULL,
    service_type     TEXT NOT NULL,
    channel          TEXT NOT NULL,
    customer_type    TEXT NOT NULL,
    records          INTEGER NOT NULL,
    on_time          INTEGER NOT NULL,
    first_contact    INTEGER NOT NULL,
    resolved         INTEGER NOT NULL,
    handling_seconds INTEGER NOT NULL,
    PRIMARY KEY (day, service_type, channel, customer_type)
) WITHOUT ROWID;

CREATE TABLE agent_record_sums (
    agent_id         INTEGER NOT NULL,
    day              TEXT NOT NULL,
    service_type     TEXT NOT NULL,
    channel          TEXT NOT NULL,
    customer_type    TEXT NOT NULL,
    records          INTEGER NOT NULL,
    on_time          INTEGER NOT NULL,
    first_contact    INTEGER NOT NULL,
    resolved         INTEGER NOT NULL,
    handling_seconds INTEGER NOT NULL,
    PRIMARY KEY (agent_id, day, service_type, channel, customer_type)
) WITHOUT ROWID;

CREATE TRIGGER service_records_sums_insert AFTER INSERT ON service_records
BEGIN
    INSERT INTO record_sums (day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT date(NEW.started_at, '+28800 seconds'),
           NEW.service_type,
           NEW.channel,
           COALESCE((SELECT u.customer_type FROM users u WHERE u.id = NEW.customer_id), ''),
           1,
           COALESCE(NEW.response_seconds <= 60 * (CASE NEW.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0),
           NEW.resolved_first_contact,
           (NEW.handling_seconds IS NOT NULL),
           COALESCE(NEW.handling_seconds, 0)
    WHERE true
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
    INSERT INTO agent_record_sums (agent_id, day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT NEW.agent_id,
           date(NEW.started_at, '+28800 seconds'),
           NEW.service_type,
           NEW.channel,
           COALESCE((SELECT u.customer_type FROM users u WHERE u.id = NEW.customer_id), ''),
           1,
           COALESCE(NEW.response_seconds <= 60 * (CASE NEW.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0),
           NEW.resolved_first_contact,
           (NEW.handling_seconds IS NOT NULL),
           COALESCE(NEW.handling_seconds, 0)
    WHERE true
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
END;

CREATE TRIGGER service_records_sums_update
AFTER UPDATE OF started_at, agent_id, service_type, channel, customer_id, urgency, response_seconds, handling_seconds, resolved_first_contact
ON service_records
BEGIN
    INSERT INTO record_sums (day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT date(OLD.started_at, '+28800 seconds'),
           OLD.service_type,
           OLD.channel,
           COALESCE((SELECT u.customer_type FROM users u WHERE u.id = OLD.customer_id), ''),
           -(1),
           -(COALESCE(OLD.response_seconds <= 60 * (CASE OLD.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0)),
           -(OLD.resolved_first_contact),
           -((OLD.handling_seconds IS NOT NULL)),
           -(COALESCE(OLD.handling_seconds, 0))
    WHERE true
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
    DELETE FROM record_sums WHERE day = date(OLD.started_at, '+28800 seconds') AND service_type = OLD.service_type AND channel = OLD.channel AND customer_type = COALESCE((SELECT u.customer_type FROM users u WHERE u.id = OLD.customer_id), '') AND records = 0;
    INSERT INTO agent_record_sums (agent_id, day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT OLD.agent_id,
           date(OLD.started_at, '+28800 seconds'),
           OLD.service_type,
           OLD.channel,
           COALESCE((SELECT u.customer_type FROM users u WHERE u.id = OLD.customer_id), ''),
           -(1),
           -(COALESCE(OLD.response_seconds <= 60 * (CASE OLD.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0)),
           -(OLD.resolved_first_contact),
           -((OLD.handling_seconds IS NOT NULL)),
           -(COALESCE(OLD.handling_seconds, 0))
    WHERE true
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
    DELETE FROM agent_record_sums WHERE agent_id = OLD.agent_id AND day = date(OLD.started_at, '+28800 seconds') AND service_type = OLD.service_type AND channel = OLD.channel AND customer_type = COALESCE((SELECT u.customer_type FROM users u WHERE u.id = OLD.customer_id), '') AND records = 0;
    INSERT INTO record_sums (day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT date(NEW.started_at, '+28800 seconds'),
           NEW.service_type,
           NEW.channel,
           COALESCE((SELECT u.customer_type FROM users u WHERE u.id = NEW.customer_id), ''),
           1,
           COALESCE(NEW.response_seconds <= 60 * (CASE NEW.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0),
           NEW.resolved_first_contact,
           (NEW.handling_seconds IS NOT NULL),
           COALESCE(NEW.handling_seconds, 0)
    WHERE true
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
    INSERT INTO agent_record_sums (agent_id, day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT NEW.agent_id,
           date(NEW.started_at, '+28800 seconds'),
           NEW.service_type,
           NEW.channel,
           COALESCE((SELECT u.customer_type FROM users u WHERE u.id = NEW.customer_id), ''),
           1,
           COALESCE(NEW.response_seconds <= 60 * (CASE NEW.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0),
           NEW.resolved_first_contact,
           (NEW.handling_seconds IS NOT NULL),
           COALESCE(NEW.handling_seconds, 0)
    WHERE true
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
END;

CREATE TRIGGER service_records_sums_delete AFTER DELETE ON service_records
BEGIN
    INSERT INTO record_sums (day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT date(OLD.started_at, '+28800 seconds'),
           OLD.service_type,
           OLD.channel,
           COALESCE((SELECT u.customer_type FROM users u WHERE u.id = OLD.customer_id), ''),
           -(1),
           -(COALESCE(OLD.response_seconds <= 60 * (CASE OLD.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0)),
           -(OLD.resolved_first_contact),
           -((OLD.handling_seconds IS NOT NULL)),
           -(COALESCE(OLD.handling_seconds, 0))
    WHERE true
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
    DELETE FROM record_sums WHERE day = date(OLD.started_at, '+28800 seconds') AND service_type = OLD.service_type AND channel = OLD.channel AND customer_type = COALESCE((SELECT u.customer_type FROM users u WHERE u.id = OLD.customer_id), '') AND records = 0;
    INSERT INTO agent_record_sums (agent_id, day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT OLD.agent_id,
           date(OLD.started_at, '+28800 seconds'),
           OLD.service_type,
           OLD.channel,
           COALESCE((SELECT u.customer_type FROM users u WHERE u.id = OLD.customer_id), ''),
           -(1),
           -(COALESCE(OLD.response_seconds <= 60 * (CASE OLD.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0)),
           -(OLD.resolved_first_contact),
           -((OLD.handling_seconds IS NOT NULL)),
           -(COALESCE(OLD.handling_seconds, 0))
    WHERE true
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
    DELETE FROM agent_record_sums WHERE agent_id = OLD.agent_id AND day = date(OLD.started_at, '+28800 seconds') AND service_type = OLD.service_type AND channel = OLD.channel AND customer_type = COALESCE((SELECT u.customer_type FROM users u WHERE u.id = OLD.customer_id), '') AND records = 0;
END;

CREATE TRIGGER users_record_sums AFTER UPDATE OF customer_type ON users
WHEN OLD.customer_type IS NOT NEW.customer_type
BEGIN
    INSERT INTO record_sums (day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT date(r.started_at, '+28800 seconds'),
           r.service_type,
           r.channel,
           COALESCE(OLD.customer_type, ''),
           -SUM(1),
           -SUM(COALESCE(r.response_seconds <= 60 * (CASE r.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0)),
           -SUM(r.resolved_first_contact),
           -SUM((r.handling_seconds IS NOT NULL)),
           -SUM(COALESCE(r.handling_seconds, 0))
    FROM service_records r WHERE r.customer_id = OLD.id
    GROUP BY 1, 2, 3, 4
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
    DELETE FROM record_sums WHERE records = 0;
    INSERT INTO agent_record_sums (agent_id, day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT r.agent_id,
           date(r.started_at, '+28800 seconds'),
           r.service_type,
           r.channel,
           COALESCE(OLD.customer_type, ''),
           -SUM(1),
           -SUM(COALESCE(r.response_seconds <= 60 * (CASE r.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0)),
           -SUM(r.resolved_first_contact),
           -SUM((r.handling_seconds IS NOT NULL)),
           -SUM(COALESCE(r.handling_seconds, 0))
    FROM service_records r WHERE r.customer_id = OLD.id
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
    DELETE FROM agent_record_sums WHERE records = 0;
    INSERT INTO record_sums (day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT date(r.started_at, '+28800 seconds'),
           r.service_type,
           r.channel,
           COALESCE(NEW.customer_type, ''),
           SUM(1),
           SUM(COALESCE(r.response_seconds <= 60 * (CASE r.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0)),
           SUM(r.resolved_first_contact),
           SUM((r.handling_seconds IS NOT NULL)),
           SUM(COALESCE(r.handling_seconds, 0))
    FROM service_records r WHERE r.customer_id = NEW.id
    GROUP BY 1, 2, 3, 4
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
    INSERT INTO agent_record_sums (agent_id, day, service_type, channel, customer_type, records, on_time, first_contact, resolved, handling_seconds)
    SELECT r.agent_id,
           date(r.started_at, '+28800 seconds'),
           r.service_type,
           r.channel,
           COALESCE(NEW.customer_type, ''),
           SUM(1),
           SUM(COALESCE(r.response_seconds <= 60 * (CASE r.urgency WHEN 'high' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_high_minutes'), 15) WHEN 'normal' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_normal_minutes'), 120) WHEN 'low' THEN COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla_low_minutes'), 1440) END), 0)),
           SUM(r.resolved_first_contact),
           SUM((r.handling_seconds IS NOT NULL)),
           SUM(COALESCE(r.handling_seconds, 0))
    FROM service_records r WHERE r.customer_id = NEW.id
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT DO UPDATE SET
        records = records + excluded.records,
        on_time = on_time + excluded.on_time,
        first_contact = first_contact + excluded.first_contact,
        resolved = resolved + excluded.resolved,
        handling_seconds = handling_seconds + excluded.handling_seconds;
END;
