-- One-time sign-in codes (issue 19): a customer signs in with a 6-digit code sent to their
-- phone (SMS) or e-mail address. Same conventions as 0001.
--
-- One row per address: a new request replaces the earlier code (a new row, a new id). A row
-- is also kept for an address that is no active customer's (`user_id` NULL, nothing sent),
-- so that requesting and typing codes answer alike whether or not the address exists (no
-- account enumeration) and the one-a-minute rule holds for every address.
CREATE TABLE sign_in_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The normalised mobile number or e-mail address the code was asked for.
    address     TEXT    NOT NULL UNIQUE,
    channel     TEXT    NOT NULL CHECK (channel IN ('sms', 'email')),
    -- The customer it signs in; NULL: no active customer has this address (no code was sent,
    -- none can work).
    user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
    -- Lowercase hex SHA-256 of the salt, a colon and the code; the code itself is in the
    -- message only.
    code_hash   TEXT    NOT NULL CHECK (length(code_hash) = 64),
    salt        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    -- Wrong codes typed; at 5 the code is dead.
    tries       INTEGER NOT NULL DEFAULT 0 CHECK (tries >= 0),
    -- Signed in with it once.
    used_at     TEXT,
    -- Codes made for the address since `day_started_at` (this one included): at most 10 in
    -- 24 hours, so that guessing at one address stays hopeless (50 tries a day).
    day_started_at  TEXT    NOT NULL,
    day_codes       INTEGER NOT NULL CHECK (day_codes >= 1)
);

CREATE INDEX sign_in_codes_expires ON sign_in_codes (expires_at);
