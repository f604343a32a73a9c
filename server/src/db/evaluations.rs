//! Evaluations as stored: a customer's service records with their evaluation, the rating
//! form's dimensions, an evaluation with its earlier versions, the day's next number, and a
//! new evaluation written whole (its scores and the columns the analytics read).

use crate::db::sql;
use crate::db::sql::{Conn, Dialect};
use chrono::{DateTime, Utc};
use pingjia_domain::appeals::{appeal_until, can_appeal};
use pingjia_domain::calendar::WorkCalendar;
use pingjia_domain::evaluations::{
    CustomerStatus, DimensionScore, Evaluation, EvaluationSummary, FormDimension, MyEvaluation,
    MyRecord, RecordInfo, rate_until, rating_state,
};
use pingjia_domain::rules::evaluation_number;
use pingjia_domain::wire::{Channel, CustomerType};

use crate::db::batch::Batch;
use crate::db::decode;
use crate::db::parse_stored;
use crate::db::{from_json, small};
use crate::error::AppError;
use crate::time::{from_db, org_sqlite_modifier, to_db};
use pingjia_domain::evaluations::{CheckedEvaluation, EvaluationVersion};

/// The condition of evaluations that count in statistics (`e` being `evaluations`): every one
/// but those an admin deleted. Flagged evaluations under review still count.
///
/// ```text
/// format!("SELECT AVG(e.total_score) FROM evaluations e WHERE e.agent_id = ? AND {COUNTED}")
/// ```
pub const COUNTED: &str = "e.status <> 'deleted'";

/// [`COUNTED`] for another alias of `evaluations` (`""` for none).
pub fn counted(alias: &str) -> String {
    if alias.is_empty() {
        "status <> 'deleted'".to_owned()
    } else {
        format!("{alias}.status <> 'deleted'")
    }
}
use std::collections::BTreeMap;

/// Highest daily sequence an evaluation number has room for.
pub(crate) const MAX_DAILY_SEQUENCE: u32 = 999_999;

pub(crate) const RECORD_SELECT: &str = "SELECT r.id, r.customer_id, c.customer_no, c.customer_type, \
     r.agent_id, a.employee_no AS agent_no, a.display_name AS agent_name, r.service_type, \
     st.name_zh AS type_name_zh, st.name_en AS type_name_en, r.channel, r.started_at, \
     r.ended_at, r.order_no, e.number, e.submitted_at, e.total_score, e.overall \
     FROM service_records r \
     JOIN users c ON c.id = r.customer_id \
     JOIN users a ON a.id = r.agent_id \
     JOIN service_types st ON st.code = r.service_type \
     LEFT JOIN evaluations e ON e.service_record_id = r.id";

/// A record awaiting its rating at `?1` (now), the window having opened for records that
/// ended at `?2` (now − the window) or later.
pub(crate) const AWAITING: &str = "e.id IS NULL AND r.ended_at <= ? AND r.ended_at >= ?";

#[derive(sqlx::FromRow)]
pub(crate) struct RecordRow {
    pub(crate) id: i64,
    pub(crate) customer_id: i64,
    pub(crate) customer_no: Option<String>,
    pub(crate) customer_type: Option<String>,
    pub(crate) agent_id: i64,
    pub(crate) agent_no: Option<String>,
    pub(crate) agent_name: String,
    pub(crate) service_type: String,
    pub(crate) type_name_zh: String,
    pub(crate) type_name_en: String,
    pub(crate) channel: String,
    pub(crate) started_at: String,
    pub(crate) ended_at: String,
    pub(crate) order_no: Option<String>,
    /// The evaluation's, when the record was rated.
    pub(crate) number: Option<String>,
    pub(crate) submitted_at: Option<String>,
    pub(crate) total_score: Option<f64>,
    pub(crate) overall: Option<i64>,
}

pub(crate) fn overall(value: i64) -> Result<u8, sqlx::Error> {
    u8::try_from(value).map_err(|_| decode(format!("overall score {value}")))
}

