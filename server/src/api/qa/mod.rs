//! Internal QA (质检): checklist templates (`/qa/templates`), inspection plans that draw a
//! seeded stratified sample of service records and deal it to inspectors (`/qa/plans`), the
//! inspection of one sampled record (`/qa/samples/{id}`), the rectification of every item found
//! wanting (`/qa/rectifications`), the plan's report (`/qa/plans/{id}/report`, also as CSV) and
//! an agent's or team lead's own results (`/me/qa`).
//!
//! QA inspectors and admins reach everything under `/qa`; the owner of a rectification (an agent
//! or a team lead) reports its result. The rules (sample sizes, dealing, scores, checks) are in
//! `pingjia_domain::qa`; this module stores and aggregates. Every change is audited.

use axum::extract::State;
use pingjia_domain::qa::{
    ItemResult, MyDimension, MyInspection, MyQa, QA_HOME_LIST_LEN, QaHome, RectificationState,
    TemplateItem, score_rate, sort_for_owner,
};
use pingjia_domain::wire::Role;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::qa::{
    TrackingFilter, load_inspection, plan_summaries, plan_template, rectification_counts,
    rectification_page, rectifications_where, samples_to_inspect, samples_where,
};
use crate::error::AppError;
use crate::http::authz::{CurrentUser, OWNER, QA, Rule, get, post, put};
use crate::http::extract::Json;
use crate::http::state::AppState;

mod inspections;
mod plans;
mod rectifications;
mod report;
mod templates;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(qa_home))
        .routes(routes!(plans::plan_options))
        .routes(routes!(
            templates::list_templates,
            templates::create_template
        ))
        .routes(routes!(templates::get_template, templates::update_template))
        .routes(routes!(plans::list_plans, plans::create_plan))
        .routes(routes!(plans::get_plan))
        .routes(routes!(report::plan_report))
        .routes(routes!(report::plan_report_csv))
        .routes(routes!(inspections::inspection_sheet))
        .routes(routes!(inspections::save_inspection))
        .routes(routes!(rectifications::list_rectifications))
        .routes(routes!(rectifications::report_rectification))
        .routes(routes!(rectifications::recheck_rectification))
        .routes(routes!(my_qa))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/qa/home", QA),
    get("/api/v1/qa/options", QA),
    get("/api/v1/qa/templates", QA),
    post("/api/v1/qa/templates", QA),
    get("/api/v1/qa/templates/{id}", QA),
    put("/api/v1/qa/templates/{id}", QA),
    get("/api/v1/qa/plans", QA),
    post("/api/v1/qa/plans", QA),
    get("/api/v1/qa/plans/{id}", QA),
    get("/api/v1/qa/plans/{id}/report", QA),
    get("/api/v1/qa/plans/{id}/report.csv", QA),
    get("/api/v1/qa/samples/{id}", QA),
    put("/api/v1/qa/samples/{id}/inspection", QA),
    get("/api/v1/qa/rectifications", QA),
    post("/api/v1/qa/rectifications/{id}/report", OWNER),
    post("/api/v1/qa/rectifications/{id}/recheck", QA),
    get("/api/v1/me/qa", OWNER),
];

// ---------------------------------------------------------------------------------------------
// Homes
// ---------------------------------------------------------------------------------------------

/// The QA start page: plans, the caller's records to inspect (every pending one for an admin),
/// rectifications awaiting a re-check and overdue ones.
#[utoipa::path(
    get,
    path = "/qa/home",
    tag = "qa",
    operation_id = "qa_home",
    responses((status = 200, description = "The QA home", body = QaHome))
)]
async fn qa_home(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<Json<QaHome>, AppError> {
    let today = state.today();
    let mut conn = state.pool.acquire().await?;
    let inspector = (caller.role != Role::Admin).then_some(caller.id);
    let (to_inspect, to_inspect_total) =
        samples_to_inspect(&mut conn, inspector, QA_HOME_LIST_LEN).await?;
    let counts = rectification_counts(&mut conn, &TrackingFilter::default(), today).await?;
    let first = |state| TrackingFilter {
        state: Some(state),
        ..TrackingFilter::default()
    };
    let to_recheck = rectification_page(
        &mut conn,
        &first(RectificationState::Reported),
        today,
        1,
        QA_HOME_LIST_LEN,
    )
    .await?;
    let overdue = rectification_page(
        &mut conn,
        &first(RectificationState::Overdue),
        today,
        1,
        QA_HOME_LIST_LEN,
    )
    .await?;
    Ok(Json(QaHome {
        plans: plan_summaries(&mut conn).await?,
        to_inspect,
        to_inspect_total,
        to_recheck,
        to_recheck_total: counts.reported,
        overdue,
        overdue_total: counts.overdue,
    }))
}

/// An agent's or team lead's own QA: inspections of the services they gave and the
/// rectifications they own or that concern their services.
#[utoipa::path(
    get,
    path = "/me/qa",
    tag = "qa",
    operation_id = "my_qa",
    responses((status = 200, description = "The caller's inspection results and rectifications", body = MyQa))
)]
async fn my_qa(State(state): State<AppState>, caller: CurrentUser) -> Result<Json<MyQa>, AppError> {
    let today = state.today();
    let mut conn = state.pool.acquire().await?;
    let samples =
        samples_where(&mut conn, "i.id IS NOT NULL AND r.agent_id = ?", caller.id).await?;
    let mut inspections = Vec::new();
    for sample in samples {
        let Some(inspection) = load_inspection(&mut conn, sample.id, today).await? else {
            continue;
        };
        let template = plan_template(&mut conn, sample.plan_id).await?;
        let dimensions = template
            .dimensions
            .iter()
            .map(|d| {
                let results: Vec<(ItemResult, &TemplateItem)> = d
                    .items
                    .iter()
                    .filter_map(|item| {
                        inspection
                            .answers
                            .iter()
                            .find(|a| a.item_id == item.id)
                            .map(|a| (a.result, item))
                    })
                    .collect();
                MyDimension {
                    name_zh: d.name_zh.clone(),
                    name_en: d.name_en.clone(),
                    score: inspection
                        .scores
                        .iter()
                        .find(|s| s.dimension_id == d.id)
                        .map_or(0, |s| s.score),
                    score_rate: score_rate(&results.iter().map(|(r, _)| *r).collect::<Vec<_>>()),
                    wanting: results
                        .iter()
                        .filter(|(r, _)| r.wanting())
                        .map(|(_, item)| item.name_zh.clone())
                        .collect(),
                }
            })
            .collect();
        inspections.push(MyInspection {
            submitted_at: inspection.submitted_at,
            highlights: inspection.highlights.clone(),
            sample,
            dimensions,
        });
    }
    let mut rectifications = rectifications_where(
        &mut conn,
        "x.owner_id = ? OR r.agent_id = ?",
        &[caller.id, caller.id],
        today,
    )
    .await?;
    sort_for_owner(&mut rectifications, caller.id);
    Ok(Json(MyQa {
        inspections,
        rectifications,
    }))
}
