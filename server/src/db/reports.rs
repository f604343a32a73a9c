//! Kept reports, their mail deliveries, report subscriptions and the SMTP settings as stored.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, NaiveDate, Utc};
use pingjia_domain::analytics::Period;
use pingjia_domain::reports::{
    Delivery, DeliveryStatus, ReportKind, SmtpSecurity, SmtpSettings, SmtpSettingsInput,
    StoredReport, Subscription, SubscriptionInput,
};

use crate::error::AppError;
use crate::time::{from_db, to_db};

#[derive(sqlx::FromRow)]
pub(crate) struct ReportRow {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) period_key: String,
    pub(crate) scope_team_id: i64,
    pub(crate) team_name: Option<String>,
    pub(crate) team_name_en: Option<String>,
    pub(crate) generated_at: String,
    pub(crate) period_from: String,
    pub(crate) period_to: String,
    pub(crate) evaluations: Option<f64>,
    pub(crate) average_total: Option<f64>,
    pub(crate) attainment_rate: Option<f64>,
}

impl ReportRow {
    pub(crate) fn into_stored(self, deliveries: Vec<Delivery>) -> Result<StoredReport, AppError> {
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
            team_name_en: self.team_name_en,
            generated_at: from_db(&self.generated_at)?,
            evaluations: self.evaluations.map_or(0, |v| v as u64),
            average_total: self.average_total,
            attainment_rate: self.attainment_rate,
            deliveries,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct DeliveryRow {
    pub(crate) id: i64,
    pub(crate) address: String,
    pub(crate) status: String,
    pub(crate) attempts: i64,
    pub(crate) next_attempt_at: Option<String>,
    pub(crate) last_error: Option<String>,
    pub(crate) sent_at: Option<String>,
}

impl DeliveryRow {
    pub(crate) fn into_delivery(self) -> Result<Delivery, AppError> {
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

/// A report mail as the reports list shows it: a delivery of the queue linked to its report
/// (`report_mails`); `queued` and `sending` read as `pending`.
pub(crate) const DELIVERY_SELECT: &str = "SELECT d.id, d.recipient AS address, \
     CASE d.status WHEN 'queued' THEN 'pending' WHEN 'sending' THEN 'pending' ELSE d.status END \
     AS status, d.attempts, d.next_attempt_at, d.last_error, d.sent_at \
     FROM deliveries d JOIN report_mails m ON m.delivery_id = d.id";

pub(crate) async fn deliveries_of(
    conn: &mut Conn,
    report_id: i64,
) -> Result<Vec<Delivery>, AppError> {
    let rows: Vec<DeliveryRow> = sql::query_as(&format!(
        "{DELIVERY_SELECT} WHERE m.report_id = ? ORDER BY d.id"
    ))
    .bind(report_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(DeliveryRow::into_delivery).collect()
}

/// Links the delivery `delivery` to the report and subscription it is a mail of.
pub(crate) async fn link_mail(
    conn: &mut Conn,
    delivery: i64,
    report: i64,
    subscription: i64,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO report_mails (delivery_id, report_id, subscription_id) VALUES (?, ?, ?)",
    )
    .bind(delivery)
    .bind(report)
    .bind(subscription)
    .execute(conn)
    .await?;
    Ok(())
}

/// The mails of the subscription `id` still waiting to be sent.
pub(crate) async fn waiting_mails_of(
    conn: &mut Conn,
    subscription: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sql::query_scalar(
        "SELECT d.id FROM deliveries d JOIN report_mails m ON m.delivery_id = d.id
         WHERE m.subscription_id = ? AND d.status IN ('queued', 'retrying')",
    )
    .bind(subscription)
    .fetch_all(conn)
    .await
}

/// The kept report `id` (JSON).
pub(crate) async fn report_body(conn: &mut Conn, id: i64) -> Result<Option<String>, sqlx::Error> {
    sql::query_scalar("SELECT body FROM reports WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The active subscriptions: id, kind, team, recipients (JSON) and first period's key.
pub(crate) async fn active_subscriptions(
    conn: &mut Conn,
) -> Result<Vec<(i64, String, Option<i64>, String, String)>, sqlx::Error> {
    sql::query_as(
        "SELECT id, kind, team_id, recipients, first_key FROM report_subscriptions
         WHERE active = TRUE AND removed_at IS NULL ORDER BY id",
    )
    .fetch_all(conn)
    .await
}

#[derive(sqlx::FromRow)]
pub(crate) struct SubscriptionRow {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) team_name_en: Option<String>,
    pub(crate) recipients: String,
    pub(crate) active: bool,
    pub(crate) created_by: String,
    pub(crate) created_at: String,
    pub(crate) first_key: String,
}

impl SubscriptionRow {
    pub(crate) fn into_subscription(self) -> Result<Subscription, AppError> {
        Ok(Subscription {
            id: self.id,
            kind: ReportKind::parse(&self.kind)
                .ok_or_else(|| AppError::Internal(format!("subscription kind {}", self.kind)))?,
            team_id: self.team_id,
            team_name: self.team_name,
            team_name_en: self.team_name_en,
            recipients: serde_json::from_str(&self.recipients)
                .map_err(|e| AppError::Internal(format!("subscription {}: {e}", self.id)))?,
            active: self.active,
            created_by: self.created_by,
            created_at: from_db(&self.created_at)?,
            first_key: self.first_key,
        })
    }
}

pub(crate) const SUBSCRIPTION_SELECT: &str = "SELECT s.id, s.kind, s.team_id, t.name AS team_name, \
     t.name_en AS team_name_en, \
     s.recipients, s.active, u.display_name AS created_by, s.created_at, s.first_key \
     FROM report_subscriptions s LEFT JOIN teams t ON t.id = s.team_id \
     JOIN users u ON u.id = s.created_by";

pub(crate) async fn subscription(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<Subscription>, AppError> {
    let row: Option<SubscriptionRow> = sql::query_as(&format!(
        "{SUBSCRIPTION_SELECT} WHERE s.id = ? AND s.removed_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(SubscriptionRow::into_subscription).transpose()
}

#[derive(sqlx::FromRow)]
pub(crate) struct SmtpSettingsRow {
    pub(crate) host: String,
    pub(crate) port: i64,
    pub(crate) security: String,
    pub(crate) username: Option<String>,
    pub(crate) password_set: bool,
    pub(crate) from_address: String,
    pub(crate) from_name: String,
    pub(crate) link_base: String,
    pub(crate) updated_at: String,
}

pub(crate) async fn smtp_settings(conn: &mut Conn) -> Result<SmtpSettings, AppError> {
    let row: Option<SmtpSettingsRow> = sql::query_as(
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
            security: SmtpSecurity::parse(&r.security).unwrap_or_default(),
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

/// The subscriptions not removed, of the team `team` (all of them when `None`), by id.
pub(crate) async fn subscriptions(
    conn: &mut Conn,
    team: Option<i64>,
) -> Result<Vec<Subscription>, AppError> {
    let rows: Vec<SubscriptionRow> = sql::query_as(&format!(
        "{SUBSCRIPTION_SELECT} WHERE s.removed_at IS NULL AND (?1 IS NULL OR s.team_id = ?1)
         ORDER BY s.id"
    ))
    .bind(team)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(SubscriptionRow::into_subscription)
        .collect()
}

/// A subscription's stored values: its input, checked recipients and first period's key.
pub(crate) struct SubscriptionValues<'a> {
    pub(crate) input: &'a SubscriptionInput,
    pub(crate) recipients: &'a [String],
    pub(crate) first_key: &'a str,
}

/// Adds a subscription made by `by` at `now`; its id.
pub(crate) async fn insert_subscription(
    conn: &mut Conn,
    values: &SubscriptionValues<'_>,
    by: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO report_subscriptions
             (kind, team_id, recipients, active, created_by, created_at, first_key)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(values.input.kind.as_str())
    .bind(values.input.team_id)
    .bind(serde_json::json!(values.recipients).to_string())
    .bind(values.input.active)
    .bind(by)
    .bind(to_db(now))
    .bind(values.first_key)
    .fetch_one(conn)
    .await
}

/// Changes the subscription `id`.
pub(crate) async fn update_subscription(
    conn: &mut Conn,
    id: i64,
    values: &SubscriptionValues<'_>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE report_subscriptions SET kind = ?, team_id = ?, recipients = ?, active = ?,
             first_key = ? WHERE id = ?",
    )
    .bind(values.input.kind.as_str())
    .bind(values.input.team_id)
    .bind(serde_json::json!(values.recipients).to_string())
    .bind(values.input.active)
    .bind(values.first_key)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The team of the subscription `id` when it was removed already (`Some(None)`: the
/// company's).
pub(crate) async fn removed_subscription_team(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<Option<i64>>, sqlx::Error> {
    sql::query_scalar(
        "SELECT team_id FROM report_subscriptions WHERE id = ? AND removed_at IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Removes the subscription `id` at `now`.
pub(crate) async fn remove_subscription(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE report_subscriptions SET removed_at = ? WHERE id = ?")
        .bind(to_db(now))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The kept reports of a kind and a scope (each when given; the company is team 0), the
/// latest periods first, at most 200.
pub(crate) async fn report_rows(
    conn: &mut Conn,
    kind: Option<ReportKind>,
    team: Option<i64>,
) -> Result<Vec<ReportRow>, sqlx::Error> {
    let json = conn.dialect();
    let text = |path: &[&str]| json.json_value("r.body", path, "TEXT");
    let real = |path: &[&str]| json.json_value("r.body", path, "DOUBLE PRECISION");
    sql::query_as(&format!(
        "SELECT r.id, r.kind, r.period_key, r.scope_team_id, t.name AS team_name, t.name_en AS team_name_en,
                r.generated_at,
                {} AS period_from, {} AS period_to, {} AS evaluations, {} AS average_total,
                {} AS attainment_rate
         FROM reports r LEFT JOIN teams t ON t.id = r.scope_team_id
         WHERE (?1 IS NULL OR r.kind = ?1) AND (?2 IS NULL OR r.scope_team_id = ?2)
         ORDER BY period_from DESC, r.kind, r.scope_team_id
         LIMIT 200",
        text(&["period", "from"]),
        text(&["period", "to"]),
        real(&["kpis", "evaluations", "value"]),
        real(&["kpis", "average_total", "value"]),
        real(&["kpis", "attainment_rate", "value"]),
    ))
    .bind(kind.map(ReportKind::as_str))
    .bind(team)
    .fetch_all(conn)
    .await
}

/// The report team (0: the company), status and address of the mail `id`.
pub(crate) async fn delivery_state(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<(i64, String, String)>, sqlx::Error> {
    sql::query_as(
        "SELECT r.scope_team_id, d.status, d.recipient FROM deliveries d
         JOIN report_mails m ON m.delivery_id = d.id
         JOIN reports r ON r.id = m.report_id WHERE d.id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The mail `id`.
pub(crate) async fn delivery(conn: &mut Conn, id: i64) -> Result<Delivery, AppError> {
    let row: DeliveryRow = sql::query_as(&format!("{DELIVERY_SELECT} WHERE d.id = ?"))
        .bind(id)
        .fetch_one(conn)
        .await?;
    row.into_delivery()
}

/// The stored SMTP password.
pub(crate) async fn smtp_password(conn: &mut Conn) -> Result<Option<String>, sqlx::Error> {
    Ok(
        sql::query_scalar("SELECT password FROM smtp_settings WHERE id = 1")
            .fetch_optional(conn)
            .await?
            .flatten(),
    )
}

/// Stores the SMTP settings (with `password`), changed by `by` at `now`.
pub(crate) async fn set_smtp(
    conn: &mut Conn,
    input: &SmtpSettingsInput,
    password: Option<&str>,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
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
    .bind(input.security.as_str())
    .bind(&input.username)
    .bind(password)
    .bind(&input.from_address)
    .bind(&input.from_name)
    .bind(&input.link_base)
    .bind(to_db(now))
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// The mail server as the worker uses it (with the password).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SmtpRow {
    pub host: String,
    pub port: i64,
    pub security: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from_address: String,
    pub from_name: String,
    pub link_base: String,
}

pub async fn smtp_row(conn: &mut Conn) -> Result<Option<SmtpRow>, sqlx::Error> {
    sql::query_as(
        "SELECT host, port, security, username, password, from_address, from_name, link_base
         FROM smtp_settings WHERE id = 1",
    )
    .fetch_optional(conn)
    .await
}
