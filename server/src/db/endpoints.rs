//! The endpoints that receive events (`webhook_endpoints`, issue 21): signed webhooks and chat
//! robots, with their filters, and each one's delivery log.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::delivery::DeliveryState;
use pingjia_domain::events::{Endpoint, EndpointDelivery, EndpointInput, EndpointKind, EventType};

use crate::db::{decode, from_json, parse_stored};
use crate::error::AppError;
use crate::time::{from_db, to_db};

/// An endpoint as stored, with its secret (for the worker) and its deliveries' counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct EndpointRow {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) url: String,
    pub(crate) secret: Option<String>,
    pub(crate) events: String,
    pub(crate) team_ids: String,
    pub(crate) service_types: String,
    pub(crate) enabled: bool,
    pub(crate) disabled_reason: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) waiting: i64,
    pub(crate) failed: i64,
}

impl EndpointRow {
    pub(crate) fn kind(&self) -> Result<EndpointKind, sqlx::Error> {
        parse_stored(&self.kind, EndpointKind::parse)
    }

    /// The event types it wants (a stored one the code no longer knows is left out).
    pub(crate) fn events(&self) -> Result<Vec<EventType>, sqlx::Error> {
        let codes: Vec<String> = from_json("endpoint events", &self.events)?;
        Ok(codes.iter().filter_map(|c| EventType::parse(c)).collect())
    }

    pub(crate) fn team_ids(&self) -> Result<Vec<i64>, sqlx::Error> {
        from_json("endpoint teams", &self.team_ids)
    }

    pub(crate) fn service_types(&self) -> Result<Vec<String>, sqlx::Error> {
        from_json("endpoint service types", &self.service_types)
    }

    /// Whether it wants an event of `event_type` about an agent of `team_id` and a service of
    /// `service_type`.
    pub(crate) fn wants(
        &self,
        event_type: EventType,
        team_id: Option<i64>,
        service_type: Option<&str>,
    ) -> Result<bool, sqlx::Error> {
        let teams = self.team_ids()?;
        let types = self.service_types()?;
        Ok(self.events()?.contains(&event_type)
            && (teams.is_empty() || team_id.is_some_and(|t| teams.contains(&t)))
            && (types.is_empty() || service_type.is_some_and(|s| types.iter().any(|t| t == s))))
    }

    /// As admins see it: no secret.
    pub(crate) fn to_wire(&self) -> Result<Endpoint, AppError> {
        Ok(Endpoint {
            id: self.id,
            name: self.name.clone(),
            kind: self.kind()?,
            url: self.url.clone(),
            events: self.events()?,
            team_ids: self.team_ids()?,
            service_types: self.service_types()?,
            enabled: self.enabled,
            disabled_reason: self.disabled_reason.clone(),
            has_secret: self.secret.as_deref().is_some_and(|s| !s.is_empty()),
            waiting: u64::try_from(self.waiting).unwrap_or(0),
            failed: u64::try_from(self.failed).unwrap_or(0),
            created_at: from_db(&self.created_at)?,
            updated_at: from_db(&self.updated_at)?,
        })
    }
}

const SELECT: &str = "SELECT w.id, w.name, w.kind, w.url, w.secret, w.events, w.team_ids, \
     w.service_types, w.enabled, w.disabled_reason, w.created_at, w.updated_at, \
     (SELECT COUNT(*) FROM deliveries d WHERE d.endpoint_id = w.id \
        AND d.status IN ('queued', 'retrying', 'sending')) AS waiting, \
     (SELECT COUNT(*) FROM deliveries d WHERE d.endpoint_id = w.id \
        AND d.status = 'failed') AS failed \
     FROM webhook_endpoints w WHERE w.deleted_at IS NULL";

fn json_list<T: serde::Serialize>(list: &[T]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_owned())
}

/// Stores a new endpoint with `secret`: its id.
pub(crate) async fn insert(
    conn: &mut Conn,
    input: &EndpointInput,
    secret: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO webhook_endpoints (name, kind, url, secret, events, team_ids, service_types,
             enabled, disabled_reason, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, ?9, ?9) RETURNING id",
    )
    .bind(&input.name)
    .bind(input.kind.as_str())
    .bind(&input.url)
    .bind(secret)
    .bind(json_list(&input.events))
    .bind(json_list(&input.team_ids))
    .bind(json_list(&input.service_types))
    .bind(input.enabled)
    .bind(to_db(now))
    .fetch_one(conn)
    .await
}

