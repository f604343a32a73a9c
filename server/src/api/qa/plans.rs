//! `/qa/plans`: what a plan may sample, the plans, drawing a new one, one plan.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pingjia_domain::qa::{
    ChecklistTemplate, DEFAULT_SAMPLES_PER_PAGE, MAX_QA_PER_PAGE, NewPlan, PlanDetail, PlanOptions,
    PlanPage, PlanState, SamplePage, SampleStatus,
};
use pingjia_domain::wire::Role;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::db::begin_write;
use crate::db::to_json;
use crate::error::AppError;
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::idempotency::{HashedJson, IdempotencyKey, idempotent};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::org_day;

use crate::db::qa::{
    DrawnPlan, PlanFilter, SampleFilter, insert_plan, inspectors, plan_counts, plan_detail,
    plan_inspector_choices, plan_page, sample_agent_choices, sample_counts, sample_page,
    service_type_options, template_rows,
};
use crate::http::paging::check_paging;

use super::QaPaging;

const PLAN_ROUTE: &str = "POST /api/v1/qa/plans";

/// What the plan form offers: the templates a plan can inspect with (those with at least one
/// check item), inspectors, service types, today.
#[utoipa::path(
    get,
    path = "/qa/options",
    tag = "qa",
    operation_id = "qa_plan_options",
    responses((status = 200, description = "The choices of the plan form", body = PlanOptions))
)]
pub(super) async fn plan_options(
    State(state): State<AppState>,
) -> Result<Json<PlanOptions>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let service_types = service_type_options(&mut conn).await?;
    Ok(Json(PlanOptions {
        templates: template_rows(&mut conn, None)
            .await?
            .into_iter()
            .filter(ChecklistTemplate::usable)
            .collect(),
        inspectors: inspectors(&mut conn).await?,
        service_types,
        today: state.today(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct PlanQuery {
    /// `active` (records still to inspect) or `finished`; every plan without it.
    #[param(inline)]
    state: Option<PlanState>,
    /// Only the plans dealing records to this inspector.
    inspector_id: Option<i64>,
}

/// Inspection plans, a page at a time: those with records the caller has still to inspect
/// first (any inspector's for an admin), then newest first; with the count of each state under
/// the inspector filter and the inspectors it offers.
#[utoipa::path(
    get,
    path = "/qa/plans",
    tag = "qa",
    operation_id = "list_qa_plans",
    params(PlanQuery, QaPaging),
    responses(
        (status = 200, description = "One page of the plans with their progress", body = PlanPage),
        (status = 400, description = "The query string is malformed (e.g. an unknown state)"),
        (status = 422, description = "The paging is invalid"),
    )
)]
pub(super) async fn list_plans(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<PlanQuery>,
    Query(paging): Query<QaPaging>,
) -> Result<Json<PlanPage>, AppError> {
    let (page, per_page) = paging.checked()?;
    let filter = PlanFilter {
        state: query.state,
        inspector_id: query.inspector_id,
    };
    let me = (caller.role != Role::Admin).then_some(caller.id);
    let mut conn = state.pool.acquire().await?;
    let counts = plan_counts(&mut conn, &filter).await?;
    let plans = plan_page(&mut conn, &filter, me, page, per_page).await?;
    Ok(Json(PlanPage {
        plans,
        total: counts.of(filter.state),
        page,
        per_page,
        counts,
        inspectors: plan_inspector_choices(&mut conn).await?,
    }))
}

/// Create an inspection plan and draw its sample (with an `Idempotency-Key`).
///
/// The population is every service record that ended in the period (organisation days, both
/// included) and matches the scope (empty lists match everything). It is split into strata by
/// the chosen keys; from each stratum of N records n = min(N, max(⌈10 % N⌉, 30)) are drawn by
/// the seed (drawn at random when not sent, and kept: the same seed and records give the same
/// sample), then dealt to the inspectors in turn. 422 with field errors: `name`, `to`, `from`,
/// `inspector_ids` (`required` or `unknown`: not a QA inspector or admin), `template_id`
/// (`unknown`; `no_items`: the template has no check item), `service_types` (`unknown`), `scope` (`empty`: no record in scope).
#[utoipa::path(
    post,
    path = "/qa/plans",
    tag = "qa",
    operation_id = "create_qa_plan",
    params(("Idempotency-Key" = String, Header, description = "8 to 128 visible ASCII characters")),
    request_body = NewPlan,
    responses(
        (status = 201, description = "Created, with its sample", body = PlanDetail),
        (status = 422, description = "Invalid fields"),
    )
)]
pub(super) async fn create_plan(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    key: IdempotencyKey,
    body: HashedJson<NewPlan>,
) -> Result<Response, AppError> {
    idempotent(
        &state,
        caller.id,
        &key,
        PLAN_ROUTE,
        &body.hash,
        async |idempotency| {
            let plan = body.value;
            let now = state.clock.now();
            plan.check(org_day(now)).map_err(AppError::Validation)?;
            let mut tx = begin_write(&state.pool).await?;
            let DrawnPlan {
                id: plan_id,
                seed,
                strata,
                sampled,
            } = insert_plan(&mut tx, &plan, caller.id, now).await?;
            let detail = plan_detail(&mut tx, plan_id, caller.id).await?;
            let entry = Entry::new(now, Action::QaPlanCreated)
                .by(Actor::user(&caller, ip))
                .on("qa_plan", plan_id)
                .details(json!({
                    "name": detail.plan.name,
                    "seed": seed,
                    "population": strata.iter().map(|s| s.population).sum::<u64>(),
                    "sample": sampled,
                }));
            audit::record(&mut *tx, &entry).await?;
            let body = to_json("plan", &detail)?;
            idempotency
                .finish(tx, StatusCode::CREATED, None, body, now)
                .await
        },
    )
    .await
}

