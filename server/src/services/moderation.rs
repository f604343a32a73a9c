//! Moderation on the server's side: screening a submission with the anomaly rules
//! ([`pingjia_domain::anomalies`]) inside its transaction, and the condition every statistic
//! counts evaluations with is
//! [`crate::db::evaluations::COUNTED`].
//!
//! A flagged evaluation is `under_review`: it stays counted until an admin deletes it (the
//! rules are suspicions, and an all-5 or all-1 evaluation is most often genuine; dropping
//! every flagged one at once would bias the figures by itself). A `deleted` one is hidden
//! from every statistic and from the agent, never erased. Its customer sees none of it.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::anomalies::{
    self, AnomalyContext, AnomalyInput, Finding, brushing_window_start, duplicate_key,
    duplicate_window_start, normalize_text,
};
use pingjia_domain::settings::Settings;
use serde_json::json;

use crate::db::batch::Batch;
use crate::error::AppError;
use crate::services::audit::{self, Action, Entry};
use crate::time::to_db;

/// An evaluation about to be written, as the rules read it before it has its id and number
/// ([`look_back`] reads them with the look-backs).
#[derive(Debug, Clone, Copy)]
pub struct Rating<'a> {
    pub customer_id: i64,
    pub agent_id: i64,
    pub agent_no: &'a str,
    /// One entry per form dimension, `None` for an optional one left unanswered.
    pub scores: &'a [Option<u8>],
    pub overall: u8,
    /// Trimmed, `None` when blank.
    pub suggestion: Option<&'a str>,
    pub form_seconds: Option<u32>,
    pub submitted_at: DateTime<Utc>,
}

impl<'a> Rating<'a> {
    /// The rating with the id and number it is written with.
    pub fn numbered(self, id: i64, number: &'a str) -> Submitted<'a> {
        Submitted {
            id,
            number,
            customer_id: self.customer_id,
            agent_id: self.agent_id,
            agent_no: self.agent_no,
            scores: self.scores,
            overall: self.overall,
            suggestion: self.suggestion,
            form_seconds: self.form_seconds,
            submitted_at: self.submitted_at,
        }
    }
}

/// An evaluation written (or being written in this transaction), as the rules read it.
#[derive(Debug, Clone, Copy)]
pub struct Submitted<'a> {
    pub id: i64,
    pub number: &'a str,
    pub customer_id: i64,
    pub agent_id: i64,
    pub agent_no: &'a str,
    /// One entry per form dimension, `None` for an optional one left unanswered.
    pub scores: &'a [Option<u8>],
    pub overall: u8,
    /// Trimmed, `None` when blank.
    pub suggestion: Option<&'a str>,
    pub form_seconds: Option<u32>,
    pub submitted_at: DateTime<Utc>,
}

/// What screening a submission reads that needs no write lock, read before the submission
/// takes it: the key its suggestion is compared by and the abusive-word lexicon.
#[derive(Debug, Clone, Default)]
pub struct Screening {
    /// [`duplicate_key`] of the suggestion, when it is long enough.
    pub key: Option<String>,
    pub lexicon: Vec<String>,
}

impl Screening {
    /// The key of `suggestion` (trimmed, `None` when blank) and the abusive-word lexicon as it
    /// is now (read with the submission's record: `db::evaluations::submission_reads`).
    pub fn new(suggestion: Option<&str>, lexicon: Vec<String>) -> Screening {
        Screening {
            key: suggestion.and_then(duplicate_key),
            lexicon,
        }
    }

    /// The normalised suggestion stored with the evaluation (`suggestion_key`), whatever its
    /// length.
    pub fn stored_key(suggestion: Option<&str>) -> Option<String> {
        suggestion.map(normalize_text)
    }
}

/// What a submission reads under the write lock, one statement: the id the next evaluation
/// gets and the day's last number (`?6` to `?7`, the day's first and last possible numbers,
/// [`crate::db::evaluations::next_number`]); earlier evaluations of this customer (`?1`) for
/// this agent (`?2`) since `?3`; the other customers who wrote the same text (`?4`, the key)
/// since `?5`; whether any suggestion lacks its key. Each runs on an index (the primary key,
/// `number`'s unique index, `evaluations_customer_agent_submitted`, `evaluations_suggestion_key`,
/// `evaluations_unkeyed`): the lane waits for it.
pub const LOOK_BACK: &str = "SELECT
             (SELECT COALESCE(MAX(id), 0) + 1 FROM evaluations),
             (SELECT MAX(number) FROM evaluations WHERE number BETWEEN ?6 AND ?7),
             (SELECT COUNT(*) FROM evaluations
              WHERE customer_id = ?1 AND agent_id = ?2 AND submitted_at >= ?3),
             (SELECT COUNT(DISTINCT customer_id) FROM evaluations
              WHERE suggestion_key = ?4 AND submitted_at >= ?5 AND customer_id <> ?1),
             EXISTS (SELECT 1 FROM evaluations
                     WHERE suggestion IS NOT NULL AND suggestion_key IS NULL)";

