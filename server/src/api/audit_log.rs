//! `GET /audit-log` (admins): the audit log page, newest first, filtered. What is stored is
//! described in `crate::services::audit`; nothing here writes.

use axum::extract::State;
use chrono::{Days, NaiveDate};
use pingjia_domain::audit::{AuditEntry, AuditLogPage, DEFAULT_AUDIT_PER_PAGE, MAX_AUDIT_PER_PAGE};
use pingjia_domain::wire::Role;
use serde::Deserialize;
use sqlx::{QueryBuilder, Sqlite};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::parse_stored;
use crate::error::AppError;
use crate::http::authz::{ADMIN, Rule, get};
use crate::http::extract::{Json, Query};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::time::{from_db, org_day_start, to_db};

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

/// `text` for a `LIKE ... ESCAPE '\'` pattern: its wildcards taken literally.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn push_filters(query: &mut QueryBuilder<'_, Sqlite>, filter: &AuditFilter) {
    query.push(" WHERE 1 = 1");
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    if let Some(action) = text(&filter.action) {
        match action.strip_suffix('*') {
            Some(prefix) => query
                .push(" AND l.action LIKE ")
                .push_bind(format!("{}%", like_escaped(prefix)))
                .push(" ESCAPE '\\'"),
            None => query.push(" AND l.action = ").push_bind(action),
        };
    }
    if let Some(actor) = text(&filter.actor) {
        query
            .push(" AND (CAST(l.actor_user_id AS TEXT) = ")
            .push_bind(actor.clone())
            .push(" OR u.employee_no = ")
            .push_bind(actor.clone())
            .push(" COLLATE NOCASE OR u.customer_no = ")
            .push_bind(actor.clone())
            .push(" COLLATE NOCASE OR u.display_name LIKE ")
            .push_bind(format!("%{}%", like_escaped(&actor)))
            .push(" ESCAPE '\\')");
    }
    if let Some(target_type) = text(&filter.target_type) {
        query.push(" AND l.target_type = ").push_bind(target_type);
    }
    if let Some(target_id) = text(&filter.target_id) {
        query.push(" AND l.target_id = ").push_bind(target_id);
    }
    if let Some(from) = filter.from {
        query
            .push(" AND l.at >= ")
            .push_bind(to_db(org_day_start(from)));
    }
    if let Some(to) = filter.to.and_then(|to| to.checked_add_days(Days::new(1))) {
        query
            .push(" AND l.at < ")
            .push_bind(to_db(org_day_start(to)));
    }
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    at: String,
    actor_user_id: Option<i64>,
    actor_name: Option<String>,
    actor_role: Option<String>,
    actor_no: Option<String>,
    actor_ip: Option<String>,
    action: String,
    target_type: Option<String>,
    target_id: Option<String>,
    details: String,
}

impl EntryRow {
    fn into_entry(self) -> Result<AuditEntry, sqlx::Error> {
        Ok(AuditEntry {
            id: self.id,
            at: from_db(&self.at)?,
            actor_id: self.actor_user_id,
            actor_name: self.actor_name,
            actor_role: self
                .actor_role
                .as_deref()
                .map(|r| parse_stored(r, Role::parse))
                .transpose()?,
            actor_no: self.actor_no,
            actor_ip: self.actor_ip,
            action: self.action,
            target_type: self.target_type,
            target_id: self.target_id,
            details: serde_json::from_str(&self.details)
                .map_err(|e| sqlx::Error::Decode(format!("audit entry {}: {e}", self.id).into()))?,
        })
    }
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
    let from_where = "FROM audit_log l LEFT JOIN users u ON u.id = l.actor_user_id";

    let mut count = QueryBuilder::new(format!("SELECT COUNT(*) {from_where}"));
    push_filters(&mut count, &filter);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

    let mut select = QueryBuilder::new(format!(
        "SELECT l.id, l.at, l.actor_user_id, u.display_name AS actor_name, u.role AS actor_role, \
         COALESCE(u.employee_no, u.customer_no) AS actor_no, l.actor_ip, l.action, \
         l.target_type, l.target_id, l.details {from_where}"
    ));
    push_filters(&mut select, &filter);
    select
        .push(" ORDER BY l.id DESC LIMIT ")
        .push_bind(i64::from(per_page))
        .push(" OFFSET ")
        .push_bind(i64::from(page - 1) * i64::from(per_page));
    let rows: Vec<EntryRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action")
            .fetch_all(&mut *conn)
            .await?;
    Ok(Json(AuditLogPage {
        entries: rows
            .into_iter()
            .map(EntryRow::into_entry)
            .collect::<Result<_, _>>()?,
        total: u64::try_from(total).unwrap_or_default(),
        page,
        per_page,
        actions,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_taken_literally() {
        assert_eq!(like_escaped("evaluation."), "evaluation.");
        assert_eq!(like_escaped("a_b%c\\"), "a\\_b\\%c\\\\");
    }
}
