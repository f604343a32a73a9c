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
    DEFAULT_MY_QA_PER_PAGE, DEFAULT_PLANS_PER_PAGE, ItemResult, MAX_QA_PER_PAGE, MyDimension,
    MyInspection, MyQa, QA_HOME_LIST_LEN, QaHome, QuotedFinding, RectificationState, SampleStatus,
    TemplateItem, score_rate,
};
use pingjia_domain::wire::Role;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::qa::{
    PlanFilter, SampleFilter, TrackingFilter, load_inspection, my_rectification_counts,
    my_rectification_page, plan_counts, plan_page, plan_template, rectification_counts,
    rectification_page, sample_counts, sample_page, samples_to_inspect,
};
use crate::error::AppError;
use crate::http::authz::{Access, CurrentUser, OWNER, QA, Rule, TEAM_LEAD, get, post, put};
use crate::http::extract::Json;
use crate::http::extract::Query;
use crate::http::paging::{MAX_PAGE, check_paging};
use crate::http::state::AppState;
use pingjia_domain::FieldError;

mod calibration;
mod disputes;
mod inspections;
mod plans;
mod rectifications;
mod report;
mod team;
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
        .routes(routes!(plans::list_plan_samples))
        .routes(routes!(report::plan_report))
        .routes(routes!(report::plan_report_csv))
        .routes(routes!(inspections::inspection_sheet))
        .routes(routes!(inspections::save_inspection))
        .routes(routes!(rectifications::list_rectifications))
        .routes(routes!(rectifications::report_rectification))
        .routes(routes!(rectifications::recheck_rectification))
        .routes(routes!(my_qa))
        .routes(routes!(
            calibration::list_calibrations,
            calibration::create_calibration
        ))
        .routes(routes!(calibration::deviation_report))
        .routes(routes!(calibration::guidance))
        .routes(routes!(calibration::get_calibration))
        .routes(routes!(calibration::save_answers))
        .routes(routes!(calibration::close))
        .routes(routes!(calibration::save_agreed))
        .routes(routes!(disputes::my_dispute_form, disputes::file_dispute))
        .routes(routes!(disputes::list_disputes))
        .routes(routes!(disputes::get_dispute))
        .routes(routes!(disputes::decide_dispute))
        .routes(routes!(disputes::inspection_versions))
        .routes(routes!(team::team_inspections))
}

/// A plan's report: QA inspectors and admins; a team lead only anchored on a coaching session
/// of their team (`coaching=`, checked by the handler).
const QA_REPORT_READERS: Access = Access::Roles(&[Role::QaInspector, Role::Admin, Role::TeamLead]);

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
    get("/api/v1/qa/plans/{id}/samples", QA),
    get("/api/v1/qa/plans/{id}/report", QA_REPORT_READERS),
    get("/api/v1/qa/plans/{id}/report.csv", QA),
    get("/api/v1/qa/samples/{id}", QA),
    put("/api/v1/qa/samples/{id}/inspection", QA),
    get("/api/v1/qa/rectifications", QA),
    post("/api/v1/qa/rectifications/{id}/report", OWNER),
    post("/api/v1/qa/rectifications/{id}/recheck", QA),
    get("/api/v1/me/qa", OWNER),
    get("/api/v1/qa/calibrations", QA),
    post("/api/v1/qa/calibrations", QA),
    get("/api/v1/qa/calibrations/deviation", QA),
    get("/api/v1/qa/calibrations/guidance", QA),
    get("/api/v1/qa/calibrations/{id}", QA),
    put("/api/v1/qa/calibrations/{id}/answers", QA),
    post("/api/v1/qa/calibrations/{id}/close", QA),
    put("/api/v1/qa/calibrations/{id}/agreed", QA),
    get("/api/v1/me/qa/samples/{id}/dispute", OWNER),
    post("/api/v1/me/qa/samples/{id}/dispute", OWNER),
    get("/api/v1/qa/disputes", QA),
    get("/api/v1/qa/disputes/{id}", QA),
    post("/api/v1/qa/disputes/{id}/decision", QA),
    get("/api/v1/qa/samples/{id}/versions", QA),
    get("/api/v1/team/qa/inspections", TEAM_LEAD),
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
    let plans = plan_page(
        &mut conn,
        &PlanFilter::default(),
        inspector,
        1,
        QA_HOME_LIST_LEN,
    )
    .await?;
    let plans_total = plan_counts(&mut conn, &PlanFilter::default())
        .await?
        .of(None);
    Ok(Json(QaHome {
        plans,
        plans_total,
        to_inspect,
        to_inspect_total,
        to_recheck,
        to_recheck_total: counts.reported,
        overdue,
        overdue_total: counts.overdue,
    }))
}

