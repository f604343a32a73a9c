//! Appeals (申诉): a customer appeals their own evaluation within the appeal window
//! (`POST /evaluations/{number}/appeals`, with an `Idempotency-Key`), follows their appeals
//! (`GET /me/appeals`, `POST /me/appeals/{id}/seen`, `GET /evaluations/{number}/appeals`);
//! admins work through the queue (`GET /appeals`) and decide (`POST /appeals/{id}/decision`).
//!
//! Approving makes a new version of the evaluation in one transaction: the current values are
//! copied to `evaluation_versions` with when and why they were replaced, then `evaluations`
//! and `evaluation_scores` (what statistics read) get the new values and `version` goes up.
//! Filings and decisions are audited. The window is measured by the injectable clock.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pingjia_domain::appeals::{
    AdminAppeal, AdminAppealPage, Appeal, AppealCustomer, AppealDecision, AppealList, AppealStatus,
    NewAppeal, appeal_until, appeal_window_open, repeated_reason,
};
use pingjia_domain::evaluations::normalize_number;
use pingjia_domain::events::EventType;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::appeals;
use crate::db::begin_write;
use crate::db::evaluations::load_evaluation;
use crate::db::events;
use crate::db::to_json;
use crate::error::{AppError, Coded};
use crate::http::authz::{
    ADMIN, CUSTOMER, CUSTOMER_OR_ADMIN, CurrentUser, Rule, get, post, require_owner,
};
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::idempotency::{HashedJson, IdempotencyKey, idempotent, sha256_hex};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::to_db;

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