impl RecordRow {
    pub(crate) fn info(&self) -> Result<RecordInfo, sqlx::Error> {
        Ok(RecordInfo {
            id: self.id,
            customer_no: self
                .customer_no
                .clone()
                .ok_or_else(|| decode(format!("record {}: customer_no", self.id)))?,
            customer_type: self
                .customer_type
                .as_deref()
                .map(|t| parse_stored(t, CustomerType::parse))
                .transpose()?,
            agent_no: self
                .agent_no
                .clone()
                .ok_or_else(|| decode(format!("record {}: employee_no", self.id)))?,
            agent_name: self.agent_name.clone(),
            service_type: self.service_type.clone(),
            service_type_name_zh: self.type_name_zh.clone(),
            service_type_name_en: self.type_name_en.clone(),
            channel: parse_stored(&self.channel, Channel::parse)?,
            started_at: from_db(&self.started_at)?,
            ended_at: from_db(&self.ended_at)?,
            order_no: self.order_no.clone(),
        })
    }

    pub(crate) fn summary(&self) -> Result<Option<EvaluationSummary>, sqlx::Error> {
        let (Some(number), Some(submitted_at), Some(total_score), Some(overall_score)) = (
            &self.number,
            &self.submitted_at,
            self.total_score,
            self.overall,
        ) else {
            return Ok(None);
        };
        Ok(Some(EvaluationSummary {
            number: number.clone(),
            submitted_at: from_db(submitted_at)?,
            total_score,
            overall: overall(overall_score)?,
        }))
    }

    pub(crate) fn into_my_record(
        self,
        now: DateTime<Utc>,
        window_days: u32,
    ) -> Result<MyRecord, sqlx::Error> {
        let info = self.info()?;
        let evaluation = self.summary()?;
        Ok(MyRecord {
            id: info.id,
            service_type: info.service_type,
            service_type_name_zh: info.service_type_name_zh,
            service_type_name_en: info.service_type_name_en,
            channel: info.channel,
            agent_no: info.agent_no,
            agent_name: info.agent_name,
            started_at: info.started_at,
            ended_at: info.ended_at,
            order_no: info.order_no,
            state: rating_state(info.ended_at, evaluation.is_some(), now, window_days),
            rate_until: rate_until(info.ended_at, window_days),
            evaluation,
        })
    }
}

