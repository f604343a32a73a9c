//! `/qa/plans/{id}/report`: a plan's report, on screen and as CSV.

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use pingjia_domain::qa::PlanReport;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::download::csv_attachment;
use crate::db::feedback::coaching_row;
use crate::error::AppError;
use crate::http::authz::CurrentUser;
use crate::http::extract::{Json, Path, Query};
use crate::http::state::AppState;
use pingjia_domain::FieldError;
use pingjia_domain::wire::Role;

use crate::services::qa_report::{build_coaching_report, build_report};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ReportQuery {
    /// Another plan to compare against (before/after).
    compare: Option<i64>,
    /// Instead of `compare`: a coaching session to anchor the before/after on. The report is
    /// then about its agent: the 30 days before the session against the 30 after, on this
    /// plan's checklist. A team lead reads a report only so, of a session of their team.
    coaching: Option<i64>,
}

/// The inspection report of a plan: overview, dimension scores and score rates (under 3
/// flagged), QA, customer and composite scores (weights from the settings) overall, per agent
/// and per team, frequent problems with examples, highlights, rectification status, and a
/// comparison with another plan. The customer score is the mean total score of the counted
/// evaluations of the inspected agents' services that ended in the plan's period.
///
/// With `coaching`, anchored on that coaching session instead (its `coaching` part): the
/// session's agent's inspections on this plan's checklist, before the session against after
/// it, per dimension and item, and none of the plan's tables about other agents. QA
/// inspectors and admins read any session's; a team lead only their team's (403 otherwise,
/// and without `coaching`). 422 `coaching` `conflict` with `compare` too.
#[utoipa::path(
    get,
    path = "/qa/plans/{id}/report",
    tag = "qa",
    operation_id = "qa_plan_report",
    params(("id" = i64, Path, description = "The plan's id"), ReportQuery),
    responses(
        (status = 200, description = "The report", body = PlanReport),
        (status = 403, description = "A team lead without a coaching session of their team"),
        (status = 404, description = "No such plan (or compared plan, or coaching session)"),
        (status = 422, description = "Both `compare` and `coaching`"),
    )
)]
pub(super) async fn plan_report(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Query(query): Query<ReportQuery>,
) -> Result<Json<PlanReport>, AppError> {
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let report = match (query.coaching, query.compare) {
        (Some(_), Some(_)) => {
            return Err(AppError::Validation(vec![FieldError::new(
                "coaching",
                "conflict",
                "compare with a plan or anchor on a coaching session, not both",
            )]));
        }
        (Some(session), None) => {
            let row = coaching_row(&mut conn, session).await?;
            let seen = match caller.role {
                Role::QaInspector | Role::Admin => true,
                Role::TeamLead => row.team_id.is_some() && row.team_id == caller.team_id,
                _ => false,
            };
            if !seen {
                return Err(AppError::Forbidden(
                    "This coaching session is another team's".to_owned(),
                ));
            }
            build_coaching_report(&mut conn, &settings, state.clock.now(), id, &row).await?
        }
        (None, _) if caller.role == Role::TeamLead => {
            return Err(AppError::Forbidden(
                "A team lead reads a plan's report anchored on a coaching session of their team"
                    .to_owned(),
            ));
        }
        (None, compare) => build_report(&mut conn, &settings, state.today(), id, compare).await?,
    };
    Ok(Json(report))
}

/// A CSV cell that a spreadsheet will not read as a formula.
fn cell(text: &str) -> String {
    crate::csvfile::safe_cell(text)
}

fn number(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.2}")).unwrap_or_default()
}