/// The number in a path, normalised; a malformed one is not found, like an unknown one.
fn path_number(number: &str) -> Result<String, AppError> {
    normalize_number(number).ok_or_else(|| {
        AppError::NotFound(
            "An evaluation with this number (numbers look like PJ20261122-000123)".to_owned(),
        )
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
/// Checked in this order: the evaluation exists and is the caller's (404 otherwise); the appeal
/// window is open, `appeal_window_hours` (24 by default) from the submission, its last instant
/// included (409 `appeal_window_closed`, the detail says when it closed); no appeal of it is
/// pending (409 `appeal_pending`, its id as `reference`); then the fields (422, one entry per
/// field): `reason` `required`, `too_short` (under 10 characters once trimmed) or `too_long`
/// (over 1000); `requested.scores.<code>` `required`, `out_of_range` or `unknown_dimension`,
/// `requested.overall` `out_of_range`, `requested.suggestion` `too_long`, `requested`
/// `unchanged` (the same as the evaluation as it stands); `reason` `repeated` when a decided
/// appeal of the evaluation gave the same reason (letters and digits compared, case and
/// punctuation aside): an evaluation may be appealed again after a decision, within its
/// window, for a new reason only. `requested` is optional and, when sent, a whole set of
/// answers for the evaluation's dimensions.
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
        (status = 403, description = "The caller may not do this (their role)"),
        (status = 404, description = "No evaluation has this number, or it is another customer's"),
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
    let appellant = Appellant {
        customer_id: caller.id,
        ip,
        by_link: false,
    };
    file(&state, appellant, &number, &key, body).await
}

/// Who files an appeal: the evaluation's customer, signed in or holding a rating link of its
/// record.
#[derive(Debug, Clone, Copy)]
pub(super) struct Appellant {
    pub customer_id: i64,
    pub ip: std::net::IpAddr,
    /// Through a rating link (`api::rating_links`), without a session.
    pub by_link: bool,
}

/// The filing of `POST /evaluations/{number}/appeals` (its checks, in that order, and
/// answers) on the evaluation `number` (normalised), for the signed-in customer and the holder
/// of a rating link alike. The evaluation must be `appellant`'s (404 otherwise).
pub(super) async fn file(
    state: &AppState,
    appellant: Appellant,
    number: &str,
    key: &IdempotencyKey,
    body: HashedJson<NewAppeal>,
) -> Result<Response, AppError> {
    // The key is bound to this evaluation too: the same key and body on another one is reuse.
    let hash = sha256_hex(format!("{number}\n{}", body.hash).as_bytes());
    let answer = idempotent(
        state,
        appellant.customer_id,
        key,
        FILE_ROUTE,
        &hash,
        async |idempotency| {
            let hours = state.settings.get(&state.pool).await?.appeal_window_hours;
            let mut tx = begin_write(&state.pool).await?;
            let now = state.clock.now();
            let missing = || AppError::NotFound(format!("The evaluation {number}"));
            let evaluation = appeals::current(&mut tx, number)
                .await?
                .ok_or_else(missing)?;
            if appellant.customer_id != evaluation.customer_id {
                return Err(missing());
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
            if let Some(pending) = appeals::pending_of(&mut tx, evaluation.id).await? {
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
            let decided = appeals::decided_reasons(&mut tx, evaluation.id).await?;
            if let Some(error) =
                repeated_reason(&checked.reason, decided.iter().map(String::as_str))
            {
                return Err(AppError::Validation(vec![error]));
            }
            let id = appeals::insert(
                &mut tx,
                &evaluation,
                &checked.reason,
                checked.requested.as_ref(),
                now,
            )
            .await?;
            let appeal = appeals::by_id(&mut tx, id).await?.into_appeal()?;
            let mut details = json!({
                "evaluation": evaluation.number,
                "version": evaluation.version,
                "reason": checked.reason,
                "requested": checked.requested.is_some(),
            });
            if appellant.by_link {
                details["by_link"] = json!(true);
            }
            let actor = Actor {
                user_id: Some(appellant.customer_id),
                ip: appellant.ip,
            };
            let entry = Entry::new(now, Action::AppealFiled)
                .by(actor)
                .on("appeal", id)
                .details(details);
            audit::record(&mut *tx, &entry).await?;
            events::record(
                &mut tx,
                EventType::AppealFiled,
                ("appeal", id),
                &format!("appeal.filed:{id}"),
                now,
            )
            .await?;
            let body = to_json("appeal", &appeal)?;
            idempotency
                .finish(tx, StatusCode::CREATED, None, body, now)
                .await
        },
    )
    .await;
    state.events.wake();
    answer
}

/// The appeals of an evaluation, newest first.
///
/// Its customer (another customer's answers 404, as an unknown number) and admins. `unseen` counts the decided ones
/// whose decision the customer has not marked seen.
#[utoipa::path(
    get,
    path = "/evaluations/{number}/appeals",
    tag = "appeals",
    operation_id = "evaluation_appeals",
    params(("number" = String, Path, description = "`PJ20261122-000123`")),
    responses(
        (status = 200, description = "The evaluation's appeals", body = AppealList),
        (status = 403, description = "The caller may not do this (their role)"),
        (status = 404, description = "No evaluation has this number, or it is another customer's"),
    )
)]
async fn evaluation_appeals(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(number): Path<String>,
) -> Result<Json<AppealList>, AppError> {
    let number = path_number(&number)?;
    let mut conn = state.pool.acquire().await?;
    let missing = || AppError::NotFound(format!("The evaluation {number}"));
    let (id, customer_id) = appeals::evaluation_owner(&mut conn, &number)
        .await?
        .ok_or_else(missing)?;
    require_owner(&caller, customer_id, missing)?;
    Ok(Json(appeals::of_evaluation(&mut conn, id).await?))
}

/// The appeals of the evaluation `number` (normalised) of the customer `customer_id`, for the
/// holder of a rating link of its record (404 when it is another customer's).
pub(super) async fn appeals_of(
    state: &AppState,
    customer_id: i64,
    number: &str,
) -> Result<AppealList, AppError> {
    let mut conn = state.pool.acquire().await?;
    let missing = || AppError::NotFound(format!("The evaluation {number}"));
    let (id, owner) = appeals::evaluation_owner(&mut conn, number)
        .await?
        .ok_or_else(missing)?;
    if owner != customer_id {
        return Err(missing());
    }
    Ok(appeals::of_evaluation(&mut conn, id).await?)
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
    let mut conn = state.pool.acquire().await?;
    Ok(Json(appeals::of_customer(&mut conn, caller.id).await?))
}

/// Mark the decision of one of the caller's appeals as seen: it no longer counts in `unseen`.
///
/// Idempotent; on a pending appeal (no decision yet) it changes nothing. Another customer's
/// appeal answers 404, as one nobody filed. Answers the appeal.
#[utoipa::path(
    post,
    path = "/me/appeals/{id}/seen",
    tag = "appeals",
    operation_id = "mark_appeal_seen",
    params(("id" = i64, Path, description = "The appeal")),
    responses(
        (status = 200, description = "The appeal, its decision marked seen", body = Appeal),
        (status = 404, description = "No such appeal, or another customer's"),
    )
)]
async fn mark_seen(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Appeal>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let row = appeals::by_id(&mut conn, id).await?;
    if !caller.is(row.customer_id) {
        // As for an appeal nobody filed: nobody learns which appeal numbers are in use.
        return Err(AppError::NotFound(format!("The appeal {id}")));
    }
    appeals::mark_seen(&mut conn, id).await?;
    Ok(Json(appeals::by_id(&mut conn, id).await?.into_appeal()?))
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
    check_paging(page, per_page, MAX_APPEALS_PER_PAGE, None, None)?;
    let status = filter.status.map(AppealStatus::as_str);
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let (total, pending) = appeals::counts(&mut conn, status).await?;
    let rows = appeals::queue_page(&mut conn, status, page, per_page).await?;
    let mut appeals = Vec::with_capacity(rows.len());
    for row in rows {
        let customer_id = row.customer_id;
        let appeal = row.into_appeal()?;
        let (_, evaluation) = load_evaluation(&mut conn, &appeal.evaluation_number, now)
            .await?
            .ok_or_else(|| AppError::Internal(format!("appeal {}: its evaluation", appeal.id)))?;
        let customer = appeals::customer(&mut conn, customer_id).await?;
        let customer_appeals =
            appeals::customer_appeals(&mut conn, customer_id, appeal.id, MAX_CUSTOMER_APPEALS)
                .await?;
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
    let mut tx = begin_write(&state.pool).await?;
    let now = state.clock.now();
    let appeal = appeals::by_id(&mut tx, id).await?.into_appeal()?;
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
    let evaluation = appeals::current(&mut tx, &appeal.evaluation_number)
        .await?
        .ok_or_else(|| AppError::Internal(format!("appeal {id}: its evaluation")))?;
    let checked = decision
        .check(appeal.requested.as_ref(), &evaluation.values)
        .map_err(AppError::Validation)?;
    let decided = appeals::Decided {
        id,
        by: caller.id,
        reason: &checked.reason,
        now,
    };
    let entry = match &checked.applied {
        Some(applied) => {
            let new_version = evaluation.version + 1;
            appeals::new_version_of(&mut tx, &evaluation, applied, &decided).await?;
            appeals::record_decision(&mut tx, &decided, Some((applied, new_version))).await?;
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
            appeals::record_decision(&mut tx, &decided, None).await?;
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
    events::record(
        &mut tx,
        EventType::AppealDecided,
        ("appeal", id),
        &format!("appeal.decided:{id}"),
        now,
    )
    .await?;
    let appeal = appeals::by_id(&mut tx, id).await?.into_appeal()?;
    tx.commit().await?;
    state.events.wake();
    Ok(Json(appeal))
}
