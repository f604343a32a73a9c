//! The helpdesk's API keys as stored: name, visible prefix, the secret's hash, when created,
//! last used and revoked.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::wire::ApiKey;

use crate::error::AppError;
use crate::time::{from_db, to_db};

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: i64,
    name: String,
    prefix: String,
    created_at: String,
    last_used_at: Option<String>,
    revoked_at: Option<String>,
}

impl KeyRow {
    fn into_key(self) -> Result<ApiKey, sqlx::Error> {
        Ok(ApiKey {
            id: self.id,
            name: self.name,
            prefix: self.prefix,
            created_at: from_db(&self.created_at)?,
            last_used_at: self.last_used_at.as_deref().map(from_db).transpose()?,
            revoked_at: self.revoked_at.as_deref().map(from_db).transpose()?,
        })
    }
}

const KEY_SELECT: &str =
    "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys";

/// The key `id`; not found is a 404.
pub(crate) async fn key(conn: &mut Conn, id: i64) -> Result<ApiKey, AppError> {
    let row: KeyRow = sql::query_as(&format!("{KEY_SELECT} WHERE id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The API key {id}")))?;
    Ok(row.into_key()?)
}

/// Every key, newest first.
pub(crate) async fn keys(conn: &mut Conn) -> Result<Vec<ApiKey>, sqlx::Error> {
    let rows: Vec<KeyRow> = sql::query_as(&format!("{KEY_SELECT} ORDER BY id DESC"))
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(KeyRow::into_key).collect()
}

/// Adds a key made by `by` at `now`; its id.
pub(crate) async fn insert(
    conn: &mut Conn,
    name: &str,
    prefix: &str,
    key_hash: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO api_keys (name, prefix, key_hash, created_at, created_by)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(prefix)
    .bind(key_hash)
    .bind(to_db(now))
    .bind(by)
    .fetch_one(conn)
    .await
}

/// Revokes the key `id` at `now`.
pub(crate) async fn revoke(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE api_keys SET revoked_at = ? WHERE id = ?")
        .bind(to_db(now))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