/// The report's tables as CSV (UTF-8 with a BOM, so Excel reads the Chinese): the dimensions,
/// then the agents and teams with their composite, then the frequent problems. Cells starting
/// with `=`, `+`, `-`, `@` or a tab are neutralised.
#[utoipa::path(
    get,
    path = "/qa/plans/{id}/report.csv",
    tag = "qa",
    operation_id = "qa_plan_report_csv",
    params(("id" = i64, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The report's tables", content_type = "text/csv"),
        (status = 404, description = "No such plan"),
    )
)]
pub(super) async fn plan_report_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let report = build_report(&mut conn, &settings, state.today(), id, None).await?;
    // Sections of different widths, one after another.
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut write = |fields: Vec<String>| {
        writer
            .write_record(&fields)
            .map_err(|e| AppError::Internal(format!("writing CSV: {e}")))
    };
    write(vec!["检测计划 Plan".into(), cell(&report.plan.name)])?;
    write(vec![
        "期间 Period".into(),
        format!("{} – {}", report.plan.from, report.plan.to),
    ])?;
    write(vec![
        "质检得分 QA score".into(),
        number(report.qa_score),
        "客户评分 Customer score".into(),
        number(report.customer_score),
        "综合得分 Composite".into(),
        number(report.composite),
    ])?;
    write(vec![])?;
    write(
        [
            "维度 Dimension",
            "平均分 Mean score",
            "得分率 Score rate",
            "适用项 Applicable",
            "符合项 Compliant",
            "低于3分 Under 3",
        ]
        .map(String::from)
        .to_vec(),
    )?;
    for d in &report.dimensions {
        write(vec![
            cell(&d.name_zh),
            number(d.score),
            d.score_rate
                .map(|r| format!("{:.1}%", r * 100.0))
                .unwrap_or_default(),
            d.applicable.to_string(),
            d.compliant.to_string(),
            if d.flagged { "是 yes" } else { "" }.into(),
        ])?;
    }
    write(vec![])?;
    write(
        [
            "服务人员/团队 Agent/team",
            "工号 No",
            "团队 Team",
            "质检次数 Inspections",
            "质检得分 QA score",
            "客户评分 Customer score",
            "评价数 Evaluations",
            "综合得分 Composite",
        ]
        .map(String::from)
        .to_vec(),
    )?;
    for row in report.agents.iter().chain(&report.teams) {
        write(vec![
            cell(&row.who.name),
            cell(&row.who.no),
            cell(row.team_name.as_deref().unwrap_or("")),
            row.inspections.to_string(),
            number(row.qa_score),
            number(row.customer_score),
            row.evaluations.to_string(),
            number(row.composite),
        ])?;
    }
    write(vec![])?;
    write(
        [
            "高频问题 Frequent problem",
            "维度 Dimension",
            "次数 Count",
            "占比 Share",
            "示例 Examples",
        ]
        .map(String::from)
        .to_vec(),
    )?;
    for p in &report.problems {
        write(vec![
            cell(&p.item_name_zh),
            cell(&p.dimension_name_zh),
            p.count.to_string(),
            format!("{:.1}%", p.share * 100.0),
            cell(&p.examples.join(" / ")),
        ])?;
    }
    write(vec![])?;
    write(
        [
            "申诉 Disputes",
            "工号 No",
            "质检数 Inspected",
            "申诉数 Disputed",
            "申诉率 Dispute rate",
            "改判数 Changed",
        ]
        .map(String::from)
        .to_vec(),
    )?;
    let rate = |part: u64, whole: u64| {
        pingjia_domain::qa::share(part, whole)
            .map(|r| format!("{:.1}%", r * 100.0))
            .unwrap_or_default()
    };
    for r in &report.dispute_inspectors {
        write(vec![
            cell(&r.inspector.name),
            cell(&r.inspector.no),
            r.inspected.to_string(),
            r.disputed.to_string(),
            rate(r.disputed, r.inspected),
            r.changed.to_string(),
        ])?;
    }
    for r in &report.dispute_items {
        write(vec![
            cell(&r.item_name_zh),
            String::new(),
            r.inspected.to_string(),
            r.disputed.to_string(),
            rate(r.disputed, r.inspected),
            r.changed.to_string(),
        ])?;
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(
        writer
            .into_inner()
            .map_err(|e| AppError::Internal(format!("finishing CSV: {e}")))?,
    );
    let filename = format!("qa-plan-{id}-report.csv");
    Ok(csv_attachment(Body::from(bytes), &filename))
}
