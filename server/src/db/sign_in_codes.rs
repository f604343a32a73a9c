//! One-time sign-in codes as stored (`sign_in_codes`): one row per address, the code hashed.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::sign_in_codes::{CodeAddress, CodeState, CodesMade};

use crate::time::{from_db, to_db};

/// Rows of codes that died this long ago are deleted.
const KEEP: Duration = Duration::days(1);

/// The active customer whose phone or e-mail address is `address`; staff never have one.
pub(crate) async fn customer_of(
    conn: &mut Conn,
    address: &CodeAddress,
) -> Result<Option<i64>, sqlx::Error> {
    let sql = match address {
        CodeAddress::Phone(_) => {
            "SELECT id FROM users WHERE role = 'customer' AND disabled = FALSE AND phone = ?"
        }
        CodeAddress::Email(_) => {
            "SELECT id FROM users WHERE role = 'customer' AND disabled = FALSE AND email = ?"
        }
    };
    sql::query_scalar(sql)
        .bind(address.as_str())
        .fetch_optional(conn)
        .await
}

/// Whether `user_id` is still an active customer (a code asked for before an admin disabled
/// the account must not sign it in).
pub(crate) async fn is_active_customer(conn: &mut Conn, user_id: i64) -> Result<bool, sqlx::Error> {
    sql::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = ? AND role = 'customer' AND disabled = FALSE)",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await
}

/// The codes made for `address` so far, if any.
pub(crate) async fn made(
    conn: &mut Conn,
    address: &CodeAddress,
) -> Result<Option<CodesMade>, sqlx::Error> {
    let row: Option<(String, String, i64)> = sql::query_as(
        "SELECT created_at, day_started_at, day_codes FROM sign_in_codes WHERE address = ?",
    )
    .bind(address.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(last, day_started, day_codes)| {
        Ok(CodesMade {
            last: from_db(&last)?,
            day_started: from_db(&day_started)?,
            day_codes: u32::try_from(day_codes).unwrap_or(u32::MAX),
        })
    })
    .transpose()
}

/// A code to store.
pub(crate) struct NewCode<'a> {
    pub(crate) address: &'a CodeAddress,
    pub(crate) user_id: Option<i64>,
    pub(crate) code_hash: &'a str,
    pub(crate) salt: &'a str,
    pub(crate) now: DateTime<Utc>,
    pub(crate) expires_at: DateTime<Utc>,
    /// The day window's start and count with this code (`sign_in_codes::next_code`).
    pub(crate) day: (DateTime<Utc>, u32),
}

/// Stores `code` for its address, replacing the earlier one: the new row's id. Forgets the
/// rows of codes dead for a day.
pub(crate) async fn replace(conn: &mut Conn, code: &NewCode<'_>) -> Result<i64, sqlx::Error> {
    sql::query("DELETE FROM sign_in_codes WHERE address = ? OR expires_at < ?")
        .bind(code.address.as_str())
        .bind(to_db(code.now - KEEP))
        .execute(&mut *conn)
        .await?;
    sql::query_scalar(
        "INSERT INTO sign_in_codes (address, channel, user_id, code_hash, salt, created_at,
             expires_at, day_started_at, day_codes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(code.address.as_str())
    .bind(code.address.channel().as_str())
    .bind(code.user_id)
    .bind(code.code_hash)
    .bind(code.salt)
    .bind(to_db(code.now))
    .bind(to_db(code.expires_at))
    .bind(to_db(code.day.0))
    .bind(code.day.1)
    .fetch_one(conn)
    .await
}

/// The code of an address, as checked.
pub(crate) struct StoredCode {
    pub(crate) id: i64,
    pub(crate) user_id: Option<i64>,
    pub(crate) code_hash: String,
    pub(crate) salt: String,
    pub(crate) state: CodeState,
}

#[derive(sqlx::FromRow)]
struct CodeRow {
    id: i64,
    user_id: Option<i64>,
    code_hash: String,
    salt: String,
    expires_at: String,
    tries: i64,
    used: bool,
}

/// The code stored for `address`, if any.
pub(crate) async fn find(
    conn: &mut Conn,
    address: &CodeAddress,
) -> Result<Option<StoredCode>, sqlx::Error> {
    let row: Option<CodeRow> = sql::query_as(
        "SELECT id, user_id, code_hash, salt, expires_at, tries, used_at IS NOT NULL AS used
         FROM sign_in_codes WHERE address = ?",
    )
    .bind(address.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(StoredCode {
            id: r.id,
            user_id: r.user_id,
            code_hash: r.code_hash,
            salt: r.salt,
            state: CodeState {
                expires_at: from_db(&r.expires_at)?,
                tries: u32::try_from(r.tries).unwrap_or(u32::MAX),
                used: r.used,
            },
        })
    })
    .transpose()
}

/// One more wrong code typed for the code `id`.
pub(crate) async fn count_try(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    sql::query("UPDATE sign_in_codes SET tries = tries + 1 WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The code `id` signed in at `now`: it works no more. `false` when it was used already (by
/// a request at the same moment).
pub(crate) async fn use_up(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sql::query("UPDATE sign_in_codes SET used_at = ? WHERE id = ? AND used_at IS NULL")
        .bind(to_db(now))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