pub(crate) async fn record_row(conn: &mut Conn, id: i64) -> Result<Option<RecordRow>, sqlx::Error> {
    sql::query_as(&format!("{RECORD_SELECT} WHERE r.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// What a rating submission reads before it takes the write lock ([`submission_reads`]).
pub(crate) struct SubmissionReads {
    pub(crate) record: RecordRow,
    /// The rating form of the record's service type.
    pub(crate) dimensions: Vec<FormDimension>,
    /// The abusive-word lexicon.
    pub(crate) lexicon: Vec<String>,
    /// The working-day calendar, when asked for (a low score's callback is due by it).
    pub(crate) calendar: Option<WorkCalendar>,
}

#[derive(sqlx::FromRow)]
struct SubmissionRow {
    #[sqlx(flatten)]
    record: RecordRow,
    form: String,
    lexicon: String,
    calendar: Option<String>,
}

/// [`RECORD_SELECT`] with the record's form (`[code, name_zh, name_en, description_zh,
/// description_en, optional]` in the type's order), the lexicon and (`?2`) the calendar, each as
/// one JSON array.
fn submission_reads_sql(dialect: Dialect) -> String {
    let form = dialect.json_rows(
        &[
            "d.code",
            "d.name_zh",
            "d.name_en",
            "d.description_zh",
            "d.description_en",
            // 0 or 1 on both (a PostgreSQL boolean would be `false` in the JSON).
            "CASE WHEN td.optional THEN 1 ELSE 0 END",
        ],
        "td.position, td.dimension",
    );
    let columns = format!(
        ", (SELECT {form}
            FROM service_type_dimensions td JOIN dimensions d ON d.code = td.dimension
            WHERE td.service_type = r.service_type) AS form,
           (SELECT {} FROM abusive_terms) AS lexicon,
           CASE WHEN ?2 THEN {} END AS calendar
         FROM service_records r",
        dialect.json_rows(&["term"], ""),
        crate::db::calendar::calendar_json(dialect)
    );
    format!(
        "{} WHERE r.id = ?1",
        RECORD_SELECT.replacen(" FROM service_records r", &columns, 1)
    )
}

/// The statement of [`submission_reads`] on each database (built once: the connection keeps
/// it prepared).
static SUBMISSION_READS: std::sync::LazyLock<[String; 2]> = std::sync::LazyLock::new(|| {
    [
        submission_reads_sql(Dialect::Sqlite),
        submission_reads_sql(Dialect::Postgres),
    ]
});

/// The record `id` (none: no such record) with what a submission of its rating reads before
/// it takes the write lock, in one statement: its service type's form, the abusive-word
/// lexicon and, when `calendar` (a low score), the working-day calendar.
pub(crate) async fn submission_reads(
    conn: &mut Conn,
    id: i64,
    calendar: bool,
) -> Result<Option<SubmissionReads>, sqlx::Error> {
    let statement = &SUBMISSION_READS[usize::from(conn.dialect() == Dialect::Postgres)];
    let Some(row): Option<SubmissionRow> = sql::query_as(statement)
        .bind(id)
        .bind(calendar)
        .fetch_optional(conn)
        .await?
    else {
        return Ok(None);
    };
    // SQLite's JSON has no booleans: `optional` is 0 or 1.
    let form: Vec<(String, String, String, String, String, u8)> =
        from_json("rating form", &row.form)?;
    Ok(Some(SubmissionReads {
        record: row.record,
        dimensions: form
            .into_iter()
            .map(|(code, zh, en, description_zh, description_en, optional)| {
                form_dimension((code, zh, en, description_zh, description_en, optional == 1))
            })
            .collect(),
        lexicon: from_json("lexicon", &row.lexicon)?,
        calendar: row
            .calendar
            .as_deref()
            .map(crate::db::calendar::work_calendar_of)
            .transpose()?,
    }))
}

fn form_dimension(
    (code, name_zh, name_en, description_zh, description_en, optional): (
        String,
        String,
        String,
        String,
        String,
        bool,
    ),
) -> FormDimension {
    FormDimension {
        code,
        name_zh,
        name_en,
        description_zh,
        description_en,
        optional,
    }
}

/// The dimensions of a service type's rating form, in the type's order.
pub(crate) async fn form_dimensions(
    conn: &mut Conn,
    service_type: &str,
) -> Result<Vec<FormDimension>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, String, bool)> = sql::query_as(
        "SELECT d.code, d.name_zh, d.name_en, d.description_zh, d.description_en, td.optional
         FROM service_type_dimensions td JOIN dimensions d ON d.code = td.dimension
         WHERE td.service_type = ?
         ORDER BY td.position, td.dimension",
    )
    .bind(service_type)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(form_dimension).collect())
}

