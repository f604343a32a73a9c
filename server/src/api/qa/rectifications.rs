//! `/qa/rectifications`: the list, the owner's report, the inspector's re-check.

use axum::extract::State;
use chrono::NaiveDate;
use pingjia_domain::qa::{
    DEFAULT_RECTIFICATIONS_PER_PAGE, MAX_RECTIFICATIONS_PER_PAGE, Recheck, Rectification,
    RectificationPage, RectificationReport, RectificationState, RectificationStatus,
};
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

use crate::db::qa::{
    TrackingFilter, record_recheck, record_report, rectification, rectification_counts,
    rectification_page, rectification_plan_choices, tracking_choices,
};
use crate::http::paging::check_paging;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct RectificationQuery {
    /// `open` (overdue ones included), `reported`, `closed` or `overdue`; every
    /// rectification without it.
    #[param(inline)]
    status: Option<RectificationState>,
    /// Only of the records this agent served.
    agent_id: Option<i64>,
    /// Only of the records the agents of this team served.
    team_id: Option<i64>,
    /// Only of this plan's inspections.
    plan_id: Option<i64>,
    /// Deadlines from this day (inclusive).
    from: Option<NaiveDate>,
    /// Deadlines up to this day (inclusive).
    to: Option<NaiveDate>,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
}

/// Rectifications, a page at a time: what waits for someone's action first (reported ones
/// for the inspector's re-check, then overdue ones, then open ones, each soonest deadline
/// first), closed ones last; with the count of each status tab under the other filters and
/// the agents, teams and plans the filters offer.
#[utoipa::path(
    get,
    path = "/qa/rectifications",
    tag = "qa",
    operation_id = "list_qa_rectifications",
    params(RectificationQuery),
    responses(
        (status = 200, description = "One page of the rectifications", body = RectificationPage),
        (status = 400, description = "The query string is malformed (e.g. an unknown status)"),
        (status = 422, description = "The paging or the period is invalid"),
    )
)]
pub(super) async fn list_rectifications(
    State(state): State<AppState>,
    Query(query): Query<RectificationQuery>,
) -> Result<Json<RectificationPage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_RECTIFICATIONS_PER_PAGE);
    check_paging(
        page,
        per_page,
        MAX_RECTIFICATIONS_PER_PAGE,
        query.from,
        query.to,
    )?;
    let filter = TrackingFilter {
        state: query.status,
        agent_id: query.agent_id,
        team_id: query.team_id,
        plan_id: query.plan_id,
        from: query.from,
        to: query.to,
    };
    let today = state.today();
    let mut conn = state.pool.acquire().await?;
    let counts = rectification_counts(&mut conn, &filter, today).await?;
    let rectifications = rectification_page(&mut conn, &filter, today, page, per_page).await?;
    let (agents, teams) = tracking_choices(&mut conn).await?;
    Ok(Json(RectificationPage {
        rectifications,
        total: counts.of(filter.state),
        page,
        per_page,
        counts,
        agents,
        teams,
        plans: rectification_plan_choices(&mut conn).await?,
    }))
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
