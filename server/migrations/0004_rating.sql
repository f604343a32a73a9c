-- The rating flow: how long the form was open, and the idempotency keys that make a creating
-- request safe to retry.
--
-- Same conventions as 0001 (UTC `YYYY-MM-DDTHH:MM:SSZ` text times written by the server,
-- INTEGER 0/1 booleans, INTEGER PRIMARY KEY ids, enumerations guarded by CHECK).

-- Seconds the rating form was open before it was submitted, as the app measured it (NULL when
-- the client did not say); the anomaly rules read it.
ALTER TABLE evaluations ADD COLUMN form_seconds INTEGER CHECK (form_seconds IS NULL OR form_seconds >= 0);

-- A customer's history, newest first.
CREATE INDEX evaluations_customer_submitted ON evaluations (customer_id, submitted_at);

-- The first answer to a creating request sent with an `Idempotency-Key`, per user: a retry
-- with the same key and the same body gets it again; the same key with another body is
-- refused. Written in the same transaction as what the request created, so both or neither
-- exist. Keys older than a day are forgotten.
CREATE TABLE idempotency_keys (
    user_id       INTEGER NOT NULL REFERENCES users (id),
    key           TEXT    NOT NULL CHECK (length(key) BETWEEN 8 AND 128),
    -- `POST /api/v1/evaluations`: a key is bound to the route it was first used on.
    route         TEXT    NOT NULL,
    -- SHA-256 of the request body, lowercase hex.
    request_hash  TEXT    NOT NULL CHECK (length(request_hash) = 64),
    status        INTEGER NOT NULL,
    -- The `Location` header sent with it, if any.
    location      TEXT,
    -- The response body as sent (JSON).
    response      TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
