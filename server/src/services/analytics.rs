//! What the analytics reports read besides the evaluation itself: the record's channel and
//! category, the customer's type and the day in the organisation's zone copied onto the
//! evaluation, and the terms of its suggestion for the word
//! cloud (Chinese segmented with jieba-rs, English split into lower-case words).
//!
//! [`catch_up`] fills both for every evaluation that lacks them; the submission calls it in
//! its transaction, the demo after seeding and the server at start (for rows written before
//! this existed). The terms are stored, not computed per request: segmenting tens of
//! thousands of suggestions would take seconds.

use crate::db::sql;
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use crate::db::sql::{Conn, QueryBuilder};
use jieba_rs::Jieba;
use pingjia_domain::analytics::term_key;

/// The dictionary loads once per process (a few hundred milliseconds), on first use.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// The built-in stop words (`server/data/stopwords-*.txt`).
static STOP_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        include_str!("../../data/stopwords-zh.txt"),
        include_str!("../../data/stopwords-en.txt"),
    ]
    .into_iter()
    .flat_map(str::lines)
    .map(str::trim)
    .filter(|line| !line.is_empty() && !line.starts_with('#'))
    .collect()
});

/// Whether `word` is one of the built-in stop words.
pub fn is_builtin_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(word)
}

/// Loads the dictionary now rather than in the first request that needs it.
pub fn warm_up() {
    LazyLock::force(&JIEBA);
    LazyLock::force(&STOP_WORDS);
}

/// The distinct terms of a suggestion as the word cloud counts them: words of at least two
/// characters with a letter in them, lower case, built-in stop words left out; each by its key
/// (`term_key`: an English word's forms are one term) with the form the text has (its first).
pub fn terms(text: &str) -> BTreeMap<String, String> {
    let mut terms = BTreeMap::new();
    for token in JIEBA.cut(text, true) {
        let token = token.trim().to_lowercase();
        let meaningful = token.chars().count() >= 2
            && token.chars().any(char::is_alphabetic)
            && token
                .chars()
                .all(|c| c.is_alphanumeric() || c == '\'' || c == '-')
            && !is_builtin_stop_word(&token);
        if meaningful {
            let key = term_key(&token);
            if !is_builtin_stop_word(&key) {
                terms.entry(key).or_insert(token);
            }
        }
    }
    terms
}

