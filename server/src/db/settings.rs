//! The organisation's settings as stored (`settings`, one JSON value per key) and the cache
//! handlers read them through: loaded on first use, replaced on every write, so a change
//! takes effect at once without a restart.

use crate::db::sql;
use std::sync::Arc;

use crate::db::sql::{Conn, Pool};
use chrono::{DateTime, Utc};
use pingjia_domain::settings::Settings;
use tokio::sync::RwLock;

use crate::time::to_db;

/// The settings of one server process; cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct SettingsCache(Arc<RwLock<Option<Settings>>>);

impl SettingsCache {
    /// The current settings: the cached ones, or read from the database.
    pub async fn get(&self, pool: &Pool) -> Result<Settings, sqlx::Error> {
        if let Some(settings) = self.0.read().await.as_ref() {
            return Ok(settings.clone());
        }
        let mut cached = self.0.write().await;
        let mut conn = pool.acquire().await?;
        let settings = load(&mut conn).await?;
        *cached = Some(settings.clone());
        Ok(settings)
    }

    /// Replaces the cached settings after a committed write.
    pub async fn set(&self, settings: Settings) {
        *self.0.write().await = Some(settings);
    }

    /// Forgets the cached settings (another instance changed them): read on the next use.
    pub async fn forget(&self) {
        *self.0.write().await = None;
    }
}

/// Reads the stored settings; keys without a row take their default. A stored value that no
/// longer fits its setting is a decode error.
pub async fn load(conn: &mut Conn) -> Result<Settings, sqlx::Error> {
    let rows: Vec<(String, String)> = sql::query_as("SELECT key, value FROM settings")
        .fetch_all(conn)
        .await?;
    let mut map = Settings::default().to_map();
    for (key, value) in rows {
        if map.contains_key(&key) {
            let value = serde_json::from_str(&value)
                .map_err(|e| sqlx::Error::Decode(format!("setting {key}: {e}").into()))?;
            map.insert(key, value);
        }
    }
    serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| sqlx::Error::Decode(format!("stored settings: {e}").into()))
}

/// Stores the setting `key` (its value as text), changed by `by` at `now`.
pub(crate) async fn set(
    conn: &mut Conn,
    key: &str,
    value: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(key)
    .bind(value)
    .bind(to_db(now))
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}
