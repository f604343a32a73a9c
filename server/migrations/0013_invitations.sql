-- Rating invitations (issue 19): one per service record, to its customer, carrying a link
-- `/r/{token}` that opens the record's rating form without signing in.

CREATE TABLE invitations (
    id                 INTEGER PRIMARY KEY,
    -- A record is invited once; a reminder or a resend issues another link of the same
    -- invitation (`invitation_links`).
    service_record_id  INTEGER NOT NULL UNIQUE REFERENCES service_records (id),
    customer_id        INTEGER NOT NULL REFERENCES users (id),
    -- How it reached the customer; NULL until it was sent.
    channel            TEXT    CHECK (channel IN ('sms', 'email', 'webhook')),
    -- The last instant its links work for rating: the record's rating window close when the
    -- invitation was made (a rated record's link also works while its evaluation may be
    -- appealed).
    expires_at         TEXT    NOT NULL,
    -- Created (queued for sending).
    created_at         TEXT    NOT NULL,
    sent_at            TEXT,
    -- When a link of it was first opened (the rating form read through it).
    opened_at          TEXT,
    -- When its record was rated, through a link or signed in.
    rated_at           TEXT,
    -- Revoked by an admin: none of its links works any more.
    revoked_at         TEXT,
    -- The customer asked for no more invitations (from this one's message).
    opted_out_at       TEXT
);

CREATE INDEX invitations_customer ON invitations (customer_id, created_at);

-- The links of an invitation. Only the SHA-256 of a token is kept: the token (32 random bytes,
-- base64url) is in the message and nowhere else. An earlier link keeps working after a
-- reminder (`superseded_at` NULL) and stops when a resend replaces it.
CREATE TABLE invitation_links (
    id             INTEGER PRIMARY KEY,
    invitation_id  INTEGER NOT NULL REFERENCES invitations (id),
    -- Lowercase hex SHA-256 of the token.
    token_hash     TEXT    NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    issued_at      TEXT    NOT NULL,
    -- Replaced by a newer link of the same invitation: answered as revoked.
    superseded_at  TEXT
);

CREATE INDEX invitation_links_invitation ON invitation_links (invitation_id);
