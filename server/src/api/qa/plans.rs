//! `/qa/plans`: what a plan may sample, the plans, drawing a new one, one plan.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pingjia_domain::qa::{ChecklistTemplate, NewPlan, PlanDetail, PlanOptions, PlanSummary};
use serde_json::json;

use crate::db::begin_write;
use crate::db::to_json;
use crate::error::AppError;
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path};
use crate::http::idempotency::{HashedJson, IdempotencyKey, idempotent};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::org_day;

use crate::db::qa::{
    DrawnPlan, insert_plan, inspectors, plan_detail, plan_summaries, service_type_options,
    template_rows,
};

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

/// Every inspection plan, newest first.
#[utoipa::path(
    get,
    path = "/qa/plans",
    tag = "qa",
    operation_id = "list_qa_plans",
    responses((status = 200, description = "The plans with their progress", body = Vec<PlanSummary>))
)]
pub(super) async fn list_plans(
    State(state): State<AppState>,
) -> Result<Json<Vec<PlanSummary>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(plan_summaries(&mut conn).await?))
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
            let detail = plan_detail(&mut tx, plan_id).await?;
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

/// An inspection plan: scope, strata with their N and n, inspectors and the sample.
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
    Path(id): Path<i64>,
) -> Result<Json<PlanDetail>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(plan_detail(&mut conn, id).await?))
}
