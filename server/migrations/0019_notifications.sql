-- The notification centre (issue 21): what each staff member is told in the app, once per
-- event, and their on/off per kind (a kind not listed is on).
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    event_id    INTEGER NOT NULL REFERENCES events (id),
    type        TEXT    NOT NULL,
    -- What it is about (an evaluation's number, an item, a period) and the app's page for it.
    subject     TEXT    NOT NULL,
    link        TEXT    NOT NULL,
    due_at      TEXT,
    created_at  TEXT    NOT NULL,
    read_at     TEXT,
    UNIQUE (user_id, event_id)
);

CREATE INDEX notifications_of_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

CREATE TABLE notification_settings (
    user_id  INTEGER NOT NULL REFERENCES users (id),
    type     TEXT    NOT NULL,
    in_app   INTEGER NOT NULL CHECK (in_app IN (0, 1)),
    PRIMARY KEY (user_id, type)
);
