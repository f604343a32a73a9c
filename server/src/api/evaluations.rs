//! The rating flow (评价), for customers: their service records (`GET /me/service-records`),
//! the rating form of one (`GET /me/service-records/{id}`), submitting an evaluation
//! (`POST /evaluations`, with an `Idempotency-Key`), reading one back
//! (`GET /evaluations/{number}`, admins too) and their history (`GET /me/evaluations`).
//!
//! The server decides the total score (`rules::total_score`) and the number
//! (`PJ20261122-000123`: the day of submission in the organisation's zone and that day's
//! sequence, drawn inside a `BEGIN IMMEDIATE` transaction so two submissions never get the
//! same one). An evaluation keeps a snapshot of the dimensions it was given
//! (`evaluation_scores`). Customers never see moderation: to them an evaluation is
//! `recorded`, or `appeal_pending` / `revised` through an appeal (`api::appeals`), which also
//! gives it versions: `evaluations` holds the current one, `evaluation_versions` the earlier.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Duration, Timelike, Utc};
use pingjia_domain::Problem;
use pingjia_domain::appeals::{appeal_until, can_appeal};
use pingjia_domain::evaluations::{
    CustomerStatus, DimensionScore, Evaluation, EvaluationSummary, FormDimension, MyEvaluation,
    MyEvaluationPage, MyRecord, MyRecords, NewEvaluation, RatingForm, RatingState, RecordInfo,
    rate_until, rating_state,
};
use pingjia_domain::problem::FieldError;
use pingjia_domain::rules::evaluation_number;
use pingjia_domain::wire::{Channel, CustomerType};
use serde::Deserialize;
use serde_json::json;
use sqlx::SqliteConnection;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::PREFIX;
use crate::db::{is_unique_violation, parse_stored};
use crate::error::{AppError, Coded};
use crate::http::authz::{CurrentUser, require_owner};
use crate::http::extract::{ClientIp, Json, Query};
use crate::http::idempotency::{Begin, HashedJson, Idempotency, IdempotencyKey, stored_response};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::moderation;
use crate::time::{from_db, org_day, to_db};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_records))
        .routes(routes!(rating_form))
        .routes(routes!(submit_evaluation))
        .routes(routes!(evaluation))
        .routes(routes!(my_evaluations))
}

/// The route idempotency keys of submissions are bound to.
const SUBMIT_ROUTE: &str = "POST /api/v1/evaluations";

/// Most records listed under `others` in `GET /me/service-records`.
pub const MAX_OTHER_RECORDS: u32 = 100;

/// `GET /me/evaluations` paging.
pub const DEFAULT_EVALUATIONS_PER_PAGE: u32 = 20;
pub const MAX_EVALUATIONS_PER_PAGE: u32 = 100;

/// Highest daily sequence an evaluation number has room for.
const MAX_DAILY_SEQUENCE: u32 = 999_999;

const RECORD_SELECT: &str = "SELECT r.id, r.customer_id, c.customer_no, c.customer_type, \
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
const AWAITING: &str = "e.id IS NULL AND r.ended_at <= ? AND r.ended_at >= ?";

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: i64,
    customer_id: i64,
    customer_no: Option<String>,
    customer_type: Option<String>,
    agent_id: i64,
    agent_no: Option<String>,
    agent_name: String,
    service_type: String,
    type_name_zh: String,
    type_name_en: String,
    channel: String,
    started_at: String,
    ended_at: String,
    order_no: Option<String>,
    /// The evaluation's, when the record was rated.
    number: Option<String>,
    submitted_at: Option<String>,
    total_score: Option<f64>,
    overall: Option<i64>,
}

fn decode(what: String) -> sqlx::Error {
    sqlx::Error::Decode(what.into())
}

fn overall(value: i64) -> Result<u8, sqlx::Error> {
    u8::try_from(value).map_err(|_| decode(format!("overall score {value}")))
}

