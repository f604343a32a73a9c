//! `/analytics/...` (admins): the dashboard's reports. Every report takes the same filter bar
//! ([`AnalyticsFilter`]: period, team, agent, service type, channel, customer type) and is
//! aggregated here in SQL over the covering indexes of migration 0008; the formulas are the
//! domain's (`pingjia_domain::analytics`). Deleted evaluations are never counted or listed.
//!
//! Evaluations belong to a period by when they were submitted, service records (the
//! response and resolution KPIs) by when they started; days are the organisation's
//! (Asia/Shanghai). Team means the agent's team now.

use axum::extract::State;
use pingjia_domain::analytics::{AnalyticsFilter, AnalyticsOptions, KpiReport};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::analytics::{filter_options, kpi_report, resolve};
use crate::error::AppError;
use crate::http::authz::{ADMIN, Rule, delete, get, post, put};
use crate::http::extract::{Json, Query};
use crate::http::state::AppState;
use crate::time::org_day;

mod charts;
mod evaluations;
mod response;
mod stop_words;
mod tags;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(options))
        .routes(routes!(kpis))
        .routes(routes!(charts::trend))
        .routes(routes!(charts::dimensions))
        .routes(routes!(charts::segments))
        .routes(routes!(charts::distribution))
        .routes(routes!(charts::agents))
        .routes(routes!(charts::words))
        .routes(routes!(evaluations::evaluations))
        .routes(routes!(evaluations::evaluations_csv))
        .routes(routes!(
            stop_words::list_stop_words,
            stop_words::add_stop_word
        ))
        .routes(routes!(stop_words::remove_stop_word))
        .routes(routes!(tags::list_tags))
        .routes(routes!(tags::name_tag))
        .routes(routes!(response::response))
        .routes(routes!(response::breakdown))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/analytics/options", ADMIN),
    get("/api/v1/analytics/kpis", ADMIN),
    get("/api/v1/analytics/trend", ADMIN),
    get("/api/v1/analytics/dimensions", ADMIN),
    get("/api/v1/analytics/segments", ADMIN),
    get("/api/v1/analytics/distribution", ADMIN),
    get("/api/v1/analytics/agents", ADMIN),
    get("/api/v1/analytics/words", ADMIN),
    get("/api/v1/analytics/evaluations", ADMIN),
    get("/api/v1/analytics/evaluations.csv", ADMIN),
    get("/api/v1/analytics/stop-words", ADMIN),
    post("/api/v1/analytics/stop-words", ADMIN),
    delete("/api/v1/analytics/stop-words/{word}", ADMIN),
    get("/api/v1/analytics/tags", ADMIN),
    put("/api/v1/analytics/tags/{tag}", ADMIN),
    get("/api/v1/analytics/response", ADMIN),
    get("/api/v1/analytics/response/breakdown", ADMIN),
];

// ---------------------------------------------------------------------------------------------
// Options

/// What the filter bar offers.
///
/// Teams, agents (with their team) and service types, and today's default period (the last
/// 30 days), with the thresholds the reports use.
#[utoipa::path(
    get,
    path = "/analytics/options",
    tag = "analytics",
    operation_id = "analytics_options",
    responses((status = 200, description = "The choices", body = AnalyticsOptions))
)]
async fn options(State(state): State<AppState>) -> Result<Json<AnalyticsOptions>, AppError> {
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let (teams, agents, service_types) = filter_options(&mut conn).await?;
    Ok(Json(AnalyticsOptions {
        teams,
        agents,
        service_types,
        default_period: AnalyticsFilter::default()
            .period(org_day(state.clock.now()))
            .map_err(AppError::Validation)?,
        satisfaction_threshold: settings.satisfaction_threshold,
        callback_threshold: settings.callback_threshold,
    }))
}

/// The KPI cards.
///
/// Each with its value in the period before, of the same length: evaluations, average total
/// score (1-5), satisfaction attainment rate (overall ≥ the threshold, 8), response on-time
/// rate (first response within the SLA of the urgency), first-contact resolution rate,
/// average handling time (minutes from request to resolution), appeals awaiting a decision
/// now, flagged evaluations and the response rate (参评率: invitations sent in the period
/// whose record was rated / invitations sent in the period; see `/analytics/response`).
/// Rates are fractions.
#[utoipa::path(
    get,
    path = "/analytics/kpis",
    tag = "analytics",
    operation_id = "analytics_kpis",
    params(AnalyticsFilter),
    responses(
        (status = 200, description = "The KPIs", body = KpiReport),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The period is backwards or too long, or an agent, team or service type is unknown"),
    )
)]
async fn kpis(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
) -> Result<Json<KpiReport>, AppError> {
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(state.today(), &mut conn, &filter).await?;
    let previous = scope.period.previous();
    let report = kpi_report(&mut conn, &scope, previous, &settings, state.clock.now()).await?;
    Ok(Json(report))
}
