//! The SMS gateway's and the webhook channel's settings as stored (one row each at most).

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::delivery::{
    GatewayContentType, GatewayHeader, GatewayMethod, SmsGateway, SmsGatewayInput, SuccessRule,
    WebhookChannel,
};

use crate::error::AppError;
use crate::time::{from_db, to_db};

/// The SMS gateway as the worker uses it (with the secret).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SmsGatewayRow {
    pub url: String,
    pub method: String,
    pub headers: String,
    pub body_template: String,
    pub content_type: String,
    pub success_json_field: Option<String>,
    pub success_json_value: Option<String>,
    pub success_body_contains: Option<String>,
    pub secret: Option<String>,
    pub updated_at: String,
}

impl SmsGatewayRow {
    /// The settings as the API answers them (no secret).
    pub fn to_wire(&self) -> Result<SmsGateway, AppError> {
        Ok(SmsGateway {
            url: self.url.clone(),
            method: GatewayMethod::parse(&self.method).unwrap_or(GatewayMethod::Post),
            headers: self.header_list(),
            body_template: self.body_template.clone(),
            content_type: GatewayContentType::parse(&self.content_type)
                .unwrap_or(GatewayContentType::Json),
            success: SuccessRule {
                json_field: self.success_json_field.clone(),
                json_value: self.success_json_value.clone(),
                body_contains: self.success_body_contains.clone(),
            },
            has_secret: self.secret.as_deref().is_some_and(|s| !s.is_empty()),
            updated_at: Some(from_db(&self.updated_at)?),
        })
    }

    /// The stored headers (none when they cannot be read).
    pub fn header_list(&self) -> Vec<GatewayHeader> {
        serde_json::from_str(&self.headers).unwrap_or_default()
    }
}

/// The settings before an admin sets the gateway up.
pub fn empty_gateway() -> SmsGateway {
    SmsGateway {
        url: String::new(),
        method: GatewayMethod::Post,
        headers: Vec::new(),
        body_template: String::new(),
        content_type: GatewayContentType::Json,
        success: SuccessRule::default(),
        has_secret: false,
        updated_at: None,
    }
}

pub async fn sms_gateway(conn: &mut Conn) -> Result<Option<SmsGatewayRow>, sqlx::Error> {
    sql::query_as(
        "SELECT url, method, headers, body_template, content_type, success_json_field,
                success_json_value, success_body_contains, secret, updated_at
         FROM sms_gateway WHERE id = 1",
    )
    .fetch_optional(conn)
    .await
}

/// Stores the gateway (`input` checked, with `secret`), changed by `by` at `now`.
pub(crate) async fn set_sms_gateway(
    conn: &mut Conn,
    input: &SmsGatewayInput,
    secret: Option<&str>,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO sms_gateway (id, url, method, headers, body_template, content_type,
             success_json_field, success_json_value, success_body_contains, secret,
             updated_at, updated_by)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET url = excluded.url, method = excluded.method,
             headers = excluded.headers, body_template = excluded.body_template,
             content_type = excluded.content_type,
             success_json_field = excluded.success_json_field,
             success_json_value = excluded.success_json_value,
             success_body_contains = excluded.success_body_contains, secret = excluded.secret,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(&input.url)
    .bind(input.method.as_str())
    .bind(serde_json::json!(input.headers).to_string())
    .bind(&input.body_template)
    .bind(input.content_type.as_str())
    .bind(&input.success.json_field)
    .bind(&input.success.json_value)
    .bind(&input.success.body_contains)
    .bind(secret)
    .bind(to_db(now))
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// The webhook channel as the worker uses it (with the secret).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WebhookRow {
    pub url: String,
    pub secret: String,
    pub updated_at: String,
}

impl WebhookRow {
    pub fn to_wire(&self) -> Result<WebhookChannel, AppError> {
        Ok(WebhookChannel {
            url: self.url.clone(),
            has_secret: !self.secret.is_empty(),
            updated_at: Some(from_db(&self.updated_at)?),
        })
    }
}

pub async fn webhook(conn: &mut Conn) -> Result<Option<WebhookRow>, sqlx::Error> {
    sql::query_as("SELECT url, secret, updated_at FROM webhook_channel WHERE id = 1")
        .fetch_optional(conn)
        .await
}

/// Stores the webhook channel, changed by `by` at `now`.
pub(crate) async fn set_webhook(
    conn: &mut Conn,
    url: &str,
    secret: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "INSERT INTO webhook_channel (id, url, secret, updated_at, updated_by)
         VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET url = excluded.url, secret = excluded.secret,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(url)
    .bind(secret)
    .bind(to_db(now))
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}