#[derive(sqlx::FromRow)]
pub(crate) struct EvaluationRow {
    pub(crate) id: i64,
    pub(crate) number: String,
    pub(crate) customer_id: i64,
    pub(crate) service_record_id: i64,
    pub(crate) submitted_at: String,
    pub(crate) total_score: f64,
    pub(crate) overall: i64,
    pub(crate) suggestion: Option<String>,
    pub(crate) version: i64,
    pub(crate) appeal_pending: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ScoreRow {
    pub(crate) dimension: String,
    pub(crate) name_zh: String,
    pub(crate) name_en: String,
    pub(crate) optional: bool,
    pub(crate) score: Option<i64>,
}

impl ScoreRow {
    pub(crate) fn into_score(self) -> Result<DimensionScore, sqlx::Error> {
        Ok(DimensionScore {
            score: self.score.map(|v| small("score", v)).transpose()?,
            code: self.dimension,
            name_zh: self.name_zh,
            name_en: self.name_en,
            optional: self.optional,
        })
    }
}

/// The stored row of the evaluation numbered `number` (normalised).
pub(crate) async fn evaluation_row(
    conn: &mut Conn,
    number: &str,
) -> Result<Option<EvaluationRow>, sqlx::Error> {
    sql::query_as(
        "SELECT e.id, e.number, e.customer_id, e.service_record_id, e.submitted_at,
                e.total_score, e.overall, e.suggestion, e.version,
                EXISTS (SELECT 1 FROM appeals a
                        WHERE a.evaluation_id = e.id AND a.status = 'pending') AS appeal_pending
         FROM evaluations e WHERE e.number = ?",
    )
    .bind(number)
    .fetch_optional(conn)
    .await
}

/// The current scores of the evaluation `evaluation_id`, in the form's order.
pub(crate) async fn scores_of(
    conn: &mut Conn,
    evaluation_id: i64,
) -> Result<Vec<DimensionScore>, sqlx::Error> {
    let scores: Vec<ScoreRow> = sql::query_as(
        "SELECT dimension, name_zh, name_en, optional, score FROM evaluation_scores
         WHERE evaluation_id = ? ORDER BY position, dimension",
    )
    .bind(evaluation_id)
    .fetch_all(conn)
    .await?;
    scores.into_iter().map(ScoreRow::into_score).collect()
}

/// The evaluation numbered `number` (normalised) with its customer's id: its current version
/// with the earlier ones, and its appeal window as it stands at `now` (the window's length is
/// read through `conn`, so a transaction sees the settings it sees).
pub(crate) async fn load_evaluation(
    conn: &mut Conn,
    number: &str,
    now: DateTime<Utc>,
) -> Result<Option<(i64, Evaluation)>, sqlx::Error> {
    let Some(row) = evaluation_row(&mut *conn, number).await? else {
        return Ok(None);
    };
    let record = record_row(&mut *conn, row.service_record_id)
        .await?
        .ok_or_else(|| decode(format!("evaluation {}: its record", row.number)))?
        .info()?;
    let scores = scores_of(&mut *conn, row.id).await?;
    let version = version_number(row.version)?;
    let history = earlier_versions(&mut *conn, row.id).await?;
    let window_hours = crate::db::settings::load(&mut *conn)
        .await?
        .appeal_window_hours;
    let submitted_at = from_db(&row.submitted_at)?;
    Ok(Some((
        row.customer_id,
        Evaluation {
            number: row.number,
            status: CustomerStatus::of(version, row.appeal_pending),
            submitted_at,
            record,
            scores,
            total_score: row.total_score,
            overall: overall(row.overall)?,
            suggestion: row.suggestion,
            version,
            history,
            appeal_until: Some(appeal_until(submitted_at, window_hours)),
            can_appeal: can_appeal(submitted_at, window_hours, row.appeal_pending, now),
        },
    )))
}

/// The evaluation just written from `new` at `new.submitted_at`, as [`load_evaluation`] would
/// read it back in its transaction (version 1, no history, no appeal), without reading it:
/// `appeal_window_hours` is the setting the submission runs with.
pub(crate) fn submitted(
    new: &NewRow<'_>,
    record: RecordInfo,
    appeal_window_hours: u32,
) -> Result<Evaluation, sqlx::Error> {
    // As stored: whole seconds.
    let submitted_at = from_db(&to_db(new.submitted_at))?;
    let scores = new
        .dimensions
        .iter()
        .zip(&new.checked.scores)
        .map(|(d, score)| DimensionScore {
            code: d.code.clone(),
            name_zh: d.name_zh.clone(),
            name_en: d.name_en.clone(),
            optional: d.optional,
            score: *score,
        })
        .collect();
    Ok(Evaluation {
        number: new.number.to_owned(),
        status: CustomerStatus::of(1, false),
        submitted_at,
        record,
        scores,
        total_score: new.checked.total_score,
        overall: new.checked.overall,
        suggestion: new.checked.suggestion.clone(),
        version: 1,
        history: Vec::new(),
        appeal_until: Some(appeal_until(submitted_at, appeal_window_hours)),
        can_appeal: can_appeal(submitted_at, appeal_window_hours, false, new.submitted_at),
    })
}

/// A stored version number.
pub(crate) fn version_number(value: i64) -> Result<u32, sqlx::Error> {
    u32::try_from(value)
        .ok()
        .filter(|v| *v >= 1)
        .ok_or_else(|| decode(format!("version {value}")))
}

/// The first and the last number `day` can give (`PJ20261122-000000` and `…-999999`): the
/// day's numbers lie between them.
pub(crate) fn day_numbers(day: chrono::NaiveDate) -> (String, String) {
    (
        evaluation_number(day, 0),
        evaluation_number(day, MAX_DAILY_SEQUENCE),
    )
}

/// The number of `day` after `last`, its highest so far (none: the first).
pub(crate) fn next_number(
    day: chrono::NaiveDate,
    last: Option<String>,
) -> Result<String, AppError> {
    let last = match last {
        Some(number) => number
            .rsplit('-')
            .next()
            .and_then(|s| s.parse::<u32>().ok())
            .ok_or_else(|| AppError::Internal(format!("stored evaluation number {number}")))?,
        None => 0,
    };
    if last >= MAX_DAILY_SEQUENCE {
        return Err(AppError::Internal(format!(
            "no evaluation number left for {day}"
        )));
    }
    Ok(evaluation_number(day, last + 1))
}

#[derive(sqlx::FromRow)]
pub(crate) struct VersionRow {
    pub(crate) version: i64,
    pub(crate) total_score: f64,
    pub(crate) overall: i64,
    pub(crate) suggestion: Option<String>,
    pub(crate) scores_json: String,
    pub(crate) created_at: String,
    pub(crate) replaced_at: String,
    pub(crate) reason: String,
    pub(crate) appeal_id: Option<i64>,
}

/// The earlier versions of an evaluation, oldest first.
pub(crate) async fn earlier_versions(
    conn: &mut Conn,
    evaluation_id: i64,
) -> Result<Vec<EvaluationVersion>, sqlx::Error> {
    let rows: Vec<VersionRow> = sql::query_as(
        "SELECT version, total_score, overall, suggestion, scores_json, created_at,
                replaced_at, reason, appeal_id
         FROM evaluation_versions WHERE evaluation_id = ? ORDER BY version",
    )
    .bind(evaluation_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(EvaluationVersion {
                version: version_number(r.version)?,
                scores: from_json("version scores", &r.scores_json)?,
                total_score: r.total_score,
                overall: small("overall score", r.overall)?,
                suggestion: r.suggestion,
                created_at: from_db(&r.created_at)?,
                replaced_at: from_db(&r.replaced_at)?,
                reason: r.reason,
                appeal_id: r.appeal_id,
            })
        })
        .collect()
}

