//! `/reports/...`: a report on screen and as CSV, the kept reports with their deliveries,
//! retrying a delivery.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use pingjia_domain::delivery::DeliveryState;
use pingjia_domain::reports::{Delivery, Report, ReportKind, ReportTable, StoredReport};
use pingjia_domain::wire::Role;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::api::download::csv_attachment;
use crate::db::begin_write;
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::delivery;
use crate::services::reports::{self as engine};

use super::scope::{ScopeQuery, report_of, scope_team};
use crate::db::reports::{self, deliveries_of};

// ---------------------------------------------------------------------------------------------
// Reports

/// A report.
///
/// The report of a week (Monday to Sunday, `2026-W47`) or a month (`2026-11`) in the
/// organisation's time zone, for the company or a team: KPI cards against the week or month
/// before, the KPI trend over the last 6 periods, complaints by tag, the most frequent problems
/// with example suggestions, the agents ranked by satisfaction then resolution, open appeals,
/// overdue improvement plans and the summary of what improved and what got worse. The kept
/// report when one was built (`stored`); otherwise figures computed now.
#[utoipa::path(
    get,
    path = "/reports/{kind}/{key}",
    tag = "reports",
    operation_id = "get_report",
    params(
        ("kind" = inline(ReportKind), Path, description = "`week` or `month`"),
        ("key" = String, Path, pattern = r"^[0-9]{4}-(W[0-9]{2}|[0-9]{2})$", description = "`2026-W47` or `2026-11`"),
        ScopeQuery,
    ),
    responses(
        (status = 200, description = "The report", body = Report),
        (status = 403, description = "Another team's report"),
        (status = 422, description = "No such period, one not begun, or an unknown team"),
    )
)]
pub(super) async fn get_report(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path((kind, key)): Path<(String, String)>,
    Query(scope): Query<ScopeQuery>,
) -> Result<Json<Report>, AppError> {
    Ok(Json(
        report_of(&state, &caller, &kind, &key, scope.team).await?,
    ))
}

/// A table of a report as CSV.
///
/// `summary`, `trend`, `complaints`, `problems`, `agents`, `appeals` or `plans`; UTF-8 with a
/// byte order mark, cells that a spreadsheet would read as formulas neutralised.
#[utoipa::path(
    get,
    path = "/reports/{kind}/{key}/csv/{table}",
    tag = "reports",
    operation_id = "report_csv",
    params(
        ("kind" = inline(ReportKind), Path, description = "`week` or `month`"),
        ("key" = String, Path, pattern = r"^[0-9]{4}-(W[0-9]{2}|[0-9]{2})$", description = "`2026-W47` or `2026-11`"),
        ("table" = inline(ReportTable), Path, description = "Which table"),
        ScopeQuery,
    ),
    responses(
        (status = 200, description = "The table", body = String, content_type = "text/csv"),
        (status = 403, description = "Another team's report"),
        (status = 422, description = "No such period or table"),
    )
)]
pub(super) async fn report_csv(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path((kind, key, table)): Path<(String, String, String)>,
    Query(scope): Query<ScopeQuery>,
) -> Result<Response, AppError> {
    let table = ReportTable::parse(&table)
        .ok_or_else(|| AppError::field("table", "invalid", "no such table"))?;
    let report = report_of(&state, &caller, &kind, &key, scope.team).await?;
    let bytes = engine::table_csv(&report, table)
        .map_err(|e| AppError::Internal(format!("report CSV: {e}")))?;
    let name = format!(
        "pingjia-{}-{}{}-{}.csv",
        report.kind.as_str(),
        report.key,
        report
            .team_id
            .map(|t| format!("-team{t}"))
            .unwrap_or_default(),
        table.as_str()
    );
    let mut response = csv_attachment(Body::from(bytes), &name);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `week` or `month`; both without it.
    kind: Option<ReportKind>,
    /// One team's reports (admins; a lead always gets their own team's). Without it an admin
    /// gets every scope's.
    team: Option<i64>,
    /// Only the company's reports (admins).
    company: Option<bool>,
}

/// The kept reports.
///
/// Newest period first (at most 200), each with its mails: address, status, attempts, the
/// last error and when the next attempt is.
#[utoipa::path(
    get,
    path = "/reports",
    tag = "reports",
    operation_id = "list_reports",
    params(ListQuery),
    responses(
        (status = 200, description = "The kept reports", body = Vec<StoredReport>),
        (status = 403, description = "Another team's reports"),
        (status = 422, description = "No such team"),
    )
)]
pub(super) async fn list_reports(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<StoredReport>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let only: Option<i64> = if caller.role == Role::Admin {
        if query.company == Some(true) {
            Some(0)
        } else {
            scope_team(&mut conn, &caller, query.team).await?
        }
    } else {
        scope_team(&mut conn, &caller, query.team).await?
    };
    let rows = reports::report_rows(&mut conn, query.kind, only).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let deliveries = deliveries_of(&mut conn, row.id).await?;
        out.push(row.into_stored(deliveries)?);
    }
    Ok(Json(out))
}

/// Try a mail again now.
///
/// A mail that failed or waits for its next attempt is sent at once (in the background);
/// admins, or the lead of the report's team. Audited.
#[utoipa::path(
    post,
    path = "/report-deliveries/{id}/retry",
    tag = "reports",
    operation_id = "retry_delivery",
    params(("id" = i64, Path, description = "The mail's id")),
    responses(
        (status = 200, description = "Queued", body = Delivery),
        (status = 403, description = "Another team's report"),
        (status = 404, description = "No such mail"),
        (status = 409, description = "Sent already (`delivery_sent`) or being sent (`delivery_sending`)"),
    )
)]
pub(super) async fn retry_delivery(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Delivery>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let (team, status, address) = reports::delivery_state(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The mail {id}")))?;
    scope_team(&mut tx, &caller, (team != 0).then_some(team)).await?;
    if caller.role != Role::Admin && team == 0 {
        return Err(AppError::Forbidden(
            "The company's reports are for admins".to_owned(),
        ));
    }
    if status == DeliveryState::Sent.as_str() {
        return Err(Coded::conflict("delivery_sent", "This mail has been sent").into());
    }
    if status == DeliveryState::Sending.as_str() {
        return Err(Coded::conflict("delivery_sending", "This mail is being sent").into());
    }
    delivery::retry(&mut tx, id, now).await?;
    let entry = Entry::new(now, Action::ReportDeliveryRetried)
        .by(Actor::user(&caller, ip))
        .on("report_delivery", id)
        .details(json!({ "address": address, "was": status }));
    audit::record(&mut *tx, &entry).await?;
    let mail = reports::delivery(&mut tx, id).await?;
    tx.commit().await?;
    state.outbox.wake();
    Ok(Json(mail))
}
