//! The admins' stop words as stored, left out of the word cloud.

use chrono::{DateTime, Utc};
use pingjia_domain::analytics::StopWord;
use sqlx::SqliteConnection;

use crate::db::is_unique_violation;
use crate::error::{AppError, Coded};
use crate::time::{from_db, to_db};

#[derive(sqlx::FromRow)]
struct StopWordRow {
    word: String,
    added_by: String,
    added_at: String,
}

impl StopWordRow {
    fn into_word(self) -> Result<StopWord, sqlx::Error> {
        Ok(StopWord {
            added_at: from_db(&self.added_at)?,
            word: self.word,
            added_by: self.added_by,
        })
    }
}

const STOP_WORD_SELECT: &str = "SELECT w.word, u.display_name AS added_by, w.added_at \
     FROM stop_words w JOIN users u ON u.id = w.added_by";

/// The stop words admins added, alphabetical.
pub(crate) async fn stop_words(conn: &mut SqliteConnection) -> Result<Vec<StopWord>, sqlx::Error> {
    let rows: Vec<StopWordRow> = sqlx::query_as(&format!("{STOP_WORD_SELECT} ORDER BY w.word"))
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(StopWordRow::into_word).collect()
}

/// The stop word `word`.
pub(crate) async fn stop_word(
    conn: &mut SqliteConnection,
    word: &str,
) -> Result<StopWord, sqlx::Error> {
    let row: StopWordRow = sqlx::query_as(&format!("{STOP_WORD_SELECT} WHERE w.word = ?"))
        .bind(word)
        .fetch_one(conn)
        .await?;
    row.into_word()
}

/// Adds the stop word `word` (already there: 409 `stop_word_exists`).
pub(crate) async fn insert_stop_word(
    conn: &mut SqliteConnection,
    word: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO stop_words (word, added_by, added_at) VALUES (?, ?, ?)")
        .bind(word)
        .bind(by)
        .bind(to_db(now))
        .execute(conn)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                Coded::conflict(
                    "stop_word_exists",
                    format!("{word:?} is already a stop word"),
                )
                .into()
            } else {
                AppError::Database(e)
            }
        })?;
    Ok(())
}

/// Removes the stop word `word`; the word removed, `None` when it was not one.
pub(crate) async fn delete_stop_word(
    conn: &mut SqliteConnection,
    word: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("DELETE FROM stop_words WHERE word = ? RETURNING word")
        .bind(word)
        .fetch_optional(conn)
        .await
}