impl RecordRow {
    fn info(&self) -> Result<RecordInfo, sqlx::Error> {
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

    fn summary(&self) -> Result<Option<EvaluationSummary>, sqlx::Error> {
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

    fn into_my_record(self, now: DateTime<Utc>, window_days: u32) -> Result<MyRecord, sqlx::Error> {
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

async fn record_row(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Option<RecordRow>, sqlx::Error> {
    sqlx::query_as(&format!("{RECORD_SELECT} WHERE r.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// "Now" to whole seconds, as times are stored: what the lists compare with.
fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_nanosecond(0).unwrap_or(t)
}

/// The dimensions of a service type's rating form, in the type's order.
async fn form_dimensions(
    conn: &mut SqliteConnection,
    service_type: &str,
) -> Result<Vec<FormDimension>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, String, bool)> = sqlx::query_as(
        "SELECT d.code, d.name_zh, d.name_en, d.description_zh, d.description_en, td.optional
         FROM service_type_dimensions td JOIN dimensions d ON d.code = td.dimension
         WHERE td.service_type = ?
         ORDER BY td.position, td.dimension",
    )
    .bind(service_type)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(code, name_zh, name_en, description_zh, description_en, optional)| FormDimension {
                code,
                name_zh,
                name_en,
                description_zh,
                description_en,
                optional,
            },
        )
        .collect())
}

#[derive(sqlx::FromRow)]
struct EvaluationRow {
    id: i64,
    number: String,
    customer_id: i64,
    service_record_id: i64,
    submitted_at: String,
    total_score: f64,
    overall: i64,
    suggestion: Option<String>,
    version: i64,
    appeal_pending: bool,
}

#[derive(sqlx::FromRow)]
struct ScoreRow {
    dimension: String,
    name_zh: String,
    name_en: String,
    optional: bool,
    score: Option<i64>,
}

/// The evaluation numbered `number` (normalised) with its customer's id: its current version
/// with the earlier ones, and its appeal window as it stands at `now` (the window's length is
/// read through `conn`, so a transaction sees the settings it sees).
pub(crate) async fn load_evaluation(
    conn: &mut SqliteConnection,
    number: &str,
    now: DateTime<Utc>,
) -> Result<Option<(i64, Evaluation)>, sqlx::Error> {
    let row: Option<EvaluationRow> = sqlx::query_as(
        "SELECT e.id, e.number, e.customer_id, e.service_record_id, e.submitted_at,
                e.total_score, e.overall, e.suggestion, e.version,
                EXISTS (SELECT 1 FROM appeals a
                        WHERE a.evaluation_id = e.id AND a.status = 'pending') AS appeal_pending
         FROM evaluations e WHERE e.number = ?",
    )
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let record = record_row(&mut *conn, row.service_record_id)
        .await?
        .ok_or_else(|| decode(format!("evaluation {}: its record", row.number)))?
        .info()?;
    let scores: Vec<ScoreRow> = sqlx::query_as(
        "SELECT dimension, name_zh, name_en, optional, score FROM evaluation_scores
         WHERE evaluation_id = ? ORDER BY position, dimension",
    )
    .bind(row.id)
    .fetch_all(&mut *conn)
    .await?;
    let scores = scores
        .into_iter()
        .map(|s| {
            Ok(DimensionScore {
                score: s
                    .score
                    .map(|v| u8::try_from(v).map_err(|_| decode(format!("score {v}"))))
                    .transpose()?,
                code: s.dimension,
                name_zh: s.name_zh,
                name_en: s.name_en,
                optional: s.optional,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let version = version_number(row.version)?;
    let history = crate::api::appeals::earlier_versions(&mut *conn, row.id).await?;
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

/// A stored version number.
pub(crate) fn version_number(value: i64) -> Result<u32, sqlx::Error> {
    u32::try_from(value)
        .ok()
        .filter(|v| *v >= 1)
        .ok_or_else(|| decode(format!("version {value}")))
}

/// The signed-in customer's service records.
///
/// `awaiting`: ended, not rated and inside the rating window (`rating_window_days` from the
/// service's end, the last instant included), the one closing soonest first, all of them.
/// `others`: the rest (rated, expired, not ended yet), newest first by the service's start,
/// at most 100; `others_total` counts them all. Each record has its state, the last instant it
/// may be rated, and its evaluation's summary once rated. `now` is the server's time.
#[utoipa::path(
    get,
    path = "/me/service-records",
    tag = "evaluations",
    operation_id = "my_service_records",
    responses(
        (status = 200, description = "The caller's records", body = MyRecords),
    )
)]
async fn my_records(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<Json<MyRecords>, AppError> {
    let now = whole_seconds(state.clock.now());
    let window = state.settings.get(&state.pool).await?.rating_window_days;
    let now_db = to_db(now);
    let opened = to_db(now - Duration::days(i64::from(window)));
    let mut conn = state.pool.acquire().await?;

    let awaiting: Vec<RecordRow> = sqlx::query_as(&format!(
        "{RECORD_SELECT} WHERE r.customer_id = ? AND {AWAITING} ORDER BY r.ended_at, r.id"
    ))
    .bind(caller.id)
    .bind(&now_db)
    .bind(&opened)
    .fetch_all(&mut *conn)
    .await?;
    let others_total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM service_records r \
         LEFT JOIN evaluations e ON e.service_record_id = r.id \
         WHERE r.customer_id = ? AND NOT ({AWAITING})"
    ))
    .bind(caller.id)
    .bind(&now_db)
    .bind(&opened)
    .fetch_one(&mut *conn)
    .await?;
    let others: Vec<RecordRow> = sqlx::query_as(&format!(
        "{RECORD_SELECT} WHERE r.customer_id = ? AND NOT ({AWAITING}) \
         ORDER BY r.started_at DESC, r.id DESC LIMIT ?"
    ))
    .bind(caller.id)
    .bind(&now_db)
    .bind(&opened)
    .bind(i64::from(MAX_OTHER_RECORDS))
    .fetch_all(&mut *conn)
    .await?;

    let list = |rows: Vec<RecordRow>| {
        rows.into_iter()
            .map(|r| r.into_my_record(now, window))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(Json(MyRecords {
        awaiting: list(awaiting)?,
        others: list(others)?,
        others_total: u64::try_from(others_total).unwrap_or_default(),
        now,
    }))
}

/// The rating form of one of the signed-in customer's service records.
///
/// The record's base information (read-only on the form), the dimensions of its service type
/// in order (names, descriptions, whether optional), its rating state, the last instant it may
/// be rated, and its evaluation once rated. Another customer's record answers 403.
#[utoipa::path(
    get,
    path = "/me/service-records/{id}",
    tag = "evaluations",
    operation_id = "rating_form",
    params(("id" = i64, Path, description = "The service record")),
    responses(
        (status = 200, description = "The rating form", body = RatingForm),
        (status = 403, description = "The record is another customer's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn rating_form(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<RatingForm>, AppError> {
    let now = whole_seconds(state.clock.now());
    let window = state.settings.get(&state.pool).await?.rating_window_days;
    let mut conn = state.pool.acquire().await?;
    let row = record_row(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The service record {id}")))?;
    if !caller.is(row.customer_id) {
        return Err(not_yours());
    }
    let dimensions = form_dimensions(&mut conn, &row.service_type).await?;
    let evaluation = match &row.number {
        Some(number) => load_evaluation(&mut conn, number, now)
            .await?
            .map(|(_, e)| e),
        None => None,
    };
    let record = row.info()?;
    Ok(Json(RatingForm {
        state: rating_state(record.ended_at, evaluation.is_some(), now, window),
        rate_until: rate_until(record.ended_at, window),
        record,
        dimensions,
        evaluation,
        now,
    }))
}

fn not_yours() -> AppError {
    AppError::Forbidden("This service record belongs to another customer".to_owned())
}

/// Submit an evaluation of one of the signed-in customer's service records.
///
/// Send an `Idempotency-Key` header (8 to 128 visible ASCII characters, e.g. a random UUID
/// made when the form opens): a retry with the same key and the same body answers the first
/// answer again (same status, `Location` and body, plus `Idempotent-Replayed: true`), even
/// after a server restart, for 24 hours; the same key with another body answers 422
/// `idempotency_key_reused`; a retry while the first request is still being handled answers
/// 409 `idempotency_in_flight` with `Retry-After`. Failed requests are not remembered: fix
/// and resend with the same key.
///
/// Checked in this order: the record exists (404) and is the caller's (403); the record is not
/// rated yet (409 `already_rated`, with the existing evaluation's number as `reference`); the
/// service has ended (409 `service_not_ended`); the rating window is open (409
/// `rating_window_closed`, the detail says when it closed); then the answers against the service type's
/// dimensions (422, one entry per field: `scores.<code>` `required`, `out_of_range` or
/// `unknown_dimension`, `overall` `out_of_range`, `suggestion` `too_long` beyond 500
/// characters). The server computes the total score (mean of the answered dimensions, one
/// decimal) and the number.
#[utoipa::path(
    post,
    path = "/evaluations",
    tag = "evaluations",
    operation_id = "submit_evaluation",
    params(
        ("Idempotency-Key" = String, Header, description = "8 to 128 visible ASCII characters; the same for every retry of this submission"),
    ),
    request_body = NewEvaluation,
    responses(
        (status = 201, description = "Submitted (or, with `Idempotent-Replayed: true`, the first answer to this key again)", body = Evaluation,
            headers(
                ("Location" = String, description = "`/api/v1/evaluations/{number}`"),
                ("Idempotent-Replayed" = String, description = "`true` when this is a replay of the first answer"),
            )),
        (status = 400, description = "No `Idempotency-Key` (`idempotency_key_required`), an invalid one (`idempotency_key_invalid`), or a malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service record", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`service_not_ended`, `rating_window_closed`, `already_rated` (with `reference`) or `idempotency_in_flight` (with `Retry-After`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid answers (per-field `errors`), or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn submit_evaluation(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    key: IdempotencyKey,
    body: HashedJson<NewEvaluation>,
) -> Result<Response, AppError> {
    let idempotency =
        match Idempotency::begin(&state, caller.id, &key, SUBMIT_ROUTE, &body.hash).await? {
            Begin::Replay(response) => return Ok(response),
            Begin::Proceed(idempotency) => idempotency,
        };
    let new = body.value;
    let settings = state.settings.get(&state.pool).await?;
    let window = settings.rating_window_days;
    // One writer at a time from here: the checks, the day's sequence and the writes cannot
    // interleave with another submission's.
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let now = state.clock.now();
    let id = new.service_record_id;
    let row = record_row(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The service record {id}")))?;
    if !caller.is(row.customer_id) {
        return Err(not_yours());
    }
    if let Some(number) = &row.number {
        return Err(already_rated(number));
    }
    let ended_at = from_db(&row.ended_at)?;
    if now < ended_at {
        return Err(Coded::conflict(
            "service_not_ended",
            format!(
                "This service has not ended yet; it can be rated from {}",
                to_db(ended_at)
            ),
        )
        .into());
    }
    let until = rate_until(ended_at, window);
    if rating_state(ended_at, false, now, window) == RatingState::Expired {
        return Err(Coded::conflict(
            "rating_window_closed",
            format!(
                "This service could be rated until {}; the rating window has closed",
                to_db(until)
            ),
        )
        .into());
    }
    let dimensions = form_dimensions(&mut tx, &row.service_type).await?;
    let checked = new.check(&dimensions).map_err(AppError::Validation)?;

    let number = next_number(&mut tx, now).await?;
    let evaluation_id: i64 = sqlx::query_scalar(
        "INSERT INTO evaluations (number, service_record_id, customer_id, agent_id, service_type,
                                  submitted_at, total_score, overall, suggestion, form_seconds)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&number)
    .bind(row.id)
    .bind(row.customer_id)
    .bind(row.agent_id)
    .bind(&row.service_type)
    .bind(to_db(now))
    .bind(checked.total_score)
    .bind(i64::from(checked.overall))
    .bind(&checked.suggestion)
    .bind(new.form_seconds.map(i64::from))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        // Not reachable through this server (the transaction is the only writer), but the
        // database has the last word.
        if is_unique_violation(&e) {
            AppError::Conflict("This service was rated meanwhile".to_owned())
        } else {
            AppError::Database(e)
        }
    })?;
    for (position, (dimension, score)) in dimensions.iter().zip(&checked.scores).enumerate() {
        sqlx::query(
            "INSERT INTO evaluation_scores
                 (evaluation_id, dimension, position, optional, name_zh, name_en, score)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(evaluation_id)
        .bind(&dimension.code)
        .bind(position as i64)
        .bind(dimension.optional)
        .bind(&dimension.name_zh)
        .bind(&dimension.name_en)
        .bind(score.map(i64::from))
        .execute(&mut *tx)
        .await?;
    }
    let (_, evaluation) = load_evaluation(&mut tx, &number, now)
        .await?
        .ok_or_else(|| AppError::Internal(format!("evaluation {number} not read back")))?;
    let body = serde_json::to_string(&evaluation)
        .map_err(|e| AppError::Internal(format!("serialising evaluation {number}: {e}")))?;
    let location = format!("{PREFIX}/evaluations/{number}");
    idempotency
        .store(&mut tx, StatusCode::CREATED, Some(&location), &body, now)
        .await?;
    let entry = Entry::new(now, Action::EvaluationSubmitted)
        .by(Actor::user(&caller, ip))
        .on("evaluation", &number)
        .details(json!({
            "service_record_id": row.id,
            "agent_id": row.agent_id,
            "total_score": checked.total_score,
            "overall": checked.overall,
        }));
    audit::record(&mut *tx, &entry).await?;
    // The anomaly rules (issue 8): flags, `under_review`; the customer's answer is unchanged.
    let submitted = moderation::Submitted {
        id: evaluation_id,
        number: &number,
        customer_id: row.customer_id,
        agent_id: row.agent_id,
        agent_no: row.agent_no.as_deref().unwrap_or_default(),
        scores: &checked.scores,
        overall: checked.overall,
        suggestion: checked.suggestion.as_deref(),
        form_seconds: new.form_seconds,
        submitted_at: now,
    };
    moderation::screen(&mut tx, &submitted, &settings).await?;
    // What the analytics reports read: channel, customer type, the suggestion's terms.
    crate::services::analytics::catch_up(&mut tx).await?;
    // A low overall score: a callback task for the agent's team lead.
    if checked.overall <= settings.callback_threshold {
        crate::api::feedback::open_callback(&mut tx, evaluation_id, row.agent_id, now).await?;
    }
    tx.commit().await?;
    state
        .alerts
        .publish(crate::services::alerts::NewEvaluation {
            agent_id: row.agent_id,
            number: number.clone(),
            overall: checked.overall,
            total_score: checked.total_score,
        });
    Ok(stored_response(StatusCode::CREATED, Some(&location), body))
}

fn already_rated(number: &str) -> AppError {
    Coded::conflict(
        "already_rated",
        format!("This service has already been rated: evaluation {number}"),
    )
    .reference(number)
    .into()
}

/// The next evaluation number of the day of `now` (organisation zone).
async fn next_number(conn: &mut SqliteConnection, now: DateTime<Utc>) -> Result<String, AppError> {
    let day = org_day(now);
    let last: Option<String> =
        sqlx::query_scalar("SELECT MAX(number) FROM evaluations WHERE number BETWEEN ? AND ?")
            .bind(evaluation_number(day, 0))
            .bind(evaluation_number(day, MAX_DAILY_SEQUENCE))
            .fetch_one(conn)
            .await?;
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

/// An evaluation, by its number.
///
/// Customers read their own (another customer's answers 403), admins any. The number is
/// matched case-insensitively, surrounding blanks ignored (` pj20261122-000123 `); a number
/// not of the form `PJ` + 8 digits + `-` + 6 digits answers 404 like an unknown one.
#[utoipa::path(
    get,
    path = "/evaluations/{number}",
    tag = "evaluations",
    operation_id = "evaluation",
    params(("number" = String, Path, description = "`PJ20261122-000123`")),
    responses(
        (status = 200, description = "The evaluation", body = Evaluation),
        (status = 403, description = "Another customer's evaluation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No evaluation has this number, or it is malformed", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn evaluation(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(number): Path<String>,
) -> Result<Json<Evaluation>, AppError> {
    let Some(number) = pingjia_domain::evaluations::normalize_number(&number) else {
        return Err(AppError::NotFound(
            "An evaluation with this number (numbers look like PJ20261122-000123)".to_owned(),
        ));
    };
    let mut conn = state.pool.acquire().await?;
    let (customer_id, evaluation) = load_evaluation(&mut conn, &number, state.clock.now())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The evaluation {number}")))?;
    require_owner(&caller, customer_id)?;
    Ok(Json(evaluation))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvaluationPaging {
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
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

/// The signed-in customer's evaluations, newest first, a page at a time.
#[utoipa::path(
    get,
    path = "/me/evaluations",
    tag = "evaluations",
    operation_id = "my_evaluations",
    params(EvaluationPaging),
    responses(
        (status = 200, description = "One page of the caller's evaluations", body = MyEvaluationPage),
        (status = 400, description = "The query string is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The paging is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn my_evaluations(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(paging): Query<EvaluationPaging>,
) -> Result<Json<MyEvaluationPage>, AppError> {
    let page = paging.page.unwrap_or(1);
    let per_page = paging.per_page.unwrap_or(DEFAULT_EVALUATIONS_PER_PAGE);
    let mut errors = Vec::new();
    if page < 1 {
        errors.push(FieldError::new("page", "out_of_range", "pages start at 1"));
    }
    if !(1..=MAX_EVALUATIONS_PER_PAGE).contains(&per_page) {
        errors.push(FieldError::new(
            "per_page",
            "out_of_range",
            format!("per_page must be between 1 and {MAX_EVALUATIONS_PER_PAGE}"),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut conn = state.pool.acquire().await?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM evaluations WHERE customer_id = ?")
        .bind(caller.id)
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<MyEvaluationRow> = sqlx::query_as(
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
    .bind(caller.id)
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
    Ok(Json(MyEvaluationPage {
        evaluations,
        total: u64::try_from(total).unwrap_or_default(),
        page,
        per_page,
    }))
}
