//! Appeals (申诉): a customer appeals their own evaluation within the appeal window
//! (`POST /evaluations/{number}/appeals`, with an `Idempotency-Key`), follows their appeals
//! (`GET /me/appeals`, `POST /me/appeals/{id}/seen`, `GET /evaluations/{number}/appeals`);
//! admins work through the queue (`GET /appeals`) and decide (`POST /appeals/{id}/decision`).
//!
//! Approving makes a new version of the evaluation in one transaction: the current values are
//! copied to `evaluation_versions` with when and why they were replaced, then `evaluations`
//! and `evaluation_scores` (what statistics read) get the new values and `version` goes up.
//! Filings and decisions are audited. The window is measured by the injectable clock.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use pingjia_domain::appeals::{
    AdminAppeal, AdminAppealPage, Appeal, AppealBrief, AppealCustomer, AppealDecision, AppealList,
    AppealStatus, CustomerAppeals, EvaluationValues, NewAppeal, appeal_until, appeal_window_open,
};
use pingjia_domain::evaluations::{DimensionScore, normalize_number};
use pingjia_domain::problem::FieldError;
use serde::Deserialize;
use serde_json::json;
use sqlx::SqliteConnection;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::evaluations::{load_evaluation, version_number};
use crate::db::{from_json, parse_stored, small, to_json};
use crate::error::{AppError, Coded};
use crate::http::authz::{
    ADMIN, CUSTOMER, CUSTOMER_OR_ADMIN, CurrentUser, Rule, get, post, require_owner,
};
use crate::http::extract::{ClientIp, Json, Query};
use crate::http::idempotency::{
    Begin, HashedJson, Idempotency, IdempotencyKey, sha256_hex, stored_response,
};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::{from_db, to_db};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(file_appeal, evaluation_appeals))
        .routes(routes!(my_appeals))
        .routes(routes!(mark_seen))
        .routes(routes!(appeal_queue))
        .routes(routes!(decide))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    post("/api/v1/evaluations/{number}/appeals", CUSTOMER),
    get("/api/v1/evaluations/{number}/appeals", CUSTOMER_OR_ADMIN),
    get("/api/v1/me/appeals", CUSTOMER),
    post("/api/v1/me/appeals/{id}/seen", CUSTOMER),
    get("/api/v1/appeals", ADMIN),
    post("/api/v1/appeals/{id}/decision", ADMIN),
];

/// The route idempotency keys of filings are bound to (the evaluation's number is bound
/// through the request hash).
const FILE_ROUTE: &str = "POST /api/v1/evaluations/{number}/appeals";

/// `GET /appeals` paging.
pub const DEFAULT_APPEALS_PER_PAGE: u32 = 20;
pub const MAX_APPEALS_PER_PAGE: u32 = 100;

/// Most appeals listed in a customer's history in the queue.
pub const MAX_CUSTOMER_APPEALS: u32 = 20;

/// What filing and deciding need of an evaluation: its current version.
struct Current {
    id: i64,
    number: String,
    customer_id: i64,
    submitted_at: DateTime<Utc>,
    version: u32,
    values: EvaluationValues,
}

#[derive(sqlx::FromRow)]
struct CurrentRow {
    id: i64,
    number: String,
    customer_id: i64,
    submitted_at: String,
    version: i64,
    total_score: f64,
    overall: i64,
    suggestion: Option<String>,
}

