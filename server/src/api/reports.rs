//! Weekly and monthly reports (issue 11): a report per period and scope (kept once the period
//! closed, figures of now before), its tables as CSV, the kept reports with their mails,
//! subscriptions, and the mail server's settings with a test mail.
//!
//! Admins reach every scope; a team lead only their own team's reports and subscriptions.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use pingjia_domain::FieldError;
use pingjia_domain::Problem;
use pingjia_domain::analytics::Period;
use pingjia_domain::reports::{
    Delivery, DeliveryStatus, Report, ReportKind, ReportTable, SmtpSettings, SmtpSettingsInput,
    StoredReport, Subscription, SubscriptionInput, TestMail, TestMailSent, check_address,
};
use pingjia_domain::wire::Role;
use serde::Deserialize;
use serde_json::json;
use sqlx::SqliteConnection;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Query};
use crate::http::idempotency::{Begin, HashedJson, Idempotency, IdempotencyKey, stored_response};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::reports::{self as engine, security_parse, security_str, smtp_row};
use crate::time::{from_db, org_day, to_db};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_report))
        .routes(routes!(report_csv))
        .routes(routes!(list_reports))
        .routes(routes!(list_subscriptions, create_subscription))
        .routes(routes!(update_subscription, remove_subscription))
        .routes(routes!(retry_delivery))
        .routes(routes!(get_smtp, put_smtp))
        .routes(routes!(test_smtp))
}

// ---------------------------------------------------------------------------------------------
// Scope

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeQuery {
    /// A team's id; without it the whole company (admins). A team lead always gets their own
    /// team.
    team: Option<i64>,
}

/// The team a caller may read: admins any existing team or the company (`None`), leads their
/// own team only.
async fn scope_team(
    conn: &mut SqliteConnection,
    caller: &CurrentUser,
    requested: Option<i64>,
) -> Result<Option<i64>, AppError> {
    match caller.role {
        Role::Admin => {
            if let Some(team) = requested {
                let known: Option<i64> = sqlx::query_scalar("SELECT id FROM teams WHERE id = ?")
                    .bind(team)
                    .fetch_optional(&mut *conn)
                    .await?;
                if known.is_none() {
                    return Err(AppError::field(
                        "team",
                        "unknown",
                        format!("no team {team}"),
                    ));
                }
            }
            Ok(requested)
        }
        Role::TeamLead => match (caller.team_id, requested) {
            (Some(own), None) => Ok(Some(own)),
            (Some(own), Some(team)) if team == own => Ok(Some(own)),
            (None, _) => Err(AppError::Forbidden("You lead no team".to_owned())),
            _ => Err(AppError::Forbidden(
                "This belongs to another team".to_owned(),
            )),
        },
        _ => Err(AppError::Forbidden(
            "Reports are for admins and team leads".to_owned(),
        )),
    }
}

/// The kind and period a path names.
fn period_of(kind: &str, key: &str) -> Result<(ReportKind, Period), AppError> {
    let kind = ReportKind::parse(kind)
        .ok_or_else(|| AppError::field("kind", "invalid", "`week` or `month`"))?;
    let period = kind.parse_key(key).ok_or_else(|| {
        AppError::field(
            "key",
            "invalid",
            match kind {
                ReportKind::Week => "a week such as 2026-W47",
                ReportKind::Month => "a month such as 2026-11",
            },
        )
    })?;
    Ok((kind, period))
}

