-- Several instances on one database (issue 23). Written for both databases (PostgreSQL's copy
-- in postgres/); on SQLite, one instance per file, the server keeps these in memory and the
-- tables stay empty.

-- Which instance runs a scheduled job (the report mails, the invitation scheduler, the due
-- checks, the event fan-out) until when: another instance takes a job over only once its
-- lease ran out (`db::leases`).
CREATE TABLE worker_leases (
    name        TEXT NOT NULL PRIMARY KEY,
    holder      TEXT NOT NULL,
    taken_at    TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

-- Look-ups of rating links and sign-in code requests per client address, counted across the
-- instances (`http::limiter`): which limiter, the address, when, and whether it failed.
CREATE TABLE address_lookups (
    id        INTEGER PRIMARY KEY,
    limiter   TEXT    NOT NULL,
    address   TEXT    NOT NULL,
    at        TEXT    NOT NULL,
    failed    INTEGER NOT NULL CHECK (failed IN (0, 1))
);

CREATE INDEX address_lookups_address ON address_lookups (limiter, address, at);
CREATE INDEX address_lookups_at ON address_lookups (at);
