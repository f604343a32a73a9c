//! `/qa/rectifications`: the list, the owner's report, the inspector's re-check.

use axum::extract::State;
use pingjia_domain::qa::{Recheck, Rectification, RectificationReport, RectificationStatus};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::db::begin_write;
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::org_day;

use crate::db::qa::{record_recheck, record_report, rectification, rectifications_where};

/// Which rectifications `GET /qa/rectifications` lists.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub(super) enum RectificationFilter {
    Open,
    Reported,
    Closed,
    /// Still open and past the deadline.
    Overdue,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct RectificationQuery {
    /// `open`, `reported`, `closed` or `overdue`; every rectification without it.
    #[param(inline)]
    status: Option<RectificationFilter>,
}

/// Rectifications, soonest deadline first.
#[utoipa::path(
    get,
    path = "/qa/rectifications",
    tag = "qa",
    operation_id = "list_qa_rectifications",
    params(RectificationQuery),
    responses((status = 200, description = "The rectifications", body = Vec<Rectification>))
)]
pub(super) async fn list_rectifications(
    State(state): State<AppState>,
    Query(query): Query<RectificationQuery>,
) -> Result<Json<Vec<Rectification>>, AppError> {
    let today = state.today();
    let mut conn = state.pool.acquire().await?;
    let all = rectifications_where(&mut conn, "1 = 1", &[], today).await?;
    let wanted = |r: &Rectification| match query.status {
        None => true,
        Some(RectificationFilter::Open) => r.status == RectificationStatus::Open,
        Some(RectificationFilter::Reported) => r.status == RectificationStatus::Reported,
        Some(RectificationFilter::Closed) => r.status == RectificationStatus::Closed,
        Some(RectificationFilter::Overdue) => r.overdue,
    };
    Ok(Json(all.into_iter().filter(wanted).collect()))
}

/// The owner reports the result of a rectification.
///
/// `note` (what was done) is required (422); then only its owner (403 otherwise), only while
/// it is open (409 `rectification_not_open`).
#[utoipa::path(
    post,
    path = "/qa/rectifications/{id}/report",
    tag = "qa",
    operation_id = "report_qa_rectification",
    params(("id" = i64, Path, description = "The rectification's id")),
    request_body = RectificationReport,
    responses(
        (status = 200, description = "Reported; awaiting the inspector's re-check", body = Rectification),
        (status = 403, description = "Not its owner"),
        (status = 404, description = "No such rectification"),
        (status = 409, description = "`rectification_not_open`"),
        (status = 422, description = "Invalid fields"),
    )
)]
pub(super) async fn report_rectification(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<RectificationReport>,
) -> Result<Json<Rectification>, AppError> {
    body.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let today = org_day(now);
    let mut tx = begin_write(&state.pool).await?;
    let current = rectification(&mut tx, id, today).await?;
    if !caller.is(current.owner.id) {
        return Err(AppError::Forbidden(
            "Only the owner of a rectification reports its result".to_owned(),
        ));
    }
    if current.status != RectificationStatus::Open {
        return Err(Coded::conflict(
            "rectification_not_open",
            "This rectification has been reported already and awaits or passed its re-check",
        )
        .into());
    }
    record_report(&mut tx, id, body.result.as_str(), body.note.trim(), now).await?;
    let entry = Entry::new(now, Action::RectificationReported)
        .by(Actor::user(&caller, ip))
        .on("qa_rectification", id)
        .details(json!({ "result": body.result.as_str(), "note": body.note.trim() }));
    audit::record(&mut *tx, &entry).await?;
    let saved = rectification(&mut tx, id, today).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

/// The inspector re-checks a reported rectification: accepted closes it; sent back (with a
/// note, 422 without) opens it again for its owner. 409 `rectification_not_reported` unless it
/// has been reported.
#[utoipa::path(
    post,
    path = "/qa/rectifications/{id}/recheck",
    tag = "qa",
    operation_id = "recheck_qa_rectification",
    params(("id" = i64, Path, description = "The rectification's id")),
    request_body = Recheck,
    responses(
        (status = 200, description = "Closed, or open again", body = Rectification),
        (status = 404, description = "No such rectification"),
        (status = 409, description = "`rectification_not_reported`"),
        (status = 422, description = "Invalid fields"),
    )
)]
pub(super) async fn recheck_rectification(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<Recheck>,
) -> Result<Json<Rectification>, AppError> {
    body.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let today = org_day(now);
    let mut tx = begin_write(&state.pool).await?;
    let current = rectification(&mut tx, id, today).await?;
    if current.status != RectificationStatus::Reported {
        return Err(Coded::conflict(
            "rectification_not_reported",
            "Only a rectification whose owner has reported a result is re-checked",
        )
        .into());
    }
    let note = Some(body.note.trim()).filter(|n| !n.is_empty());
    record_recheck(&mut tx, id, body.accepted, note, caller.id, now).await?;
    let entry = Entry::new(now, Action::RectificationRechecked)
        .by(Actor::user(&caller, ip))
        .on("qa_rectification", id)
        .details(json!({ "accepted": body.accepted, "note": note }));
    audit::record(&mut *tx, &entry).await?;
    crate::db::events::record(
        &mut tx,
        pingjia_domain::events::EventType::RectificationRechecked,
        ("rectification", id),
        &format!("rectification.rechecked:{id}:{}", crate::time::to_db(now)),
        now,
    )
    .await?;
    let saved = rectification(&mut tx, id, today).await?;
    tx.commit().await?;
    state.events.wake();
    Ok(Json(saved))
}
