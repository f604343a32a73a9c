//! `GET /audit-log` (admins): the audit log page, newest first, filtered. What is stored is
//! described in `crate::services::audit`; nothing here writes.

use axum::extract::State;
use chrono::NaiveDate;
use pingjia_domain::audit::{AuditLogPage, DEFAULT_AUDIT_PER_PAGE, MAX_AUDIT_PER_PAGE};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::audit::{AuditQuery, audit_actions, audit_page};
use crate::error::AppError;
use crate::http::authz::{ADMIN, Rule, get};
use crate::http::extract::{Json, Query};
use crate::http::paging::check_paging;
use crate::http::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit_log))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[get("/api/v1/audit-log", ADMIN)];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// An action, e.g. `evaluation.deleted`, or a family of them with a trailing `*`:
    /// `evaluation.*`.
    action: Option<String>,
    /// Who acted: a user's id, staff or customer number (exact, case-insensitive), or part of
    /// their name.
    actor: Option<String>,
    /// What it was done to, e.g. `evaluation`, `user`, `setting`.
    target_type: Option<String>,
    /// The target's id as logged, e.g. an evaluation's number.
    target_id: Option<String>,
    /// First day (China time), inclusive.
    from: Option<NaiveDate>,
    /// Last day (China time), inclusive.
    to: Option<NaiveDate>,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    per_page: Option<u32>,
}

/// The audit log, a page at a time.
///
/// Newest first. Each entry: when, who (id, name, role, staff or customer number; none for
/// failed logins and for the system, e.g. `evaluation.flagged`), from which address, the
/// action (a stable dotted name), its target and details (old and new values, reasons,
/// counts). Filters combine: the action (or `family.*`), the actor, the target's type and
/// id, the period `from`..=`to` (China days). `actions` lists every action the log holds,
/// for the filter.
#[utoipa::path(
    get,
    path = "/audit-log",
    tag = "audit",
    operation_id = "audit_log",
    params(AuditFilter),
    responses(
        (status = 200, description = "One page of entries", body = AuditLogPage),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The period or the paging is invalid"),
    )
)]
async fn audit_log(
    State(state): State<AppState>,
    Query(filter): Query<AuditFilter>,
) -> Result<Json<AuditLogPage>, AppError> {
    let page = filter.page.unwrap_or(1);
    let per_page = filter.per_page.unwrap_or(DEFAULT_AUDIT_PER_PAGE);
    check_paging(page, per_page, MAX_AUDIT_PER_PAGE, filter.from, filter.to)?;
    let mut conn = state.pool.acquire().await?;
    let query = AuditQuery {
        action: filter.action.as_deref(),
        actor: filter.actor.as_deref(),
        target_type: filter.target_type.as_deref(),
        target_id: filter.target_id.as_deref(),
        from: filter.from,
        to: filter.to,
    };
    let (total, entries) = audit_page(&mut conn, &query, page, per_page).await?;
    let actions = audit_actions(&mut conn).await?;
    Ok(Json(AuditLogPage {
        entries,
        total: u64::try_from(total).unwrap_or_default(),
        page,
        per_page,
        actions,
    }))
}