/// A new evaluation of `record`, checked against its form's `dimensions`.
pub(crate) struct NewRow<'a> {
    pub(crate) number: &'a str,
    pub(crate) record: &'a RecordRow,
    pub(crate) submitted_at: DateTime<Utc>,
    pub(crate) dimensions: &'a [FormDimension],
    pub(crate) checked: &'a CheckedEvaluation,
    pub(crate) form_seconds: Option<u32>,
    /// The terms of the suggestion for the word cloud: each key with its form written.
    pub(crate) terms: &'a BTreeMap<String, String>,
    /// The suggestion as compared across customers (`anomalies::duplicate_key` input,
    /// normalised), when there is one.
    pub(crate) suggestion_key: Option<&'a str>,
}

/// The number of the evaluation of the record `record_id`, if it was rated.
pub(crate) async fn rated_by(
    conn: &mut Conn,
    record_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sql::query_scalar("SELECT number FROM evaluations WHERE service_record_id = ?")
        .bind(record_id)
        .fetch_optional(conn)
        .await
}

/// Adds to `batch` the writing of a new evaluation `id`, whole: the evaluation with what the
/// analytics read (the record's channel and category, the customer's type now, the day in the
/// organisation's zone), its suggestion's key and its moderation status (`active`, or
/// `under_review` when the rules flagged it), its scores with a snapshot of their dimensions,
/// and its suggestion's terms; one statement per table. A record rated meanwhile makes the
/// batch fail with a unique violation ([`rated_by`] tells by whom).
pub(crate) fn push_insert(batch: &mut Batch, id: i64, new: &NewRow<'_>, under_review: bool) {
    let checked = new.checked;
    let suggested = checked.suggestion.is_some();
    let submitted_at = to_db(new.submitted_at);
    let q = batch.statement();
    q.push(
        "INSERT INTO evaluations (id, number, service_record_id, customer_id, agent_id,
             service_type, submitted_at, total_score, overall, suggestion, form_seconds,
             channel, category, customer_type, submitted_day, terms_indexed, suggestion_key,
             status)
         SELECT ",
    );
    let mut values = q.separated(", ");
    values
        .push_bind(id)
        .push_bind(new.number.to_owned())
        .push_bind(new.record.id)
        .push_bind(new.record.customer_id)
        .push_bind(new.record.agent_id)
        .push_bind(new.record.service_type.clone())
        .push_bind(submitted_at.clone())
        .push_bind(checked.total_score)
        .push_bind(i64::from(checked.overall))
        .push_bind(checked.suggestion.clone())
        .push_bind(new.form_seconds.map(i64::from))
        .push("r.channel, r.category")
        .push("(SELECT u.customer_type FROM users u WHERE u.id = r.customer_id)")
        .push("date(")
        .push_bind_unseparated(submitted_at)
        .push_unseparated(", ")
        .push_bind_unseparated(org_sqlite_modifier())
        .push_unseparated(")")
        .push_bind(suggested)
        .push_bind(new.suggestion_key.map(str::to_owned))
        .push_bind(if under_review {
            "under_review"
        } else {
            "active"
        });
    q.push(" FROM service_records r WHERE r.id = ")
        .push_bind(new.record.id);
    // The scores (with the evaluation's columns the reports filter by, copied here rather than
    // by the trigger `evaluation_scores_copy`) and the terms as one JSON array each
    // (`json_each`), so that the batch's text, whatever the form and the suggestion, stays the
    // same from one submission to the next: the connection then keeps it prepared instead of
    // compiling it (and the triggers and foreign keys of each table it writes) anew for each
    // submission.
    let scores = serde_json::Value::Array(
        new.dimensions
            .iter()
            .zip(&checked.scores)
            .map(|(dimension, score)| {
                serde_json::json!([
                    dimension.code,
                    dimension.optional,
                    dimension.name_zh,
                    dimension.name_en,
                    score
                ])
            })
            .collect(),
    );
    batch
        .statement()
        .push(
            "INSERT INTO evaluation_scores
                 (evaluation_id, dimension, position, optional, name_zh, name_en, score,
                  submitted_day, status, agent_id, service_type, channel, customer_type)
             SELECT e.id, s.value ->> 0, s.key, CAST(s.value ->> 1 AS BOOLEAN), s.value ->> 2,
                    s.value ->> 3, CAST(s.value ->> 4 AS BIGINT), e.submitted_day, e.status, e.agent_id, e.service_type,
                    e.channel, e.customer_type
             FROM evaluations e, json_each(",
        )
        .push_bind(scores.to_string())
        .push(") AS s WHERE e.id = ")
        .push_bind(id);
    let terms = if suggested {
        serde_json::Value::from_iter(
            new.terms
                .iter()
                .map(|(term, form)| serde_json::json!([term, form])),
        )
    } else {
        serde_json::Value::Array(Vec::new())
    }
    .to_string();
    batch
        .statement()
        .push(
            "INSERT INTO evaluation_terms (evaluation_id, term, submitted_day, overall, submitted_at)
             SELECT e.id, t.value ->> 0, e.submitted_day, e.overall, e.submitted_at
             FROM evaluations e, json_each(",
        )
        .push_bind(terms.clone())
        .push(") AS t WHERE e.id = ")
        .push_bind(id)
        .push(" ON CONFLICT DO NOTHING");
    // Each form counted (the form shown for a term is its most used one).
    batch
        .statement()
        .push(
            "INSERT INTO term_forms (term, form, uses)
             SELECT t.value ->> 0, t.value ->> 1, 1 FROM json_each(",
        )
        .push_bind(terms)
        .push(
            ") AS t WHERE TRUE
             ON CONFLICT (term, form) DO UPDATE SET uses = term_forms.uses + excluded.uses",
        );
}

/// A customer's service records seen at `now` with the rating window opened at `opened`:
/// those awaiting a rating (closing soonest first), how many others there are, and the first
/// `max_others` of them (newest first).
pub(crate) async fn customer_records(
    conn: &mut Conn,
    customer_id: i64,
    now: DateTime<Utc>,
    opened: DateTime<Utc>,
    max_others: u32,
) -> Result<(Vec<RecordRow>, i64, Vec<RecordRow>), sqlx::Error> {
    let now_db = to_db(now);
    let opened = to_db(opened);
    let awaiting: Vec<RecordRow> = sql::query_as(&format!(
        "{RECORD_SELECT} WHERE r.customer_id = ? AND {AWAITING} ORDER BY r.ended_at, r.id"
    ))
    .bind(customer_id)
    .bind(&now_db)
    .bind(&opened)
    .fetch_all(&mut *conn)
    .await?;
    let others_total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) FROM service_records r \
         LEFT JOIN evaluations e ON e.service_record_id = r.id \
         WHERE r.customer_id = ? AND NOT ({AWAITING})"
    ))
    .bind(customer_id)
    .bind(&now_db)
    .bind(&opened)
    .fetch_one(&mut *conn)
    .await?;
    let others: Vec<RecordRow> = sql::query_as(&format!(
        "{RECORD_SELECT} WHERE r.customer_id = ? AND NOT ({AWAITING}) \
         ORDER BY r.started_at DESC, r.id DESC LIMIT ?"
    ))
    .bind(customer_id)
    .bind(&now_db)
    .bind(&opened)
    .bind(i64::from(max_others))
    .fetch_all(&mut *conn)
    .await?;
    Ok((awaiting, others_total, others))
}

