//! The two word lists admins keep, as stored: the abusive terms the anomaly rules flag
//! suggestions by, and the stop words the word cloud leaves out. Each entry has who added it
//! and when.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::analytics::StopWord;
use pingjia_domain::moderation::AbusiveTerm;

use crate::db::is_unique_violation;
use crate::time::{from_db, to_db};

/// One of the lists: its table, its word column and how its entries meet their author.
pub(crate) struct Lexicon {
    table: &'static str,
    column: &'static str,
    /// `LEFT JOIN` where an entry may have no author (shipped with the system).
    join: &'static str,
}

/// The abusive-word lexicon (`abusive_terms`, matched case-insensitively).
pub(crate) const ABUSIVE_TERMS: Lexicon = Lexicon {
    table: "abusive_terms",
    column: "term",
    join: "LEFT JOIN",
};

/// The admins' stop words (`stop_words`).
pub(crate) const STOP_WORDS: Lexicon = Lexicon {
    table: "stop_words",
    column: "word",
    join: "JOIN",
};

/// An entry of a list.
#[derive(sqlx::FromRow)]
pub(crate) struct Word {
    word: String,
    added_by: Option<i64>,
    added_by_name: Option<String>,
    added_at: String,
}

impl Word {
    pub(crate) fn into_abusive_term(self) -> Result<AbusiveTerm, sqlx::Error> {
        Ok(AbusiveTerm {
            added_at: from_db(&self.added_at)?,
            term: self.word,
            added_by_id: self.added_by,
            added_by_name: self.added_by_name,
        })
    }

    pub(crate) fn into_stop_word(self) -> Result<StopWord, sqlx::Error> {
        Ok(StopWord {
            added_at: from_db(&self.added_at)?,
            word: self.word,
            added_by: self.added_by_name.unwrap_or_default(),
        })
    }
}

impl Lexicon {
    fn select(&self) -> String {
        let Lexicon {
            table,
            column,
            join,
        } = self;
        format!(
            "SELECT t.{column} AS word, t.added_by, u.display_name AS added_by_name, t.added_at \
             FROM {table} t {join} users u ON u.id = t.added_by"
        )
    }

    /// Every entry, alphabetically.
    pub(crate) async fn words(&self, conn: &mut Conn) -> Result<Vec<Word>, sqlx::Error> {
        sql::query_as(&format!("{} ORDER BY t.{}", self.select(), self.column))
            .fetch_all(conn)
            .await
    }

    /// The entry `word`.
    pub(crate) async fn word(&self, conn: &mut Conn, word: &str) -> Result<Word, sqlx::Error> {
        sql::query_as(&format!("{} WHERE t.{} = ?", self.select(), self.column))
            .bind(word)
            .fetch_one(conn)
            .await
    }

    /// Adds `word`, by `by` at `now`; `false` when the list has it already.
    pub(crate) async fn add(
        &self,
        conn: &mut Conn,
        word: &str,
        by: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let Lexicon { table, column, .. } = self;
        let inserted = sql::query(&format!(
            "INSERT INTO {table} ({column}, added_by, added_at) VALUES (?, ?, ?)"
        ))
        .bind(word)
        .bind(by)
        .bind(to_db(now))
        .execute(conn)
        .await;
        match inserted {
            Ok(_) => Ok(true),
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Removes `word`; the entry removed, `None` when the list does not have it.
    pub(crate) async fn remove(
        &self,
        conn: &mut Conn,
        word: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        let Lexicon { table, column, .. } = self;
        sql::query_scalar(&format!(
            "DELETE FROM {table} WHERE {column} = ? RETURNING {column}"
        ))
        .bind(word)
        .fetch_optional(conn)
        .await
    }
}