/// What the anomaly rules found for a submission (see [`look_back`]).
#[derive(Debug)]
pub struct Screened {
    pub findings: Vec<Finding>,
    /// How many other customers wrote the same text lately.
    others: usize,
    burst_from: String,
    text_from: String,
}

impl Screened {
    /// Whether the submission goes in `under_review`.
    pub fn flagged(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// Numbers and screens the rating `s` in the submission's write transaction `conn`, with what
/// [`Screening`] holds: the id and number it gets and the look-backs are one statement
/// ([`LOOK_BACK`]), the rules are [`anomalies::findings`]. Then [`push_flags`] writes its flags
/// with it, and [`flag_earlier`] those of the burst or text it completes.
pub async fn look_back(
    conn: &mut Conn,
    s: &Rating<'_>,
    settings: &Settings,
    screening: &Screening,
) -> Result<(i64, String, Screened), AppError> {
    let now = s.submitted_at;
    let burst_from = to_db(brushing_window_start(now, settings));
    let key = &screening.key;
    let text_from = to_db(duplicate_window_start(now));
    let day = crate::time::org_day(now);
    let (first, last) = crate::db::evaluations::day_numbers(day);
    let (id, last_number, earlier_in_window, others) = loop {
        let (id, last_number, earlier, others, unkeyed): (i64, Option<String>, i64, i64, bool) =
            sql::query_as(LOOK_BACK)
                .bind(s.customer_id)
                .bind(s.agent_id)
                .bind(&burst_from)
                .bind(key)
                .bind(&text_from)
                .bind(&first)
                .bind(&last)
                .fetch_one(&mut *conn)
                .await?;
        if !unkeyed {
            break (id, last_number, earlier, others);
        }
        // Suggestions written without the rules (the demo's): keyed, then counted again.
        key_suggestions(conn).await?;
    };
    let number = crate::db::evaluations::next_number(day, last_number)?;
    let others = usize::try_from(others).unwrap_or(usize::MAX);
    let lexicon = &screening.lexicon;
    let context = AnomalyContext {
        agent_no: s.agent_no.to_owned(),
        earlier_in_window: u32::try_from(earlier_in_window).unwrap_or(u32::MAX),
        other_customers_same_text: u32::try_from(others).unwrap_or(u32::MAX),
    };
    let input = AnomalyInput {
        scores: s.scores,
        overall: s.overall,
        suggestion: s.suggestion,
        form_seconds: s.form_seconds,
    };
    let findings = anomalies::findings(&input, &context, settings, lexicon);
    Ok((
        id,
        number,
        Screened {
            findings,
            others,
            burst_from,
            text_from,
        },
    ))
}

/// Adds to `batch` the flags of the submission `s` (inserted `under_review` in the same
/// batch when flagged) and their `evaluation.flagged` audit entry.
pub fn push_flags(batch: &mut Batch, s: &Submitted<'_>, screened: &Screened) {
    if screened.findings.is_empty() {
        return;
    }
    let now = to_db(s.submitted_at);
    let q = batch.statement();
    q.push("INSERT INTO evaluation_flags (evaluation_id, rule, detail, created_at) ");
    q.push_values(&screened.findings, |mut row, finding| {
        row.push_bind(s.id)
            .push_bind(finding.rule().as_str())
            .push_bind(serde_json::to_string(finding).unwrap_or_default())
            .push_bind(now.clone());
    });
    q.push(" ON CONFLICT (evaluation_id, rule) DO NOTHING");
    audit::push(
        batch,
        &flagged_entry(s.id, s.number, &screened.findings, s.submitted_at),
    );
}

/// When the submission `s` completes a burst or repeats another customer's text: flags the
/// earlier evaluations of that burst or text that are still active and were never decided on
/// (an admin's decision stands), each with an `evaluation.flagged` audit entry without an
/// actor (the system).
pub async fn flag_earlier(
    conn: &mut Conn,
    s: &Submitted<'_>,
    screened: &Screened,
    screening: &Screening,
) -> Result<(), sqlx::Error> {
    let now = s.submitted_at;
    let key = &screening.key;
    let (others, burst_from, text_from) =
        (screened.others, &screened.burst_from, &screened.text_from);
    let findings = &screened.findings;
    for finding in findings {
        match finding {
            Finding::BrushingBurst { .. } => {
                let earlier: Vec<(i64, String)> = sql::query_as(
                    "SELECT e.id, e.number FROM evaluations e
                     WHERE e.customer_id = ? AND e.agent_id = ? AND e.submitted_at >= ?
                       AND e.id <> ? AND e.status = 'active'
                       AND NOT EXISTS (SELECT 1 FROM moderation_decisions d
                                       WHERE d.evaluation_id = e.id)
                     ORDER BY e.id",
                )
                .bind(s.customer_id)
                .bind(s.agent_id)
                .bind(burst_from)
                .bind(s.id)
                .fetch_all(&mut *conn)
                .await?;
                for (id, number) in earlier {
                    flag(conn, id, &number, std::slice::from_ref(finding), now).await?;
                }
            }
            Finding::BrushingDuplicateText { days, .. } => {
                let Some(key) = &key else { continue };
                let earlier: Vec<(i64, String, i64)> = sql::query_as(
                    "SELECT e.id, e.number, e.customer_id FROM evaluations e
                     WHERE e.suggestion_key = ? AND e.submitted_at >= ? AND e.customer_id <> ?
                       AND e.id <> ? AND e.status = 'active'
                       AND NOT EXISTS (SELECT 1 FROM moderation_decisions d
                                       WHERE d.evaluation_id = e.id)
                     ORDER BY e.id",
                )
                .bind(key)
                .bind(text_from)
                .bind(s.customer_id)
                .bind(s.id)
                .fetch_all(&mut *conn)
                .await?;
                // Everyone who wrote it, the new customer included; each earlier one's
                // "other customers" are all of them but its own.
                let writers = others + 1;
                for (id, number, _) in earlier {
                    let theirs = Finding::BrushingDuplicateText {
                        other_customers: u32::try_from(writers - 1).unwrap_or(u32::MAX),
                        days: *days,
                    };
                    flag(conn, id, &number, &[theirs], now).await?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Stores `findings` as flags of the evaluation `id` (a rule already there is left as it
/// was), puts it under review and records it in the audit log.
async fn flag(
    conn: &mut Conn,
    id: i64,
    number: &str,
    findings: &[Finding],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for finding in findings {
        let detail = serde_json::to_string(finding)
            .map_err(|e| sqlx::Error::Encode(format!("finding: {e}").into()))?;
        sql::query(
            "INSERT INTO evaluation_flags (evaluation_id, rule, detail, created_at)
             VALUES (?, ?, ?, ?)
             ON CONFLICT (evaluation_id, rule) DO NOTHING",
        )
        .bind(id)
        .bind(finding.rule().as_str())
        .bind(detail)
        .bind(to_db(now))
        .execute(&mut *conn)
        .await?;
    }
    sql::query("UPDATE evaluations SET status = 'under_review' WHERE id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    audit::record(&mut *conn, &flagged_entry(id, number, findings, now)).await
}

/// The audit entry of the evaluation `id` flagged for `findings`, by the system.
fn flagged_entry(id: i64, number: &str, findings: &[Finding], now: DateTime<Utc>) -> Entry {
    Entry::new(now, Action::EvaluationFlagged)
        .on("evaluation", number)
        .details(json!({
            "evaluation_id": id,
            "rules": findings.iter().map(|f| f.rule().as_str()).collect::<Vec<_>>(),
            // The numbers behind each finding, tagged by rule: the log words them in the
            // reader's language (`audit::details`).
            "findings": findings,
        }))
}

/// Writes the normalised suggestion of every evaluation that has a suggestion but no key yet
/// (the one just submitted, and any written without the rules, like the demo's); the
/// partial index `evaluations_unkeyed` finds them at once.
async fn key_suggestions(conn: &mut Conn) -> Result<(), sqlx::Error> {
    let unkeyed: Vec<(i64, String)> = sql::query_as(
        "SELECT id, suggestion FROM evaluations
         WHERE suggestion IS NOT NULL AND suggestion_key IS NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (id, suggestion) in unkeyed {
        sql::query("UPDATE evaluations SET suggestion_key = ? WHERE id = ?")
            .bind(normalize_text(&suggestion))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
