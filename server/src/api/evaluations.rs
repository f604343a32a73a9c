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

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Duration, Timelike, Utc};
use pingjia_domain::evaluations::{
    Evaluation, MyEvaluationPage, MyRecords, NewEvaluation, RatingForm, RatingState, rate_until,
    rating_state,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::batch::Batch;
use crate::db::calendar::work_calendar;
use crate::db::callbacks;
use crate::db::evaluations::{
    self, RecordRow, form_dimensions, load_evaluation, record_row, submission_reads,
};
use crate::db::invitations;
use crate::db::is_unique_violation;
use crate::error::{AppError, Coded};
use crate::http::PREFIX;
use crate::http::authz::{
    CUSTOMER, CUSTOMER_OR_ADMIN, CurrentUser, Rule, get, post, require_owner,
};
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::idempotency::{
    HashedJson, IdempotencyKey, idempotent, in_flight, stored_response,
};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::services::analytics;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::cluster;
use crate::services::moderation;
use crate::time::{from_db, to_db};
use pingjia_domain::events::EventType;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_records))
        .routes(routes!(rating_form))
        .routes(routes!(submit_evaluation))
        .routes(routes!(evaluation))
        .routes(routes!(my_evaluations))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/me/service-records", CUSTOMER),
    get("/api/v1/me/service-records/{id}", CUSTOMER),
    post("/api/v1/evaluations", CUSTOMER),
    get("/api/v1/evaluations/{number}", CUSTOMER_OR_ADMIN),
    get("/api/v1/me/evaluations", CUSTOMER),
];

/// The route idempotency keys of submissions are bound to.
const SUBMIT_ROUTE: &str = "POST /api/v1/evaluations";

/// Most records listed under `others` in `GET /me/service-records`.
pub const MAX_OTHER_RECORDS: u32 = 100;

/// `GET /me/evaluations` paging.
pub const DEFAULT_EVALUATIONS_PER_PAGE: u32 = 20;
pub const MAX_EVALUATIONS_PER_PAGE: u32 = 100;

/// "Now" to whole seconds, as times are stored: what the lists compare with.
fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_nanosecond(0).unwrap_or(t)
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
    let opened = now - Duration::days(i64::from(window));
    let mut conn = state.pool.acquire().await?;
    let (awaiting, others_total, others) =
        evaluations::customer_records(&mut conn, caller.id, now, opened, MAX_OTHER_RECORDS).await?;

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
/// be rated, and its evaluation once rated. Another customer's record answers 404, as one that
/// does not exist.
#[utoipa::path(
    get,
    path = "/me/service-records/{id}",
    tag = "evaluations",
    operation_id = "rating_form",
    params(("id" = i64, Path, description = "The service record")),
    responses(
        (status = 200, description = "The rating form", body = RatingForm),
        (status = 404, description = "No such record, or it is another customer's"),
    )
)]
async fn rating_form(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<RatingForm>, AppError> {
    Ok(Json(form_of(&state, caller.id, id).await?))
}

/// The rating form of the record `id` of the customer `customer_id` (404 when the record is
/// another customer's), for the signed-in customer and the holder of a rating link alike.
pub(super) async fn form_of(
    state: &AppState,
    customer_id: i64,
    id: i64,
) -> Result<RatingForm, AppError> {
    let now = whole_seconds(state.clock.now());
    let window = state.settings.get(&state.pool).await?.rating_window_days;
    let mut conn = state.pool.acquire().await?;
    let row = record_row(&mut conn, id)
        .await?
        .ok_or_else(|| no_record(id))?;
    if customer_id != row.customer_id {
        return Err(no_record(id));
    }
    let dimensions = form_dimensions(&mut conn, &row.service_type).await?;
    let evaluation = match &row.number {
        Some(number) => load_evaluation(&mut conn, number, now)
            .await?
            .map(|(_, e)| e),
        None => None,
    };
    let record = row.info()?;
    Ok(RatingForm {
        state: rating_state(record.ended_at, evaluation.is_some(), now, window),
        rate_until: rate_until(record.ended_at, window),
        record,
        dimensions,
        evaluation,
        now,
    })
}

/// The answer for a record that does not exist and for another customer's alike: nobody learns
/// which record numbers are in use.
fn no_record(id: i64) -> AppError {
    AppError::NotFound(format!("The service record {id}"))
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
/// Checked in this order: the record exists and is the caller's (404 otherwise); the record is not
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
        (status = 400, description = "No `Idempotency-Key` (`idempotency_key_required`), an invalid one (`idempotency_key_invalid`), or a malformed body"),
        (status = 404, description = "No such service record, or it is another customer's"),
        (status = 409, description = "`service_not_ended`, `rating_window_closed`, `already_rated` (with `reference`) or `idempotency_in_flight` (with `Retry-After`)"),
        (status = 422, description = "Invalid answers (per-field `errors`), or `idempotency_key_reused`"),
    )
)]
async fn submit_evaluation(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    key: IdempotencyKey,
    body: HashedJson<NewEvaluation>,
) -> Result<Response, AppError> {
    let rater = Rater {
        customer_id: caller.id,
        ip,
        by_link: false,
    };
    submit(&state, rater, &key, body).await
}

