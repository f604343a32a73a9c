-- Events and the endpoints that receive them (issue 21).
--
-- An action that causes an event records it in its own transaction (`events`, once per
-- `dedupe_key`: a retried request adds nothing); the delivery worker then fans each event out
-- to the endpoints that want it (one delivery each, rendered for the endpoint's kind), in the
-- order the events happened.

CREATE TABLE webhook_endpoints (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('webhook', 'wecom', 'dingtalk', 'feishu')),
    url              TEXT    NOT NULL,
    -- A signed webhook's `whsec_…` secret (Pingjia made it), or a DingTalk or Feishu robot's
    -- signing secret (its group's); NULL when the robot has none.
    secret           TEXT,
    -- JSON arrays: the event types wanted; the teams and service types it is limited to
    -- (every one when empty).
    events           TEXT    NOT NULL CHECK (json_valid(events)),
    team_ids         TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(team_ids)),
    service_types    TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(service_types)),
    enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    -- Why it is disabled: an admin's choice, or a day of failed attempts.
    disabled_reason  TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    -- Deleted endpoints stay for their deliveries' log.
    deleted_at       TEXT
);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    type           TEXT    NOT NULL,
    -- `evaluation.created:12`: the action that causes it records it once.
    dedupe_key     TEXT    NOT NULL UNIQUE,
    -- What it is about: ('evaluation', 12), ('appeal', 3).
    subject_kind   TEXT    NOT NULL,
    subject_id     INTEGER NOT NULL,
    created_at     TEXT    NOT NULL,
    -- The payload, rendered when the event is fanned out.
    data           TEXT    CHECK (data IS NULL OR json_valid(data)),
    fanned_out_at  TEXT
);

CREATE INDEX events_waiting ON events (id) WHERE fanned_out_at IS NULL;

-- A delivery to a registered endpoint (NULL: the invitation's webhook channel, a mail, an SMS),
-- of which event, and the receiver's last answer.
ALTER TABLE deliveries ADD COLUMN endpoint_id INTEGER REFERENCES webhook_endpoints (id);
ALTER TABLE deliveries ADD COLUMN event_id INTEGER REFERENCES events (id);
ALTER TABLE deliveries ADD COLUMN response TEXT;

-- An endpoint's log, and the one delivery at its head (each endpoint's events go in order).
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, id) WHERE endpoint_id IS NOT NULL;
CREATE INDEX deliveries_endpoint_waiting ON deliveries (endpoint_id, id)
    WHERE status IN ('queued', 'retrying', 'sending');