/// The kept report, or the figures of now for a period that has begun.
async fn report_of(
    state: &AppState,
    caller: &CurrentUser,
    kind: &str,
    key: &str,
    team: Option<i64>,
) -> Result<Report, AppError> {
    let (kind, period) = period_of(kind, key)?;
    let now = state.clock.now();
    if period.from > org_day(now) {
        return Err(AppError::field(
            "key",
            "future",
            "this period has not begun",
        ));
    }
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let team = scope_team(&mut conn, caller, team).await?;
    if let Some((_, report)) = engine::stored(&mut conn, kind, &kind.key(period), team).await? {
        return Ok(report);
    }
    engine::build(&mut conn, &settings, kind, period, team, now).await
}

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
        ("kind" = String, Path, description = "`week` or `month`"),
        ("key" = String, Path, description = "`2026-W47` or `2026-11`"),
        ScopeQuery,
    ),
    responses(
        (status = 200, description = "The report", body = Report),
        (status = 403, description = "Another team's report", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such period, one not begun, or an unknown team", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_report(
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
        ("kind" = String, Path, description = "`week` or `month`"),
        ("key" = String, Path, description = "`2026-W47` or `2026-11`"),
        ("table" = String, Path, description = "Which table"),
        ScopeQuery,
    ),
    responses(
        (status = 200, description = "The table", body = String, content_type = "text/csv"),
        (status = 403, description = "Another team's report", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such period or table", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn report_csv(
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
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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
        (status = 403, description = "Another team's reports", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list_reports(
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
    let rows: Vec<ReportRow> = sqlx::query_as(
        "SELECT r.id, r.kind, r.period_key, r.scope_team_id, t.name AS team_name, r.generated_at,
                json_extract(r.body, '$.period.from') AS period_from,
                json_extract(r.body, '$.period.to') AS period_to,
                json_extract(r.body, '$.kpis.evaluations.value') AS evaluations,
                json_extract(r.body, '$.kpis.average_total.value') AS average_total,
                json_extract(r.body, '$.kpis.attainment_rate.value') AS attainment_rate
         FROM reports r LEFT JOIN teams t ON t.id = r.scope_team_id
         WHERE (?1 IS NULL OR r.kind = ?1) AND (?2 IS NULL OR r.scope_team_id = ?2)
         ORDER BY json_extract(r.body, '$.period.from') DESC, r.kind, r.scope_team_id
         LIMIT 200",
    )
    .bind(query.kind.map(ReportKind::as_str))
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let deliveries = deliveries_of(&mut conn, row.id).await?;
        out.push(row.into_stored(deliveries)?);
    }
    Ok(Json(out))
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: i64,
    kind: String,
    period_key: String,
    scope_team_id: i64,
    team_name: Option<String>,
    generated_at: String,
    period_from: String,
    period_to: String,
    evaluations: Option<f64>,
    average_total: Option<f64>,
    attainment_rate: Option<f64>,
}

impl ReportRow {
    fn into_stored(self, deliveries: Vec<Delivery>) -> Result<StoredReport, AppError> {
        let day = |s: &str| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|e| AppError::Internal(format!("kept report {}: {e}", self.id)))
        };
        Ok(StoredReport {
            id: self.id,
            kind: ReportKind::parse(&self.kind)
                .ok_or_else(|| AppError::Internal(format!("report kind {}", self.kind)))?,
            key: self.period_key.clone(),
            period: Period {
                from: day(&self.period_from)?,
                to: day(&self.period_to)?,
            },
            team_id: (self.scope_team_id != 0).then_some(self.scope_team_id),
            team_name: self.team_name,
            generated_at: from_db(&self.generated_at)?,
            evaluations: self.evaluations.map_or(0, |v| v as u64),
            average_total: self.average_total,
            attainment_rate: self.attainment_rate,
            deliveries,
        })
    }
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    address: String,
    status: String,
    attempts: i64,
    next_attempt_at: Option<String>,
    last_error: Option<String>,
    sent_at: Option<String>,
}

impl DeliveryRow {
    fn into_delivery(self) -> Result<Delivery, AppError> {
        let time = |t: Option<String>| t.as_deref().map(from_db).transpose();
        Ok(Delivery {
            id: self.id,
            address: self.address,
            status: DeliveryStatus::parse(&self.status)
                .ok_or_else(|| AppError::Internal(format!("delivery status {}", self.status)))?,
            attempts: u32::try_from(self.attempts).unwrap_or(0),
            next_attempt_at: time(self.next_attempt_at)?,
            last_error: self.last_error,
            sent_at: time(self.sent_at)?,
        })
    }
}

const DELIVERY_SELECT: &str = "SELECT d.id, d.address, d.status, d.attempts, d.next_attempt_at, \
     d.last_error, d.sent_at FROM report_deliveries d";

async fn deliveries_of(
    conn: &mut SqliteConnection,
    report_id: i64,
) -> Result<Vec<Delivery>, AppError> {
    let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
        "{DELIVERY_SELECT} WHERE d.report_id = ? ORDER BY d.id"
    ))
    .bind(report_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(DeliveryRow::into_delivery).collect()
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
        (status = 403, description = "Another team's report", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mail", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Sent already (`delivery_sent`)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn retry_delivery(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Delivery>, AppError> {
    let now = state.clock.now();
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let found: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT r.scope_team_id, d.status, d.address FROM report_deliveries d
         JOIN reports r ON r.id = d.report_id WHERE d.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (team, status, address) =
        found.ok_or_else(|| AppError::NotFound(format!("The mail {id}")))?;
    scope_team(&mut tx, &caller, (team != 0).then_some(team)).await?;
    if caller.role != Role::Admin && team == 0 {
        return Err(AppError::Forbidden(
            "The company's reports are for admins".to_owned(),
        ));
    }
    if status == DeliveryStatus::Sent.as_str() {
        return Err(Coded::conflict("delivery_sent", "This mail has been sent").into());
    }
    sqlx::query(
        "UPDATE report_deliveries SET status = 'pending', next_attempt_at = ? WHERE id = ?",
    )
    .bind(to_db(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = Entry::new(now, Action::ReportDeliveryRetried)
        .by(Actor::user(&caller, ip))
        .on("report_delivery", id)
        .details(json!({ "address": address, "was": status }));
    audit::record(&mut *tx, &entry).await?;
    let row: DeliveryRow = sqlx::query_as(&format!("{DELIVERY_SELECT} WHERE d.id = ?"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(Json(row.into_delivery()?))
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

#[derive(sqlx::FromRow)]
struct SubscriptionRow {
    id: i64,
    kind: String,
    team_id: Option<i64>,
    team_name: Option<String>,
    recipients: String,
    active: bool,
    created_by: String,
    created_at: String,
    first_key: String,
}

impl SubscriptionRow {
    fn into_subscription(self) -> Result<Subscription, AppError> {
        Ok(Subscription {
            id: self.id,
            kind: ReportKind::parse(&self.kind)
                .ok_or_else(|| AppError::Internal(format!("subscription kind {}", self.kind)))?,
            team_id: self.team_id,
            team_name: self.team_name,
            recipients: serde_json::from_str(&self.recipients)
                .map_err(|e| AppError::Internal(format!("subscription {}: {e}", self.id)))?,
            active: self.active,
            created_by: self.created_by,
            created_at: from_db(&self.created_at)?,
            first_key: self.first_key,
        })
    }
}

const SUBSCRIPTION_SELECT: &str = "SELECT s.id, s.kind, s.team_id, t.name AS team_name, \
     s.recipients, s.active, u.display_name AS created_by, s.created_at, s.first_key \
     FROM report_subscriptions s LEFT JOIN teams t ON t.id = s.team_id \
     JOIN users u ON u.id = s.created_by";

async fn subscription(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Option<Subscription>, AppError> {
    let row: Option<SubscriptionRow> = sqlx::query_as(&format!(
        "{SUBSCRIPTION_SELECT} WHERE s.id = ? AND s.removed_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(SubscriptionRow::into_subscription).transpose()
}

/// The subscriptions.
///
/// Admins see all; a team lead their team's.
#[utoipa::path(
    get,
    path = "/report-subscriptions",
    tag = "reports",
    operation_id = "list_subscriptions",
    responses(
        (status = 200, description = "The subscriptions", body = Vec<Subscription>),
    )
)]
async fn list_subscriptions(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<Json<Vec<Subscription>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let team = if caller.role == Role::Admin {
        None
    } else {
        scope_team(&mut conn, &caller, None).await?
    };
    let rows: Vec<SubscriptionRow> = sqlx::query_as(&format!(
        "{SUBSCRIPTION_SELECT} WHERE s.removed_at IS NULL AND (?1 IS NULL OR s.team_id = ?1)
         ORDER BY s.id"
    ))
    .bind(team)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(SubscriptionRow::into_subscription)
            .collect::<Result<_, _>>()?,
    ))
}

/// Checks a subscription's input for the caller: its recipients, and a scope they may
/// subscribe to (a lead: their own team).
async fn check_subscription(
    conn: &mut SqliteConnection,
    caller: &CurrentUser,
    input: &SubscriptionInput,
) -> Result<Vec<String>, AppError> {
    let mut errors = match input.check() {
        Ok(_) => Vec::new(),
        Err(errors) => errors,
    };
    for (i, address) in input.recipients.iter().enumerate() {
        if !address.trim().is_empty()
            && check_address(address).is_ok()
            && address.trim().parse::<lettre::Address>().is_err()
        {
            errors.push(FieldError::new(
                format!("recipients[{i}]"),
                "invalid",
                format!("{:?} is not an e-mail address", address.trim()),
            ));
        }
    }
    if caller.role == Role::TeamLead && input.team_id.is_none() {
        return Err(AppError::Forbidden(
            "Team leads subscribe to their own team's reports".to_owned(),
        ));
    }
    scope_team(conn, caller, input.team_id).await?;
    if errors.is_empty() {
        input.check().map_err(AppError::Validation)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Subscribe addresses to a report.
///
/// The weekly or monthly report of the company or a team (a lead: their own team), mailed to
/// each address: at once for the period closed last, then as each period closes. With an
/// `Idempotency-Key`: a retry of the same request answers the same subscription. Audited.
#[utoipa::path(
    post,
    path = "/report-subscriptions",
    tag = "reports",
    operation_id = "create_subscription",
    request_body = SubscriptionInput,
    params(("Idempotency-Key" = String, Header, description = "A key unique to this subscription, the same on retries")),
    responses(
        (status = 201, description = "Subscribed", body = Subscription),
        (status = 400, description = "No `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another team", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad address, none, too many, or an unknown team", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create_subscription(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    key: IdempotencyKey,
    body: HashedJson<SubscriptionInput>,
) -> Result<Response, AppError> {
    let idempotency =
        match Idempotency::begin(&state, caller.id, &key, SUBSCRIPTION_ROUTE, &body.hash).await? {
            Begin::Replay(response) => return Ok(response),
            Begin::Proceed(idempotency) => idempotency,
        };
    let input = body.value;
    let now = state.clock.now();
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let recipients = check_subscription(&mut tx, &caller, &input).await?;
    let first_key = input.kind.key(input.kind.last_closed(org_day(now)));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO report_subscriptions
             (kind, team_id, recipients, active, created_by, created_at, first_key)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(input.kind.as_str())
    .bind(input.team_id)
    .bind(json!(recipients).to_string())
    .bind(input.active)
    .bind(caller.id)
    .bind(to_db(now))
    .bind(&first_key)
    .fetch_one(&mut *tx)
    .await?;
    let entry = Entry::new(now, Action::ReportSubscriptionCreated)
        .by(Actor::user(&caller, ip))
        .on("report_subscription", id)
        .details(json!({
            "kind": input.kind.as_str(),
            "team": input.team_id,
            "recipients": recipients,
            "active": input.active,
        }));
    audit::record(&mut *tx, &entry).await?;
    let created = subscription(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("subscription {id} vanished")))?;
    let body = serde_json::to_string(&created)
        .map_err(|e| AppError::Internal(format!("subscription {id}: {e}")))?;
    idempotency
        .store(&mut tx, StatusCode::CREATED, None, &body, now)
        .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(stored_response(StatusCode::CREATED, None, body))
}

const SUBSCRIPTION_ROUTE: &str = "POST /api/v1/report-subscriptions";

/// The subscription if the caller may change it.
async fn own_subscription(
    conn: &mut SqliteConnection,
    caller: &CurrentUser,
    id: i64,
) -> Result<Subscription, AppError> {
    let found = subscription(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The subscription {id}")))?;
    if caller.role != Role::Admin {
        if found.team_id.is_none() {
            return Err(AppError::Forbidden(
                "The company's reports are for admins".to_owned(),
            ));
        }
        scope_team(conn, caller, found.team_id).await?;
    }
    Ok(found)
}

/// Change a subscription.
///
/// Its kind, scope, recipients, or pause it (`active: false`). Changing the kind starts it
/// again from the period closed last. Audited.
#[utoipa::path(
    put,
    path = "/report-subscriptions/{id}",
    tag = "reports",
    operation_id = "update_subscription",
    params(("id" = i64, Path, description = "The subscription's id")),
    request_body = SubscriptionInput,
    responses(
        (status = 200, description = "Changed", body = Subscription),
        (status = 403, description = "Another team's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad address, none, too many, or an unknown team", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update_subscription(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<SubscriptionInput>,
) -> Result<Json<Subscription>, AppError> {
    let now = state.clock.now();
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let before = own_subscription(&mut tx, &caller, id).await?;
    let recipients = check_subscription(&mut tx, &caller, &input).await?;
    let first_key = if before.kind == input.kind && before.team_id == input.team_id {
        before.first_key.clone()
    } else {
        input.kind.key(input.kind.last_closed(org_day(now)))
    };
    sqlx::query(
        "UPDATE report_subscriptions SET kind = ?, team_id = ?, recipients = ?, active = ?,
             first_key = ? WHERE id = ?",
    )
    .bind(input.kind.as_str())
    .bind(input.team_id)
    .bind(json!(recipients).to_string())
    .bind(input.active)
    .bind(&first_key)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = Entry::new(now, Action::ReportSubscriptionUpdated)
        .by(Actor::user(&caller, ip))
        .on("report_subscription", id)
        .details(json!({
            "before": {
                "kind": before.kind.as_str(), "team": before.team_id,
                "recipients": before.recipients, "active": before.active,
            },
            "after": {
                "kind": input.kind.as_str(), "team": input.team_id,
                "recipients": recipients, "active": input.active,
            },
        }));
    audit::record(&mut *tx, &entry).await?;
    let changed = subscription(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("subscription {id} vanished")))?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(Json(changed))
}

/// Remove a subscription.
///
/// No more reports are mailed to it; its mails already sent stay in the list. Removing it
/// again answers 204 as well. Audited.
#[utoipa::path(
    delete,
    path = "/report-subscriptions/{id}",
    tag = "reports",
    operation_id = "remove_subscription",
    params(("id" = i64, Path, description = "The subscription's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Another team's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn remove_subscription(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    let now = state.clock.now();
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    // Removing a removed subscription again (a double click, a retry) is done already.
    let removed: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT team_id FROM report_subscriptions WHERE id = ? AND removed_at IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(team) = removed {
        if caller.role != Role::Admin {
            scope_team(&mut tx, &caller, team.or(Some(0))).await?;
        }
        return Ok(StatusCode::NO_CONTENT);
    }
    let before = own_subscription(&mut tx, &caller, id).await?;
    sqlx::query("UPDATE report_subscriptions SET removed_at = ? WHERE id = ?")
        .bind(to_db(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let entry = Entry::new(now, Action::ReportSubscriptionRemoved)
        .by(Actor::user(&caller, ip))
        .on("report_subscription", id)
        .details(json!({
            "kind": before.kind.as_str(), "team": before.team_id,
            "recipients": before.recipients,
        }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
// The mail server

#[derive(sqlx::FromRow)]
struct SmtpSettingsRow {
    host: String,
    port: i64,
    security: String,
    username: Option<String>,
    password_set: bool,
    from_address: String,
    from_name: String,
    link_base: String,
    updated_at: String,
}

async fn smtp_settings(conn: &mut SqliteConnection) -> Result<SmtpSettings, AppError> {
    let row: Option<SmtpSettingsRow> = sqlx::query_as(
        "SELECT host, port, security, username, password IS NOT NULL AS password_set,
                from_address, from_name, link_base, updated_at
         FROM smtp_settings WHERE id = 1",
    )
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(r) => SmtpSettings {
            host: r.host,
            port: u16::try_from(r.port).unwrap_or(587),
            security: security_parse(&r.security),
            username: r.username,
            password_set: r.password_set,
            from_address: r.from_address,
            from_name: r.from_name,
            link_base: r.link_base,
            updated_at: Some(from_db(&r.updated_at)?),
        },
        None => SmtpSettings {
            host: String::new(),
            port: 587,
            security: Default::default(),
            username: None,
            password_set: false,
            from_address: String::new(),
            from_name: "评价 Pingjia".to_owned(),
            link_base: String::new(),
            updated_at: None,
        },
    })
}

/// The mail server.
///
/// Host, port, security, user, sender and the address links in mails start with; whether a
/// password is set, never the password. Empty `host` until an admin sets it up.
#[utoipa::path(
    get,
    path = "/settings/smtp",
    tag = "reports",
    operation_id = "get_smtp_settings",
    responses((status = 200, description = "The mail server", body = SmtpSettings))
)]
async fn get_smtp(State(state): State<AppState>) -> Result<Json<SmtpSettings>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(smtp_settings(&mut conn).await?))
}

/// Set the mail server.
///
/// `password` absent keeps the stored one, empty removes it. Mails waiting for a mail server
/// are sent. Audited (without the password).
#[utoipa::path(
    put,
    path = "/settings/smtp",
    tag = "reports",
    operation_id = "put_smtp_settings",
    request_body = SmtpSettingsInput,
    responses(
        (status = 200, description = "Saved", body = SmtpSettings),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn put_smtp(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(input): Json<SmtpSettingsInput>,
) -> Result<Json<SmtpSettings>, AppError> {
    let input = input.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let before = smtp_settings(&mut tx).await?;
    let old_password: Option<String> =
        sqlx::query_scalar("SELECT password FROM smtp_settings WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
    let password = match &input.password {
        None => old_password.clone(),
        Some(p) if p.is_empty() => None,
        Some(p) => Some(p.clone()),
    };
    sqlx::query(
        "INSERT INTO smtp_settings (id, host, port, security, username, password, from_address,
             from_name, link_base, updated_at, updated_by)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port,
             security = excluded.security, username = excluded.username,
             password = excluded.password, from_address = excluded.from_address,
             from_name = excluded.from_name, link_base = excluded.link_base,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(&input.host)
    .bind(i64::from(input.port))
    .bind(security_str(input.security))
    .bind(&input.username)
    .bind(&password)
    .bind(&input.from_address)
    .bind(&input.from_name)
    .bind(&input.link_base)
    .bind(to_db(now))
    .bind(caller.id)
    .execute(&mut *tx)
    .await?;
    let entry = Entry::new(now, Action::SmtpSettingsChanged)
        .by(Actor::user(&caller, ip))
        .on("smtp_settings", 1)
        .details(json!({
            "before": {
                "host": before.host, "port": before.port,
                "security": security_str(before.security), "username": before.username,
                "from_address": before.from_address, "link_base": before.link_base,
            },
            "after": {
                "host": input.host, "port": input.port,
                "security": security_str(input.security), "username": input.username,
                "from_address": input.from_address, "link_base": input.link_base,
            },
            "password_changed": password != old_password,
        }));
    audit::record(&mut *tx, &entry).await?;
    let saved = smtp_settings(&mut tx).await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(Json(saved))
}

/// Send a test mail.
///
/// Through the saved mail server, at once: the server's reply, or 502 with its error.
/// Audited.
#[utoipa::path(
    post,
    path = "/settings/smtp/test",
    tag = "reports",
    operation_id = "test_smtp_settings",
    request_body = TestMail,
    responses(
        (status = 200, description = "The mail server accepted it", body = TestMailSent),
        (status = 409, description = "No mail server is set up (`smtp_not_configured`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an e-mail address", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The mail server refused or could not be reached (`smtp_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn test_smtp(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(body): Json<TestMail>,
) -> Result<Json<TestMailSent>, AppError> {
    let to = check_address(&body.to)
        .ok()
        .filter(|a| a.parse::<lettre::Address>().is_ok())
        .ok_or_else(|| AppError::field("to", "invalid", "an e-mail address"))?;
    let smtp = {
        let mut conn = state.pool.acquire().await?;
        smtp_row(&mut conn).await?
    }
    .ok_or_else(|| {
        AppError::from(Coded::conflict(
            "smtp_not_configured",
            "Set up the mail server first",
        ))
    })?;
    let base = if smtp.link_base.is_empty() {
        state.mailer.default_link_base()
    } else {
        smtp.link_base.clone()
    };
    let result = engine::send(&smtp, &to, &engine::test_mail(&base)).await;
    let now = state.clock.now();
    let entry = Entry::new(now, Action::SmtpTestMailSent)
        .by(Actor::user(&caller, ip))
        .on("smtp_settings", 1)
        .details(json!({
            "to": to,
            "ok": result.is_ok(),
            "reply": result.as_ref().unwrap_or_else(|e| e),
        }));
    audit::record(&state.pool, &entry).await?;
    match result {
        Ok(reply) => Ok(Json(TestMailSent { to, reply })),
        Err(error) => Err(Coded::new(StatusCode::BAD_GATEWAY, "smtp_failed", error).into()),
    }
}