/// Who submits an evaluation: a customer, signed in or holding a rating link of the record.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rater {
    pub customer_id: i64,
    pub ip: std::net::IpAddr,
    /// Through a rating link (`api::rating_links`), without a session.
    pub by_link: bool,
}

/// The submission of `POST /evaluations` (its checks, in that order, and answers), for the
/// signed-in customer and for the holder of a rating link alike: the same key handling, the
/// same checks, the same writes. The record must be `rater`'s (404 otherwise).
pub(super) async fn submit(
    state: &AppState,
    rater: Rater,
    key: &IdempotencyKey,
    body: HashedJson<NewEvaluation>,
) -> Result<Response, AppError> {
    idempotent(
        state,
        rater.customer_id,
        key,
        SUBMIT_ROUTE,
        &body.hash,
        async |idempotency| {
            let new = body.value;
            let settings = state.settings.get(&state.pool).await?;
            let window = settings.rating_window_days;
            let now = state.clock.now();
            let id = new.service_record_id;
            // What needs no write lock, first: the record and its checks, the form and the
            // answers' checks, the suggestion's terms and key, the lexicon, a callback's due
            // time. Only a rating of this record in the meantime can change the outcome, and
            // the insert below catches that.
            let mut conn = state.pool.acquire().await?;
            // A low overall score: a callback task for the agent's team lead, due by the
            // working-day calendar (read only then).
            let low = new.overall <= settings.callback_threshold;
            let reads = submission_reads(&mut conn, id, low)
                .await?
                .ok_or_else(|| no_record(id))?;
            let row = reads.record;
            if rater.customer_id != row.customer_id {
                return Err(no_record(id));
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
            let dimensions = reads.dimensions;
            let checked = new.check(&dimensions).map_err(AppError::Validation)?;
            let screening =
                moderation::Screening::new(checked.suggestion.as_deref(), reads.lexicon);
            let callback_due = match (
                checked.overall <= settings.callback_threshold,
                reads.calendar,
            ) {
                (false, _) => None,
                (true, Some(calendar)) => Some(callbacks::due_at(&calendar, now)),
                (true, None) => Some(callbacks::due_at(&work_calendar(&mut conn).await?, now)),
            };
            drop(conn);
            let record = row.info()?;
            let terms = checked
                .suggestion
                .as_deref()
                .map(analytics::terms)
                .unwrap_or_default();
            let suggestion_key = moderation::Screening::stored_key(checked.suggestion.as_deref());

            // One writer at a time from here, in turn, on the write lane: the day's sequence
            // and the writes cannot interleave with another submission's. The lane commits
            // (with the submissions waiting beside this one) before it answers.
            let form_seconds = new.form_seconds;
            let (response, event, idempotency) = state
                .writer
                .run(move |tx| {
                    Box::pin(async move {
                        // The anomaly rules (issue 8): flags, `under_review`; the customer's answer
                        // is unchanged. The id and number are read with the look-backs.
                        let rating = moderation::Rating {
                            customer_id: row.customer_id,
                            agent_id: row.agent_id,
                            agent_no: row.agent_no.as_deref().unwrap_or_default(),
                            scores: &checked.scores,
                            overall: checked.overall,
                            suggestion: checked.suggestion.as_deref(),
                            form_seconds,
                            submitted_at: now,
                        };
                        let (evaluation_id, number, screened) =
                            moderation::look_back(&mut *tx, &rating, &settings, &screening).await?;
                        let submitted = rating.numbered(evaluation_id, &number);
                        let new_row = evaluations::NewRow {
                            number: &number,
                            record: &row,
                            submitted_at: now,
                            dimensions: &dimensions,
                            checked: &checked,
                            form_seconds,
                            terms: &terms,
                            suggestion_key: suggestion_key.as_deref(),
                        };
                        // The answer, as `GET /evaluations/{number}` reads it back.
                        let evaluation =
                            evaluations::submitted(&new_row, record, settings.appeal_window_hours)?;
                        let body = serde_json::to_string(&evaluation).map_err(|e| {
                            AppError::Internal(format!("serialising evaluation {number}: {e}"))
                        })?;
                        let location = format!("{PREFIX}/evaluations/{number}");
                        // Every write in one batch: the evaluation, its scores and terms, the audit
                        // entry, its flags, the callback task, the stored answer.
                        let mut batch = Batch::default();
                        evaluations::push_insert(
                            &mut batch,
                            evaluation_id,
                            &new_row,
                            screened.flagged(),
                        );
                        let mut details = json!({
                            "service_record_id": row.id,
                            "agent_id": row.agent_id,
                            "total_score": checked.total_score,
                            "overall": checked.overall,
                        });
                        if rater.by_link {
                            details["by_link"] = json!(true);
                        }
                        let actor = Actor {
                            user_id: Some(rater.customer_id),
                            ip: rater.ip,
                        };
                        let entry = Entry::new(now, Action::EvaluationSubmitted)
                            .by(actor)
                            .on("evaluation", &number)
                            .details(details);
                        audit::push(&mut batch, &entry);
                        // The record's invitation, if it has one, is rated.
                        invitations::push_rated(&mut batch, row.id, now);
                        moderation::push_flags(&mut batch, &submitted, &screened);
                        if let Some(due) = callback_due {
                            callbacks::push_open(&mut batch, evaluation_id, row.agent_id, now, due);
                        }
                        crate::db::events::push_evaluation_events(
                            &mut batch,
                            evaluation_id,
                            &events_of(callback_due.is_some(), screened.flagged()),
                            now,
                        );
                        idempotency.push_store(
                            &mut batch,
                            StatusCode::CREATED,
                            Some(&location),
                            &body,
                            now,
                        );
                        if let Err(e) = batch.run(&mut *tx).await {
                            if !is_unique_violation(&e) {
                                return Err(e.into());
                            }
                            // Rated since the checks above read the record (another request of
                            // the same customer), or the key stored by another process.
                            return Err(match evaluations::rated_by(&mut *tx, row.id).await? {
                                Some(number) => already_rated(&number),
                                None => in_flight(),
                            });
                        }
                        moderation::flag_earlier(&mut *tx, &submitted, &screened, &screening)
                            .await?;
                        let response = stored_response(StatusCode::CREATED, Some(&location), body);
                        let event = crate::services::alerts::NewEvaluation {
                            agent_id: row.agent_id,
                            number,
                            overall: checked.overall,
                            total_score: checked.total_score,
                        };
                        // The key's in-flight marker stays until the answer is committed.
                        Ok((response, event, idempotency))
                    })
                })
                .await?;
            drop(idempotency);
            cluster::tell_soon(state, cluster::Message::Evaluation(event));
            state.events.wake();
            Ok(response)
        },
    )
    .await
}

/// The events a new evaluation causes: it was created; with a low score, the low score and
/// its callback task; flagged by the anomaly rules, the flag.
fn events_of(low: bool, flagged: bool) -> Vec<EventType> {
    let mut events = vec![EventType::EvaluationCreated];
    if low {
        events.extend([EventType::EvaluationLowScore, EventType::CallbackOpened]);
    }
    if flagged {
        events.push(EventType::EvaluationFlagged);
    }
    events
}

fn already_rated(number: &str) -> AppError {
    Coded::conflict(
        "already_rated",
        format!("This service has already been rated: evaluation {number}"),
    )
    .reference(number)
    .into()
}

/// An evaluation, by its number.
///
/// Customers read their own (another customer's answers 404, as an unknown number), admins
/// any. The number is matched case-insensitively, surrounding blanks ignored
/// (` pj20261122-000123 `); a number not of the form `PJ` + 8 digits + `-` + 6 digits answers 404 like an unknown one.
#[utoipa::path(
    get,
    path = "/evaluations/{number}",
    tag = "evaluations",
    operation_id = "evaluation",
    params(("number" = String, Path, description = "`PJ20261122-000123`")),
    responses(
        (status = 200, description = "The evaluation", body = Evaluation),
        (status = 403, description = "The caller is neither a customer nor an admin"),
        (status = 404, description = "No evaluation has this number, it is malformed, or it is another customer's"),
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
    let missing = || AppError::NotFound(format!("The evaluation {number}"));
    let (customer_id, evaluation) = load_evaluation(&mut conn, &number, state.clock.now())
        .await?
        .ok_or_else(missing)?;
    require_owner(&caller, customer_id, missing)?;
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

/// The signed-in customer's evaluations, newest first, a page at a time.
#[utoipa::path(
    get,
    path = "/me/evaluations",
    tag = "evaluations",
    operation_id = "my_evaluations",
    params(EvaluationPaging),
    responses(
        (status = 200, description = "One page of the caller's evaluations", body = MyEvaluationPage),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The paging is invalid"),
    )
)]
async fn my_evaluations(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(paging): Query<EvaluationPaging>,
) -> Result<Json<MyEvaluationPage>, AppError> {
    let page = paging.page.unwrap_or(1);
    let per_page = paging.per_page.unwrap_or(DEFAULT_EVALUATIONS_PER_PAGE);
    check_paging(page, per_page, MAX_EVALUATIONS_PER_PAGE, None, None)?;
    let mut conn = state.pool.acquire().await?;
    let (total, evaluations) =
        evaluations::customer_evaluations(&mut conn, caller.id, page, per_page).await?;
    Ok(Json(MyEvaluationPage {
        evaluations,
        total: u64::try_from(total).unwrap_or_default(),
        page,
        per_page,
    }))
}