/// Adds `uses` to each (key, form) of `forms` in `term_forms`.
async fn count_forms(
    conn: &mut Conn,
    forms: &BTreeMap<(String, String), i64>,
) -> Result<(), sqlx::Error> {
    let forms: Vec<_> = forms.iter().collect();
    // SQLite allows 32,766 bound values per statement: three per row.
    for chunk in forms.chunks(10_000) {
        let mut upsert: QueryBuilder<'_> =
            QueryBuilder::new("INSERT INTO term_forms (term, form, uses) ");
        upsert.push_values(chunk, |mut row, ((term, form), uses)| {
            row.push_bind(term.as_str())
                .push_bind(form.as_str())
                .push_bind(**uses);
        });
        upsert
            .push(" ON CONFLICT (term, form) DO UPDATE SET uses = term_forms.uses + excluded.uses");
        upsert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Stores the terms of a database written before keys (`term_keys_pending`, migration 0037)
/// under their keys, once, and counts their forms; the kept word counts follow (their
/// triggers). Returns how many stored terms changed key.
pub async fn key_stored_terms(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    let pending: i64 = sql::query_scalar("SELECT COUNT(*) FROM term_keys_pending")
        .fetch_one(&mut *conn)
        .await?;
    if pending == 0 {
        return Ok(0);
    }
    let stored: Vec<(String, i64)> =
        sql::query_as("SELECT term, COUNT(*) FROM evaluation_terms GROUP BY term")
            .fetch_all(&mut *conn)
            .await?;
    let mut forms = BTreeMap::new();
    let mut changed = 0;
    for (term, uses) in stored {
        let key = term_key(&term);
        if key != term {
            sql::query(
                "INSERT INTO evaluation_terms
                     (evaluation_id, term, submitted_day, overall, submitted_at)
                 SELECT evaluation_id, ?, submitted_day, overall, submitted_at
                 FROM evaluation_terms WHERE term = ?
                 ON CONFLICT DO NOTHING",
            )
            .bind(key.as_str())
            .bind(term.as_str())
            .execute(&mut *conn)
            .await?;
            changed += sql::query("DELETE FROM evaluation_terms WHERE term = ?")
                .bind(term.as_str())
                .execute(&mut *conn)
                .await?
                .rows_affected();
        }
        forms.insert((key, term), uses);
    }
    count_forms(conn, &forms).await?;
    sql::query("DELETE FROM term_keys_pending")
        .execute(&mut *conn)
        .await?;
    Ok(changed)
}

/// Removes the stored terms that are built-in stop words: a word added to the lists after the
/// suggestions that hold it were segmented leaves the word cloud and the reports' frequent
/// problems at the next start. The kept word counts follow (their triggers, in the same
/// statement). Returns how many terms it removed; none once done.
pub async fn forget_stop_words(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    let mut words: Vec<&str> = STOP_WORDS.iter().copied().collect();
    words.sort_unstable();
    let mut removed = 0;
    for chunk in words.chunks(500) {
        let mut delete = QueryBuilder::new("DELETE FROM evaluation_terms WHERE term IN (");
        let mut list = delete.separated(", ");
        for word in chunk {
            list.push_bind(*word);
        }
        delete.push(")");
        removed += delete.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(removed)
}

/// How many suggestions are segmented per batch.
const BATCH: i64 = 1000;

/// Copies the channel and customer type onto evaluations that lack them and stores the terms
/// of every suggestion not yet segmented. Returns how many suggestions it segmented.
pub async fn catch_up(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    sql::query(
        "UPDATE evaluations
         SET channel = (SELECT r.channel FROM service_records r
                        WHERE r.id = evaluations.service_record_id),
             category = (SELECT r.category FROM service_records r
                         WHERE r.id = evaluations.service_record_id),
             customer_type = (SELECT u.customer_type FROM users u
                              WHERE u.id = evaluations.customer_id),
             submitted_day = date(submitted_at, ?)
         WHERE channel IS NULL",
    )
    .bind(crate::time::org_sqlite_modifier())
    .execute(&mut *conn)
    .await?;
    let mut done = 0;
    loop {
        let batch: Vec<(i64, String, String, i64, String)> = sql::query_as(
            "SELECT id, suggestion, submitted_day, overall, submitted_at FROM evaluations
             WHERE terms_indexed = FALSE AND suggestion IS NOT NULL AND submitted_day IS NOT NULL
             ORDER BY id LIMIT ?",
        )
        .bind(BATCH)
        .fetch_all(&mut *conn)
        .await?;
        let Some(&(last, ..)) = batch.last() else {
            return Ok(done);
        };
        let first = batch[0].0;
        let mut forms = BTreeMap::new();
        let mut rows: Vec<(i64, String, &str, i64, &str)> = Vec::new();
        for (id, text, day, overall, at) in &batch {
            for (term, form) in terms(text) {
                *forms.entry((term.clone(), form)).or_insert(0) += 1;
                rows.push((*id, term, day.as_str(), *overall, at.as_str()));
            }
        }
        count_forms(&mut *conn, &forms).await?;
        // SQLite allows 32,766 bound values per statement: five per row.
        for chunk in rows.chunks(6_000) {
            let mut insert: QueryBuilder<'_> = QueryBuilder::new(
                "INSERT INTO evaluation_terms \
                 (evaluation_id, term, submitted_day, overall, submitted_at) ",
            );
            insert.push_values(chunk, |mut row, (id, term, day, overall, at)| {
                row.push_bind(id)
                    .push_bind(term)
                    .push_bind(*day)
                    .push_bind(overall)
                    .push_bind(*at);
            });
            insert.push(" ON CONFLICT DO NOTHING");
            insert.build().execute(&mut *conn).await?;
        }
        sql::query(
            "UPDATE evaluations SET terms_indexed = TRUE
             WHERE id BETWEEN ? AND ? AND terms_indexed = FALSE AND suggestion IS NOT NULL",
        )
        .bind(first)
        .bind(last)
        .execute(&mut *conn)
        .await?;
        done += batch.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> Vec<String> {
        terms(text).into_keys().collect()
    }

    #[test]
    fn an_english_words_forms_are_one_term_with_the_first_form_written() {
        let t = terms("Delays again: delayed twice, the delay is long");
        assert_eq!(t.get("delay").map(String::as_str), Some("delays"), "{t:?}");
        assert_eq!(
            t.values().filter(|f| f.starts_with("delay")).count(),
            1,
            "{t:?}"
        );
    }

    #[test]
    fn chinese_is_segmented_into_words_without_stop_words_or_single_characters() {
        let t = list("客服态度很好，但是物流太慢了，我们等了三天！");
        assert!(t.contains(&"物流".to_owned()), "{t:?}");
        assert!(t.contains(&"态度".to_owned()), "{t:?}");
        for gone in ["客服", "但是", "我们", "很", "了", "，", "！", "太"] {
            assert!(!t.contains(&gone.to_owned()), "{gone} in {t:?}");
        }
        assert!(t.iter().all(|w| w.chars().count() >= 2), "{t:?}");
    }

    #[test]
    fn english_is_lower_cased_words_without_stop_words_numbers_or_punctuation() {
        let t = list("The agent was VERY patient, but the refund took 12 days!!");
        assert_eq!(t, vec!["patient", "refund"]);
    }

    #[test]
    fn markup_is_split_into_harmless_words() {
        let t = list("<script>alert(1)</script> 物流很差");
        assert!(
            t.iter().all(|w| w.chars().all(|c| c.is_alphanumeric())),
            "{t:?}"
        );
        assert!(t.contains(&"物流".to_owned()), "{t:?}");
    }

    #[test]
    fn the_builtin_lists_are_read() {
        assert!(is_builtin_stop_word("我们"));
        assert!(is_builtin_stop_word("the"));
        assert!(!is_builtin_stop_word("物流"));
        // The words of customer service every suggestion holds, in both languages.
        for filler in [
            "问题", "客服", "回复", "建议", "解决", "took", "three", "first", "need", "times",
        ] {
            assert!(is_builtin_stop_word(filler), "{filler}");
        }
        for meaningful in [
            "态度", "等待", "退款", "耐心", "rude", "refund", "wait", "patient",
        ] {
            assert!(!is_builtin_stop_word(meaningful), "{meaningful}");
        }
        assert!(!is_builtin_stop_word("#"));
    }
}