/// The evaluation numbered `number` (normalised), as it stands.
async fn current(
    conn: &mut SqliteConnection,
    number: &str,
) -> Result<Option<Current>, sqlx::Error> {
    let row: Option<CurrentRow> = sqlx::query_as(
        "SELECT id, number, customer_id, submitted_at, version, total_score, overall, suggestion
         FROM evaluations WHERE number = ?",
    )
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(CurrentRow {
        id,
        number,
        customer_id,
        submitted_at,
        version,
        total_score,
        overall,
        suggestion,
    }) = row
    else {
        return Ok(None);
    };
    let scores: Vec<(String, String, String, bool, Option<i64>)> = sqlx::query_as(
        "SELECT dimension, name_zh, name_en, optional, score FROM evaluation_scores
         WHERE evaluation_id = ? ORDER BY position, dimension",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let scores = scores
        .into_iter()
        .map(|(code, name_zh, name_en, optional, score)| {
            Ok(DimensionScore {
                code,
                name_zh,
                name_en,
                optional,
                score: score.map(|s| small("score", s)).transpose()?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(Some(Current {
        id,
        number,
        customer_id,
        submitted_at: from_db(&submitted_at)?,
        version: version_number(version)?,
        values: EvaluationValues {
            scores,
            total_score,
            overall: small("overall score", overall)?,
            suggestion,
        },
    }))
}

/// The number in a path, normalised; a malformed one is not found, like an unknown one.
fn path_number(number: &str) -> Result<String, AppError> {
    normalize_number(number).ok_or_else(|| {
        AppError::NotFound(
            "An evaluation with this number (numbers look like PJ20261122-000123)".to_owned(),
        )
    })
}

const APPEAL_SELECT: &str = "SELECT a.id, e.number, a.customer_id, a.status, a.reason, a.version, \
     a.current_json, a.requested_json, a.filed_at, a.decision_reason, a.decided_at, \
     a.applied_json, a.new_version, a.seen_by_customer \
     FROM appeals a JOIN evaluations e ON e.id = a.evaluation_id";

#[derive(sqlx::FromRow)]
struct AppealRow {
    id: i64,
    number: String,
    customer_id: i64,
    status: String,
    reason: String,
    version: i64,
    current_json: String,
    requested_json: Option<String>,
    filed_at: String,
    decision_reason: Option<String>,
    decided_at: Option<String>,
    applied_json: Option<String>,
    new_version: Option<i64>,
    seen_by_customer: bool,
}

impl AppealRow {
    fn into_appeal(self) -> Result<Appeal, sqlx::Error> {
        Ok(Appeal {
            id: self.id,
            evaluation_number: self.number,
            status: parse_stored(&self.status, AppealStatus::parse)?,
            reason: self.reason,
            version: version_number(self.version)?,
            current: from_json("appeal values", &self.current_json)?,
            requested: self
                .requested_json
                .as_deref()
                .map(|j| from_json("requested change", j))
                .transpose()?,
            filed_at: from_db(&self.filed_at)?,
            decision_reason: self.decision_reason,
            decided_at: self.decided_at.as_deref().map(from_db).transpose()?,
            applied: self
                .applied_json
                .as_deref()
                .map(|j| from_json("applied change", j))
                .transpose()?,
            new_version: self.new_version.map(version_number).transpose()?,
            seen_by_customer: self.seen_by_customer,
        })
    }
}

async fn appeal_row(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Option<AppealRow>, sqlx::Error> {
    sqlx::query_as(&format!("{APPEAL_SELECT} WHERE a.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

async fn appeal_by_id(conn: &mut SqliteConnection, id: i64) -> Result<AppealRow, AppError> {
    appeal_row(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The appeal {id}")))
}

fn list(rows: Vec<AppealRow>) -> Result<AppealList, sqlx::Error> {
    let appeals = rows
        .into_iter()
        .map(AppealRow::into_appeal)
        .collect::<Result<Vec<_>, _>>()?;
    let unseen = appeals
        .iter()
        .filter(|a| a.status != AppealStatus::Pending && !a.seen_by_customer)
        .count();
    Ok(AppealList {
        appeals,
        unseen: unseen as u64,
    })
}

/// Appeal one's own evaluation.
///
/// Send an `Idempotency-Key` header (8 to 128 visible ASCII characters): a retry with the same
/// key and body answers the first answer again (with `Idempotent-Replayed: true`), so a double
/// click or a retry after a network failure files one appeal; the same key with another body
/// or another evaluation answers 422 `idempotency_key_reused`; a retry while the first is in
/// flight 409 `idempotency_in_flight`.
///
/// Checked in this order: the evaluation exists (404) and is the caller's (403); the appeal
/// window is open, `appeal_window_hours` (24 by default) from the submission, its last instant
/// included (409 `appeal_window_closed`, the detail says when it closed); no appeal of it is
/// pending (409 `appeal_pending`, its id as `reference`); then the fields (422, one entry per
/// field): `reason` `required`, `too_short` (under 10 characters once trimmed) or `too_long`
/// (over 1000); `requested.scores.<code>` `required`, `out_of_range` or `unknown_dimension`,
/// `requested.overall` `out_of_range`, `requested.suggestion` `too_long`, `requested`
/// `unchanged` (the same as the evaluation as it stands). `requested` is optional and, when
/// sent, a whole set of answers for the evaluation's dimensions.
#[utoipa::path(
    post,
    path = "/evaluations/{number}/appeals",
    tag = "appeals",
    operation_id = "file_appeal",
    params(
        ("number" = String, Path, description = "`PJ20261122-000123`"),
        ("Idempotency-Key" = String, Header, description = "8 to 128 visible ASCII characters; the same for every retry of this filing"),
    ),
    request_body = NewAppeal,
    responses(
        (status = 201, description = "Filed (or, with `Idempotent-Replayed: true`, the first answer to this key again)", body = Appeal,
            headers(("Idempotent-Replayed" = String, description = "`true` when this is a replay of the first answer"))),
        (status = 400, description = "No `Idempotency-Key` (`idempotency_key_required`), an invalid one (`idempotency_key_invalid`), or a malformed body"),
        (status = 403, description = "Another customer's evaluation"),
        (status = 404, description = "No evaluation has this number"),
        (status = 409, description = "`appeal_window_closed`, `appeal_pending` (with `reference`) or `idempotency_in_flight`"),
        (status = 422, description = "Invalid fields (per-field `errors`), or `idempotency_key_reused`"),
    )
)]
async fn file_appeal(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(number): Path<String>,
    key: IdempotencyKey,
    body: HashedJson<NewAppeal>,
) -> Result<Response, AppError> {
    let number = path_number(&number)?;
    // The key is bound to this evaluation too: the same key and body on another one is reuse.
    let hash = sha256_hex(format!("{number}\n{}", body.hash).as_bytes());
    let idempotency = match Idempotency::begin(&state, caller.id, &key, FILE_ROUTE, &hash).await? {
        Begin::Replay(response) => return Ok(response),
        Begin::Proceed(idempotency) => idempotency,
    };
    let hours = state.settings.get(&state.pool).await?.appeal_window_hours;
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let now = state.clock.now();
    let evaluation = current(&mut tx, &number)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The evaluation {number}")))?;
    if !caller.is(evaluation.customer_id) {
        return Err(AppError::Forbidden(
            "This evaluation belongs to another customer".to_owned(),
        ));
    }
    if !appeal_window_open(evaluation.submitted_at, hours, now) {
        return Err(Coded::conflict(
            "appeal_window_closed",
            format!(
                "This evaluation could be appealed until {} ({hours} hours after it was \
                 submitted); the appeal window has closed",
                to_db(appeal_until(evaluation.submitted_at, hours))
            ),
        )
        .into());
    }
    let pending: Option<i64> =
        sqlx::query_scalar("SELECT id FROM appeals WHERE evaluation_id = ? AND status = 'pending'")
            .bind(evaluation.id)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(pending) = pending {
        return Err(Coded::conflict(
            "appeal_pending",
            "This evaluation already has an appeal awaiting a decision; one appeal at a time",
        )
        .reference(pending.to_string())
        .into());
    }
    let checked = body
        .value
        .check(&evaluation.values)
        .map_err(AppError::Validation)?;
    let requested = checked
        .requested
        .as_ref()
        .map(|r| to_json("requested change", r))
        .transpose()?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO appeals (evaluation_id, customer_id, version, reason, current_json,
                              requested_json, filed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(evaluation.id)
    .bind(evaluation.customer_id)
    .bind(i64::from(evaluation.version))
    .bind(&checked.reason)
    .bind(to_json("evaluation values", &evaluation.values)?)
    .bind(&requested)
    .bind(to_db(now))
    .fetch_one(&mut *tx)
    .await?;
    let appeal = appeal_by_id(&mut tx, id).await?.into_appeal()?;
    let body = to_json("appeal", &appeal)?;
    idempotency
        .store(&mut tx, StatusCode::CREATED, None, &body, now)
        .await?;
    let entry = Entry::new(now, Action::AppealFiled)
        .by(Actor::user(&caller, ip))
        .on("appeal", id)
        .details(json!({
            "evaluation": evaluation.number,
            "version": evaluation.version,
            "reason": checked.reason,
            "requested": checked.requested.is_some(),
        }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(stored_response(StatusCode::CREATED, None, body))
}

/// The appeals of an evaluation, newest first.
///
/// Its customer (another customer's answers 403) and admins. `unseen` counts the decided ones
/// whose decision the customer has not marked seen.
#[utoipa::path(
    get,
    path = "/evaluations/{number}/appeals",
    tag = "appeals",
    operation_id = "evaluation_appeals",
    params(("number" = String, Path, description = "`PJ20261122-000123`")),
    responses(
        (status = 200, description = "The evaluation's appeals", body = AppealList),
        (status = 403, description = "Another customer's evaluation"),
        (status = 404, description = "No evaluation has this number"),
    )
)]
async fn evaluation_appeals(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(number): Path<String>,
) -> Result<Json<AppealList>, AppError> {
    let number = path_number(&number)?;
    let mut conn = state.pool.acquire().await?;
    let owner: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, customer_id FROM evaluations WHERE number = ?")
            .bind(&number)
            .fetch_optional(&mut *conn)
            .await?;
    let (id, customer_id) =
        owner.ok_or_else(|| AppError::NotFound(format!("The evaluation {number}")))?;
    require_owner(&caller, customer_id)?;
    let rows: Vec<AppealRow> = sqlx::query_as(&format!(
        "{APPEAL_SELECT} WHERE a.evaluation_id = ? ORDER BY a.filed_at DESC, a.id DESC"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Json(list(rows)?))
}

/// The signed-in customer's appeals, newest first, with their status, and once decided the
/// reason and time; `unseen` counts the decisions not marked seen yet (the badge).
#[utoipa::path(
    get,
    path = "/me/appeals",
    tag = "appeals",
    operation_id = "my_appeals",
    responses(
        (status = 200, description = "The caller's appeals", body = AppealList),
    )
)]
async fn my_appeals(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<Json<AppealList>, AppError> {
    let rows: Vec<AppealRow> = sqlx::query_as(&format!(
        "{APPEAL_SELECT} WHERE a.customer_id = ? ORDER BY a.filed_at DESC, a.id DESC"
    ))
    .bind(caller.id)
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(list(rows)?))
}

/// Mark the decision of one of the caller's appeals as seen: it no longer counts in `unseen`.
///
/// Idempotent; on a pending appeal (no decision yet) it changes nothing. Another customer's
/// appeal answers 403. Answers the appeal.
#[utoipa::path(
    post,
    path = "/me/appeals/{id}/seen",
    tag = "appeals",
    operation_id = "mark_appeal_seen",
    params(("id" = i64, Path, description = "The appeal")),
    responses(
        (status = 200, description = "The appeal, its decision marked seen", body = Appeal),
        (status = 403, description = "Another customer's appeal"),
        (status = 404, description = "No such appeal"),
    )
)]
async fn mark_seen(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Appeal>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let row = appeal_by_id(&mut conn, id).await?;
    if !caller.is(row.customer_id) {
        return Err(AppError::Forbidden(
            "This appeal belongs to another customer".to_owned(),
        ));
    }
    sqlx::query("UPDATE appeals SET seen_by_customer = 1 WHERE id = ? AND status <> 'pending'")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(Json(appeal_by_id(&mut conn, id).await?.into_appeal()?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueFilter {
    /// Only appeals in this status; all of them when absent.
    status: Option<AppealStatus>,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
}

/// The admin appeal queue: pending first, then oldest first, a page at a time.
///
/// Each item has the appeal (the evaluation as it stood when filed, `current`, beside the
/// change requested, `requested`), the evaluation as it stands now (its current version and
/// history), its customer, and the customer's history of appeals (counts and the latest 20,
/// this one left out). `pending` counts every pending appeal, whatever the filter.
#[utoipa::path(
    get,
    path = "/appeals",
    tag = "appeals",
    operation_id = "appeal_queue",
    params(QueueFilter),
    responses(
        (status = 200, description = "One page of the queue", body = AdminAppealPage),
        (status = 400, description = "The query string is malformed (e.g. an unknown status)"),
        (status = 422, description = "The paging is invalid"),
    )
)]
async fn appeal_queue(
    State(state): State<AppState>,
    Query(filter): Query<QueueFilter>,
) -> Result<Json<AdminAppealPage>, AppError> {
    let page = filter.page.unwrap_or(1);
    let per_page = filter.per_page.unwrap_or(DEFAULT_APPEALS_PER_PAGE);
    let mut errors = Vec::new();
    if page < 1 {
        errors.push(FieldError::new("page", "out_of_range", "pages start at 1"));
    }
    if !(1..=MAX_APPEALS_PER_PAGE).contains(&per_page) {
        errors.push(FieldError::new(
            "per_page",
            "out_of_range",
            format!("per_page must be between 1 and {MAX_APPEALS_PER_PAGE}"),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let status = filter.status.map(AppealStatus::as_str);
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM appeals WHERE ?1 IS NULL OR status = ?1")
            .bind(status)
            .fetch_one(&mut *conn)
            .await?;
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM appeals WHERE status = 'pending'")
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<AppealRow> = sqlx::query_as(&format!(
        "{APPEAL_SELECT} WHERE ?1 IS NULL OR a.status = ?1
         ORDER BY a.status = 'pending' DESC, a.filed_at, a.id LIMIT ?2 OFFSET ?3"
    ))
    .bind(status)
    .bind(i64::from(per_page))
    .bind(i64::from(page - 1) * i64::from(per_page))
    .fetch_all(&mut *conn)
    .await?;
    let mut appeals = Vec::with_capacity(rows.len());
    for row in rows {
        let customer_id = row.customer_id;
        let appeal = row.into_appeal()?;
        let (_, evaluation) = load_evaluation(&mut conn, &appeal.evaluation_number, now)
            .await?
            .ok_or_else(|| AppError::Internal(format!("appeal {}: its evaluation", appeal.id)))?;
        let customer: (Option<String>, String) =
            sqlx::query_as("SELECT customer_no, display_name FROM users WHERE id = ?")
                .bind(customer_id)
                .fetch_one(&mut *conn)
                .await?;
        let customer_appeals = customer_appeals(&mut conn, customer_id, appeal.id).await?;
        appeals.push(AdminAppeal {
            customer: AppealCustomer {
                id: customer_id,
                customer_no: customer.0.unwrap_or_default(),
                display_name: customer.1,
            },
            appeal,
            evaluation,
            customer_appeals,
        });
    }
    Ok(Json(AdminAppealPage {
        appeals,
        total: u64::try_from(total).unwrap_or_default(),
        pending: u64::try_from(pending).unwrap_or_default(),
        page,
        per_page,
    }))
}

/// A customer's appeals other than `except`: counts and the latest ones.
async fn customer_appeals(
    conn: &mut SqliteConnection,
    customer_id: i64,
    except: i64,
) -> Result<CustomerAppeals, sqlx::Error> {
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM appeals WHERE customer_id = ? AND id <> ? GROUP BY status",
    )
    .bind(customer_id)
    .bind(except)
    .fetch_all(&mut *conn)
    .await?;
    let count = |status: &str| {
        counts
            .iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or_default())
    };
    let rows: Vec<AppealRow> = sqlx::query_as(&format!(
        "{APPEAL_SELECT} WHERE a.customer_id = ? AND a.id <> ?
         ORDER BY a.filed_at DESC, a.id DESC LIMIT ?"
    ))
    .bind(customer_id)
    .bind(except)
    .bind(i64::from(MAX_CUSTOMER_APPEALS))
    .fetch_all(&mut *conn)
    .await?;
    let appeals = rows
        .into_iter()
        .map(|r| {
            let a = r.into_appeal()?;
            Ok(AppealBrief {
                id: a.id,
                evaluation_number: a.evaluation_number,
                status: a.status,
                reason: a.reason,
                filed_at: a.filed_at,
                decision_reason: a.decision_reason,
                decided_at: a.decided_at,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let (pending, approved, rejected) = (count("pending"), count("approved"), count("rejected"));
    Ok(CustomerAppeals {
        total: pending + approved + rejected,
        approved,
        rejected,
        pending,
        appeals,
    })
}

/// Decide a pending appeal.
///
/// `approve` applies the requested change, or `applied` when given (an admin's edit; required
/// when the appeal requested none): the server checks it as a submission (per-field errors
/// under `applied.`), recomputes the total score, keeps the current values as an earlier
/// version and makes the change the evaluation's new current version, in one transaction.
/// `reject` changes nothing (`applied` is refused). A reason is required either way (422
/// `reason` `required`); the customer sees it. A decided appeal answers 409
/// `appeal_already_decided`. Answers the decided appeal; audited.
#[utoipa::path(
    post,
    path = "/appeals/{id}/decision",
    tag = "appeals",
    operation_id = "decide_appeal",
    params(("id" = i64, Path, description = "The appeal")),
    request_body = AppealDecision,
    responses(
        (status = 200, description = "Decided", body = Appeal),
        (status = 404, description = "No such appeal"),
        (status = 409, description = "`appeal_already_decided`"),
        (status = 422, description = "Invalid fields (per-field `errors`)"),
    )
)]
async fn decide(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(decision): Json<AppealDecision>,
) -> Result<Json<Appeal>, AppError> {
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let now = state.clock.now();
    let appeal = appeal_by_id(&mut tx, id).await?.into_appeal()?;
    if appeal.status != AppealStatus::Pending {
        return Err(Coded::conflict(
            "appeal_already_decided",
            format!(
                "This appeal was already {} on {}",
                appeal.status.as_str(),
                appeal.decided_at.map(to_db).unwrap_or_default()
            ),
        )
        .reference(id.to_string())
        .into());
    }
    let evaluation = current(&mut tx, &appeal.evaluation_number)
        .await?
        .ok_or_else(|| AppError::Internal(format!("appeal {id}: its evaluation")))?;
    let checked = decision
        .check(appeal.requested.as_ref(), &evaluation.values)
        .map_err(AppError::Validation)?;
    let entry = match &checked.applied {
        Some(applied) => {
            let new_version = evaluation.version + 1;
            new_version_of(
                &mut tx,
                &evaluation,
                applied,
                &caller,
                &checked.reason,
                id,
                now,
            )
            .await?;
            sqlx::query(
                "UPDATE appeals SET status = 'approved', decided_at = ?, decided_by = ?,
                        decision_reason = ?, applied_json = ?, new_version = ?
                 WHERE id = ?",
            )
            .bind(to_db(now))
            .bind(caller.id)
            .bind(&checked.reason)
            .bind(to_json("applied change", applied)?)
            .bind(i64::from(new_version))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            Entry::new(now, Action::AppealApproved).details(json!({
                "evaluation": evaluation.number,
                "reason": checked.reason,
                "old": { "version": evaluation.version, "total_score": evaluation.values.total_score,
                         "overall": evaluation.values.overall },
                "new": { "version": new_version, "total_score": applied.total_score,
                         "overall": applied.overall },
                "edited": decision.applied.is_some(),
            }))
        }
        None => {
            sqlx::query(
                "UPDATE appeals SET status = 'rejected', decided_at = ?, decided_by = ?,
                        decision_reason = ?
                 WHERE id = ?",
            )
            .bind(to_db(now))
            .bind(caller.id)
            .bind(&checked.reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            Entry::new(now, Action::AppealRejected).details(json!({
                "evaluation": evaluation.number,
                "reason": checked.reason,
            }))
        }
    };
    audit::record(
        &mut *tx,
        &entry.by(Actor::user(&caller, ip)).on("appeal", id),
    )
    .await?;
    let appeal = appeal_by_id(&mut tx, id).await?.into_appeal()?;
    tx.commit().await?;
    Ok(Json(appeal))
}

/// Makes `applied` the current version of `evaluation`, keeping the current one in
/// `evaluation_versions`.
async fn new_version_of(
    conn: &mut SqliteConnection,
    evaluation: &Current,
    applied: &EvaluationValues,
    by: &CurrentUser,
    reason: &str,
    appeal_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // When the current version was made: the submission, or the approval that replaced the
    // version before it.
    let created_at: String = if evaluation.version == 1 {
        to_db(evaluation.submitted_at)
    } else {
        sqlx::query_scalar(
            "SELECT replaced_at FROM evaluation_versions WHERE evaluation_id = ? AND version = ?",
        )
        .bind(evaluation.id)
        .bind(i64::from(evaluation.version - 1))
        .fetch_one(&mut *conn)
        .await?
    };
    let old = &evaluation.values;
    sqlx::query(
        "INSERT INTO evaluation_versions (evaluation_id, version, total_score, overall,
             suggestion, scores_json, created_at, replaced_at, replaced_by, reason, appeal_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(evaluation.id)
    .bind(i64::from(evaluation.version))
    .bind(old.total_score)
    .bind(i64::from(old.overall))
    .bind(&old.suggestion)
    .bind(to_json("version scores", &old.scores)?)
    .bind(created_at)
    .bind(to_db(now))
    .bind(by.id)
    .bind(reason)
    .bind(appeal_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE evaluations SET total_score = ?, overall = ?, suggestion = ?, version = ?
         WHERE id = ?",
    )
    .bind(applied.total_score)
    .bind(i64::from(applied.overall))
    .bind(&applied.suggestion)
    .bind(i64::from(evaluation.version + 1))
    .bind(evaluation.id)
    .execute(&mut *conn)
    .await?;
    for score in &applied.scores {
        sqlx::query(
            "UPDATE evaluation_scores SET score = ? WHERE evaluation_id = ? AND dimension = ?",
        )
        .bind(score.score.map(i64::from))
        .bind(evaluation.id)
        .bind(&score.code)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