/// Changes the endpoint `id` (`secret`: `None` keeps the stored one). Enabling it clears why it
/// was disabled; disabling it by hand says so. Whether it exists.
pub(crate) async fn update(
    conn: &mut Conn,
    id: i64,
    input: &EndpointInput,
    secret: Option<Option<&str>>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sql::query(
        "UPDATE webhook_endpoints SET name = ?1, kind = ?2, url = ?3,
             secret = CASE WHEN ?4 THEN ?5 ELSE secret END,
             events = ?6, team_ids = ?7, service_types = ?8,
             disabled_reason = CASE WHEN ?9 THEN NULL
                                    WHEN enabled = FALSE THEN disabled_reason
                                    ELSE '管理员停用 / disabled by an admin' END,
             enabled = ?9, updated_at = ?10
         WHERE id = ?11 AND deleted_at IS NULL",
    )
    .bind(&input.name)
    .bind(input.kind.as_str())
    .bind(&input.url)
    .bind(secret.is_some())
    .bind(secret.flatten())
    .bind(json_list(&input.events))
    .bind(json_list(&input.team_ids))
    .bind(json_list(&input.service_types))
    .bind(input.enabled)
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a new secret. Whether the endpoint exists.
pub(crate) async fn set_secret(
    conn: &mut Conn,
    id: i64,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sql::query(
        "UPDATE webhook_endpoints SET secret = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
    )
    .bind(secret)
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes the endpoint `id` (kept for its log) and gives up its waiting deliveries with
/// `reason`. Whether it existed.
pub(crate) async fn delete(
    conn: &mut Conn,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sql::query(
        "UPDATE webhook_endpoints SET deleted_at = ?, enabled = FALSE WHERE id = ? AND deleted_at IS NULL",
    )
    .bind(to_db(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sql::query(
        "UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, last_error = ?
         WHERE endpoint_id = ? AND status IN ('queued', 'retrying')",
    )
    .bind(reason)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Disables the endpoint `id` with `reason` (a day of failed attempts).
pub(crate) async fn disable(
    conn: &mut Conn,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = ?, updated_at = ?
         WHERE id = ? AND enabled = TRUE",
    )
    .bind(reason)
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The endpoint `id` (not deleted).
pub(crate) async fn get(conn: &mut Conn, id: i64) -> Result<Option<EndpointRow>, sqlx::Error> {
    sql::query_as(&format!("{SELECT} AND w.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The endpoint `id` as the worker sends to it, deleted or not.
pub(crate) async fn for_sending(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<(EndpointRow, bool)>, sqlx::Error> {
    let row: Option<EndpointRow> = sql::query_as(
        "SELECT id, name, kind, url, secret, events, team_ids, service_types, enabled,
             disabled_reason, created_at, updated_at, CAST(0 AS BIGINT) AS waiting, CAST(0 AS BIGINT) AS failed
         FROM webhook_endpoints WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let deleted: Option<String> =
        sql::query_scalar("SELECT deleted_at FROM webhook_endpoints WHERE id = ?")
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(Some((row, deleted.is_some())))
}

/// Every enabled endpoint (the fan-out's).
pub(crate) async fn enabled(conn: &mut Conn) -> Result<Vec<EndpointRow>, sqlx::Error> {
    sql::query_as(
        "SELECT id, name, kind, url, secret, events, team_ids, service_types, enabled,
             disabled_reason, created_at, updated_at, CAST(0 AS BIGINT) AS waiting, CAST(0 AS BIGINT) AS failed
         FROM webhook_endpoints WHERE enabled = TRUE AND deleted_at IS NULL ORDER BY id",
    )
    .fetch_all(conn)
    .await
}

/// A page of the endpoints by name, and how many there are.
pub(crate) async fn page(
    conn: &mut Conn,
    page: u32,
    per_page: u32,
) -> Result<(Vec<EndpointRow>, u64), sqlx::Error> {
    let total: i64 =
        sql::query_scalar("SELECT COUNT(*) FROM webhook_endpoints WHERE deleted_at IS NULL")
            .fetch_one(&mut *conn)
            .await?;
    let rows = sql::query_as(&format!(
        "{SELECT} ORDER BY w.name COLLATE NOCASE, w.id LIMIT ? OFFSET ?"
    ))
    .bind(i64::from(per_page))
    .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
    .fetch_all(conn)
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// A page of the deliveries to the endpoint `id`, newest first (of `status` when given), and
/// how many match.
pub(crate) async fn deliveries(
    conn: &mut Conn,
    id: i64,
    status: Option<DeliveryState>,
    page: u32,
    per_page: u32,
) -> Result<(Vec<EndpointDelivery>, u64), AppError> {
    let status = status.map(DeliveryState::as_str);
    let total: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM deliveries WHERE endpoint_id = ?1 AND (?2 IS NULL OR status = ?2)",
    )
    .bind(id)
    .bind(status)
    .fetch_one(&mut *conn)
    .await?;
    let ids: Vec<(i64, String, Option<String>)> = sql::query_as(
        "SELECT id, content, response FROM deliveries
         WHERE endpoint_id = ?1 AND (?2 IS NULL OR status = ?2)
         ORDER BY id DESC LIMIT ?3 OFFSET ?4",
    )
    .bind(id)
    .bind(status)
    .bind(i64::from(per_page))
    .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
    .fetch_all(&mut *conn)
    .await?;
    let mut items = Vec::with_capacity(ids.len());
    for (delivery, content, response) in ids {
        let entry = crate::db::deliveries::entry(&mut *conn, delivery)
            .await?
            .ok_or_else(|| decode(format!("delivery {delivery} vanished")))?;
        items.push(EndpointDelivery {
            entry,
            request_body: request_body(&content),
            response,
        });
    }
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

/// The body a stored webhook content posts.
pub(crate) fn request_body(content: &str) -> String {
    serde_json::from_str::<serde_json::Value>(content)
        .ok()
        .and_then(|v| v.get("body").and_then(|b| b.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

/// The teams among `team_ids` and the service types among `service_types` that do not exist.
pub(crate) async fn unknown_filters(
    conn: &mut Conn,
    team_ids: &[i64],
    service_types: &[String],
) -> Result<(Vec<i64>, Vec<String>), sqlx::Error> {
    let teams: Vec<i64> = sql::query_scalar(
        "SELECT CAST(value AS BIGINT) FROM json_each(?)
         WHERE CAST(value AS BIGINT) NOT IN (SELECT id FROM teams)",
    )
    .bind(serde_json::to_string(team_ids).unwrap_or_else(|_| "[]".to_owned()))
    .fetch_all(&mut *conn)
    .await?;
    let types: Vec<String> = sql::query_scalar(
        "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT code FROM service_types)",
    )
    .bind(serde_json::to_string(service_types).unwrap_or_else(|_| "[]".to_owned()))
    .fetch_all(conn)
    .await?;
    Ok((teams, types))
}
