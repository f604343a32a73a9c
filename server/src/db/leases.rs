//! Leases of the scheduled jobs between the instances sharing a PostgreSQL database
//! (`services::jobs::exclusive`), and the per-address look-ups the instances count together
//! (`http::limiter`).

use chrono::{DateTime, Utc};

use crate::db::sql::{self, Conn};
use crate::time::{from_db, to_db};

/// Takes the lease `name` for `holder` until `until`, when nobody holds it, `holder` already
/// does, or its holder's lease ran out by `now`: whether it is `holder`'s now.
pub(crate) async fn take(
    conn: &mut Conn,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let taken: Option<String> = sql::query_scalar(
        "INSERT INTO worker_leases (name, holder, taken_at, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE
             SET holder = excluded.holder, taken_at = excluded.taken_at,
                 expires_at = excluded.expires_at
             WHERE worker_leases.holder = excluded.holder
                OR worker_leases.expires_at <= excluded.taken_at
         RETURNING holder",
    )
    .bind(name)
    .bind(holder)
    .bind(to_db(now))
    .bind(to_db(until))
    .fetch_optional(conn)
    .await?;
    Ok(taken.is_some())
}

/// Gives the lease `name` up, if `holder` still holds it.
pub(crate) async fn release(conn: &mut Conn, name: &str, holder: &str) -> Result<(), sqlx::Error> {
    sql::query("DELETE FROM worker_leases WHERE name = ? AND holder = ?")
        .bind(name)
        .bind(holder)
        .execute(conn)
        .await?;
    Ok(())
}

/// The look-ups by `limiter` from `address` since `since`, newest first, at most `limit`:
/// when, and whether each failed.
pub(crate) async fn lookups(
    conn: &mut Conn,
    limiter: &str,
    address: &str,
    since: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<(DateTime<Utc>, bool)>, sqlx::Error> {
    let rows: Vec<(String, bool)> = sql::query_as(
        "SELECT at, failed FROM address_lookups
         WHERE limiter = ? AND address = ? AND at > ? ORDER BY at DESC LIMIT ?",
    )
    .bind(limiter)
    .bind(address)
    .bind(to_db(since))
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(at, failed)| Ok((from_db(&at)?, failed)))
        .collect()
}

/// Counts a look-up by `limiter` from `address` at `now`; with `forget_before`, first deletes
/// every look-up older than it (of any limiter and address).
pub(crate) async fn note_lookup(
    conn: &mut Conn,
    limiter: &str,
    address: &str,
    now: DateTime<Utc>,
    failed: bool,
    forget_before: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    if let Some(before) = forget_before {
        sql::query("DELETE FROM address_lookups WHERE at < ?")
            .bind(to_db(before))
            .execute(&mut *conn)
            .await?;
    }
    sql::query("INSERT INTO address_lookups (limiter, address, at, failed) VALUES (?, ?, ?, ?)")
        .bind(limiter)
        .bind(address)
        .bind(to_db(now))
        .bind(failed)
        .execute(conn)
        .await?;
    Ok(())
}