/// An inspection plan: scope, strata with their N and n, inspectors and the first page of its
/// sample (the caller's records still to inspect first; `GET /qa/plans/{id}/samples` pages
/// and filters it).
#[utoipa::path(
    get,
    path = "/qa/plans/{id}",
    tag = "qa",
    operation_id = "get_qa_plan",
    params(("id" = i64, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The plan", body = PlanDetail),
        (status = 404, description = "No such plan"),
    )
)]
pub(super) async fn get_plan(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<PlanDetail>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(plan_detail(&mut conn, id, caller.id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct SampleQuery {
    /// `pending` or `inspected`; every record without it.
    #[param(inline)]
    status: Option<SampleStatus>,
    /// Only the records this agent served.
    agent_id: Option<i64>,
    /// Only the records dealt to this inspector.
    inspector_id: Option<i64>,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 25)]
    per_page: Option<u32>,
}

/// A plan's sampled records, a page at a time: the caller's still to inspect first, then the
/// others still to inspect, then the inspected ones; with the count of each status under the
/// other filters and the agents and inspectors the filters offer.
#[utoipa::path(
    get,
    path = "/qa/plans/{id}/samples",
    tag = "qa",
    operation_id = "list_qa_plan_samples",
    params(("id" = i64, Path, description = "The plan's id"), SampleQuery),
    responses(
        (status = 200, description = "One page of the plan's sampled records", body = SamplePage),
        (status = 400, description = "The query string is malformed (e.g. an unknown status)"),
        (status = 404, description = "No such plan"),
        (status = 422, description = "The paging is invalid"),
    )
)]
pub(super) async fn list_plan_samples(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Query(query): Query<SampleQuery>,
) -> Result<Json<SamplePage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_SAMPLES_PER_PAGE);
    check_paging(page, per_page, MAX_QA_PER_PAGE, None, None)?;
    let mut conn = state.pool.acquire().await?;
    let filter = SampleFilter {
        plan_id: Some(id),
        status: query.status,
        agent_id: query.agent_id,
        inspector_id: query.inspector_id,
    };
    let counts = sample_counts(&mut conn, &filter).await?;
    let samples = sample_page(&mut conn, &filter, caller.id, page, per_page).await?;
    // 404 for a plan that does not exist.
    let inspectors = plan_detail(&mut conn, id, caller.id).await?.inspectors;
    Ok(Json(SamplePage {
        samples,
        total: counts.of(filter.status),
        page,
        per_page,
        counts,
        agents: sample_agent_choices(&mut conn, id).await?,
        inspectors,
    }))
}
