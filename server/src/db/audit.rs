//! The audit log as read (admins' page); `crate::services::audit` writes it.

use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use chrono::{Days, NaiveDate};
use pingjia_domain::audit::AuditEntry;
use pingjia_domain::wire::Role;

use crate::db::{decode, like_escaped, parse_stored, push_page};
use crate::time::{from_db, org_day_start, to_db};

/// Which entries the page shows: an action (or a family of them, `evaluation.*`), who acted
/// (a user's id, staff or customer number, or part of their name), the target's type and id,
/// the days `from..=to` (each when given).
pub(crate) struct AuditQuery<'a> {
    pub(crate) action: Option<&'a str>,
    pub(crate) actor: Option<&'a str>,
    pub(crate) target_type: Option<&'a str>,
    pub(crate) target_id: Option<&'a str>,
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
}

fn push_filters(query: &mut QueryBuilder<'_>, filter: &AuditQuery<'_>) {
    query.push(" WHERE 1 = 1");
    let text = |value: Option<&str>| {
        value
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    if let Some(action) = text(filter.action) {
        match action.strip_suffix('*') {
            Some(prefix) => query
                .push(" AND l.action LIKE ")
                .push_bind(format!("{}%", like_escaped(prefix)))
                .push(" ESCAPE '\\'"),
            None => query.push(" AND l.action = ").push_bind(action),
        };
    }
    if let Some(actor) = text(filter.actor) {
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
    if let Some(target_type) = text(filter.target_type) {
        query.push(" AND l.target_type = ").push_bind(target_type);
    }
    if let Some(target_id) = text(filter.target_id) {
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
                .map_err(|e| decode(format!("audit entry {}: {e}", self.id)))?,
        })
    }
}

const FROM_WHERE: &str = "FROM audit_log l LEFT JOIN users u ON u.id = l.actor_user_id";

/// How many entries `filter` selects, and one page of them, newest first.
pub(crate) async fn audit_page(
    conn: &mut Conn,
    filter: &AuditQuery<'_>,
    page: u32,
    per_page: u32,
) -> Result<(i64, Vec<AuditEntry>), sqlx::Error> {
    let mut count = QueryBuilder::new(format!("SELECT COUNT(*) {FROM_WHERE}"));
    push_filters(&mut count, filter);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

    let mut select = QueryBuilder::new(format!(
        "SELECT l.id, l.at, l.actor_user_id, u.display_name AS actor_name, u.role AS actor_role, \
         COALESCE(u.employee_no, u.customer_no) AS actor_no, l.actor_ip, l.action, \
         l.target_type, l.target_id, l.details {FROM_WHERE}"
    ));
    push_filters(&mut select, filter);
    select.push(" ORDER BY l.id DESC");
    push_page(&mut select, page, per_page);
    let rows: Vec<EntryRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    let entries = rows
        .into_iter()
        .map(EntryRow::into_entry)
        .collect::<Result<_, _>>()?;
    Ok((total, entries))
}

/// Every action the log holds, alphabetically.
pub(crate) async fn audit_actions(conn: &mut Conn) -> Result<Vec<String>, sqlx::Error> {
    sql::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action")
        .fetch_all(conn)
        .await
}