#[derive(sqlx::FromRow)]
struct MyEvaluationRow {
    number: String,
    submitted_at: String,
    service_record_id: i64,
    type_name_zh: String,
    type_name_en: String,
    agent_name: String,
    total_score: f64,
    overall: i64,
    version: i64,
    appeal_pending: bool,
}

/// How many evaluations a customer made, and one page of them, newest first.
pub(crate) async fn customer_evaluations(
    conn: &mut Conn,
    customer_id: i64,
    page: u32,
    per_page: u32,
) -> Result<(i64, Vec<MyEvaluation>), sqlx::Error> {
    let total: i64 = sql::query_scalar("SELECT COUNT(*) FROM evaluations WHERE customer_id = ?")
        .bind(customer_id)
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<MyEvaluationRow> = sql::query_as(
        "SELECT e.number, e.submitted_at, e.service_record_id, st.name_zh AS type_name_zh,
                st.name_en AS type_name_en, a.display_name AS agent_name, e.total_score,
                e.overall, e.version,
                EXISTS (SELECT 1 FROM appeals ap
                        WHERE ap.evaluation_id = e.id AND ap.status = 'pending') AS appeal_pending
         FROM evaluations e
         JOIN service_types st ON st.code = e.service_type
         JOIN users a ON a.id = e.agent_id
         WHERE e.customer_id = ?
         ORDER BY e.submitted_at DESC, e.id DESC LIMIT ? OFFSET ?",
    )
    .bind(customer_id)
    .bind(i64::from(per_page))
    .bind(i64::from(page - 1) * i64::from(per_page))
    .fetch_all(&mut *conn)
    .await?;
    let evaluations = rows
        .into_iter()
        .map(|r| {
            Ok(MyEvaluation {
                number: r.number,
                status: CustomerStatus::of(version_number(r.version)?, r.appeal_pending),
                submitted_at: from_db(&r.submitted_at)?,
                service_record_id: r.service_record_id,
                service_type_name_zh: r.type_name_zh,
                service_type_name_en: r.type_name_en,
                agent_name: r.agent_name,
                total_score: r.total_score,
                overall: overall(r.overall)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((total, evaluations))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counted_condition_leaves_out_deleted_evaluations_only() {
        assert_eq!(COUNTED, "e.status <> 'deleted'");
        assert_eq!(counted("e"), COUNTED);
        assert_eq!(counted("ev"), "ev.status <> 'deleted'");
        assert_eq!(counted(""), "status <> 'deleted'");
    }
}
