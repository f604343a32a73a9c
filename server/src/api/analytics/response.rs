//! The response rate (参评率, issue 19): the funnel of the invitations sent in the period
//! (invited → opened → rated, and opted out) against the period before, and per group. The
//! rule is the domain's (`pingjia_domain::analytics::ResponseFunnel`).

use axum::extract::State;
use pingjia_domain::analytics::{
    AnalyticsFilter, ResponseBreakdown, ResponseGroup, ResponseReport,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::db::analytics::{resolve, response_breakdown, response_counts};
use crate::error::AppError;
use crate::http::extract::{Json, Query};
use crate::http::state::AppState;

/// The response funnel.
///
/// The invitations **sent** in the period (by when they were sent, the organisation's days;
/// revoked ones included, unsent ones not) whose service record is under the filter: invited,
/// and among them, as they stand now, opened (the link opened, or the record rated), rated
/// (through the link or signed in) and opted out; with the rates rated / invited (the response
/// rate, 参评率), opened / invited and opted out / invited. The same over the period of the
/// same length before.
#[utoipa::path(
    get,
    path = "/analytics/response",
    tag = "analytics",
    operation_id = "analytics_response",
    params(AnalyticsFilter),
    responses(
        (status = 200, description = "The funnel, now and before", body = ResponseReport),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The filter is invalid"),
    )
)]
pub(super) async fn response(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
) -> Result<Json<ResponseReport>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(state.today(), &mut conn, &filter).await?;
    let previous_period = scope.period.previous();
    let now = response_counts(&mut conn, &scope, scope.period).await?;
    let before = response_counts(&mut conn, &scope, previous_period).await?;
    Ok(Json(ResponseReport {
        period: scope.period,
        previous_period,
        funnel: now.funnel(),
        previous: before.funnel(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResponseParams {
    /// What to group by: `agent` (default), `team` (the agent's team now), `service_type`,
    /// `channel` (the record's service channel), `invitation_channel` (SMS, e-mail, webhook),
    /// or `day`, `week`, `month` (when the invitations were sent).
    by: Option<ResponseGroup>,
}

/// The response funnel per group.
///
/// The funnel of `GET /analytics/response` for each agent, team, service type, service
/// channel or invitation channel with invitations sent in the period, most invited first; or
/// for each day, week or month of the period (every one, in time order; weeks and months cut
/// to the period).
#[utoipa::path(
    get,
    path = "/analytics/response/breakdown",
    tag = "analytics",
    operation_id = "analytics_response_breakdown",
    params(AnalyticsFilter, ResponseParams),
    responses(
        (status = 200, description = "The funnel per group", body = ResponseBreakdown),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The filter is invalid"),
    )
)]
pub(super) async fn breakdown(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
    Query(params): Query<ResponseParams>,
) -> Result<Json<ResponseBreakdown>, AppError> {
    let group = params.by.unwrap_or(ResponseGroup::Agent);
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(state.today(), &mut conn, &filter).await?;
    let rows = response_breakdown(&mut conn, &scope, group).await?;
    Ok(Json(ResponseBreakdown {
        period: scope.period,
        group,
        rows,
    }))
}
