//! The messages between instances on PostgreSQL (`services::cluster`).

use crate::db::sql::{self, Pool};

/// `NOTIFY channel, payload`, delivered to the listeners when the statement's transaction
/// (here its own) commits.
pub(crate) async fn notify(pool: &Pool, channel: &str, payload: &str) -> Result<(), sqlx::Error> {
    sql::query("SELECT pg_notify(?, ?)")
        .bind(channel)
        .bind(payload)
        .execute(pool)
        .await?;
    Ok(())
}