/// The paging of a QA list (the plans, the disputes, a lead's team's inspections), read from
/// the query string beside the list's filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct QaPaging {
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
}

impl QaPaging {
    /// The page and its rows (20 unless asked), or 422 with `page` or `per_page` out of range.
    pub(super) fn checked(&self) -> Result<(u32, u32), AppError> {
        self.checked_over(None, None)
    }

    /// As [`Self::checked`], and 422 `to` for a period `from..=to` that ends before it starts.
    pub(super) fn checked_over(
        &self,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) -> Result<(u32, u32), AppError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PLANS_PER_PAGE);
        check_paging(page, per_page, MAX_QA_PER_PAGE, from, to)?;
        Ok((page, per_page))
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct MyQaQuery {
    /// The page of inspections, from 1.
    #[param(minimum = 1, maximum = 100_000, default = 1)]
    inspections_page: Option<u32>,
    /// The page of rectifications, from 1.
    #[param(minimum = 1, maximum = 100_000, default = 1)]
    rectifications_page: Option<u32>,
    /// Rows a page of either list.
    #[param(minimum = 1, maximum = 100, default = 10)]
    per_page: Option<u32>,
}

/// An agent's or team lead's own QA, a page of each list: inspections of the services they
/// gave (newest plan first) and the rectifications they own or that concern their services
/// (what awaits their report first).
#[utoipa::path(
    get,
    path = "/me/qa",
    tag = "qa",
    operation_id = "my_qa",
    params(MyQaQuery),
    responses(
        (status = 200, description = "The caller's inspection results and rectifications", body = MyQa),
        (status = 422, description = "The paging is invalid"),
    )
)]
async fn my_qa(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<MyQaQuery>,
) -> Result<Json<MyQa>, AppError> {
    let inspections_page = query.inspections_page.unwrap_or(1);
    let rectifications_page = query.rectifications_page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_MY_QA_PER_PAGE);
    check_my_paging(inspections_page, rectifications_page, per_page)?;
    let today = state.today();
    let mut conn = state.pool.acquire().await?;
    let mine = SampleFilter {
        status: Some(SampleStatus::Inspected),
        agent_id: Some(caller.id),
        ..SampleFilter::default()
    };
    let inspections_total = sample_counts(&mut conn, &mine).await?.inspected;
    let samples = sample_page(&mut conn, &mine, caller.id, inspections_page, per_page).await?;
    let ids: Vec<i64> = samples.iter().map(|s| s.id).collect();
    let disputes = crate::db::qa::dispute_states(&mut conn, &ids).await?;
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
        let quotes = template
            .items()
            .filter_map(|(_, item)| {
                let answer = inspection.answers.iter().find(|a| a.item_id == item.id)?;
                Some(QuotedFinding {
                    item_name_zh: item.name_zh.clone(),
                    item_name_en: item.name_en.clone(),
                    result: answer.result,
                    quote: answer.quote.clone()?,
                })
            })
            .collect();
        inspections.push(MyInspection {
            dispute: disputes.get(&sample.id).copied(),
            quotes,
            submitted_at: inspection.submitted_at,
            highlights: inspection.highlights.clone(),
            sample,
            dimensions,
        });
    }
    let rectifications =
        my_rectification_page(&mut conn, caller.id, today, rectifications_page, per_page).await?;
    let (rectifications_total, awaiting_report) =
        my_rectification_counts(&mut conn, caller.id).await?;
    Ok(Json(MyQa {
        inspections,
        inspections_total,
        inspections_page,
        rectifications,
        rectifications_total,
        rectifications_page,
        per_page,
        awaiting_report,
    }))
}

/// The two pages of `/me/qa` within `1..=MAX_PAGE` and `per_page` within
/// `1..=MAX_QA_PER_PAGE`, each error named after its parameter.
fn check_my_paging(
    inspections_page: u32,
    rectifications_page: u32,
    per_page: u32,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    for (field, page) in [
        ("inspections_page", inspections_page),
        ("rectifications_page", rectifications_page),
    ] {
        if !(1..=MAX_PAGE).contains(&page) {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                format!("{field} must be between 1 and {MAX_PAGE}"),
            ));
        }
    }
    if let Err(AppError::Validation(more)) = check_paging(1, per_page, MAX_QA_PER_PAGE, None, None)
    {
        errors.extend(more);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}
