//! `/deliveries` and the channels' settings (admins): the log of everything that left the
//! system, a retry of one delivery, the SMS gateway and the webhook channel, read, set and
//! tried. Secrets (the gateway's, the webhook's) are never answered.

use axum::extract::State;
use chrono::NaiveDate;
use pingjia_domain::delivery::{
    DeliveryChannel, DeliveryEntry, DeliveryPage, DeliveryState, Purpose, SmsGateway,
    SmsGatewayInput, TestSms, WebhookChannel, WebhookChannelInput, WebhookChannelSaved,
    check_phone,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::begin_write;
use crate::db::channels::{self, empty_gateway};
use crate::db::deliveries::{self, LogFilter};
use crate::error::{AppError, Coded};
use crate::http::authz::{ADMIN, CurrentUser, Rule, get, post, put};
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::delivery::{self, Content, Outgoing, webhook::new_secret};
use crate::time::org_day_start;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(delivery_log))
        .routes(routes!(retry_delivery))
        .routes(routes!(get_sms, put_sms))
        .routes(routes!(test_sms))
        .routes(routes!(get_webhook, put_webhook))
        .routes(routes!(test_webhook))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/deliveries", ADMIN),
    post("/api/v1/deliveries/{id}/retry", ADMIN),
    get("/api/v1/settings/sms", ADMIN),
    put("/api/v1/settings/sms", ADMIN),
    post("/api/v1/settings/sms/test", ADMIN),
    get("/api/v1/settings/webhook", ADMIN),
    put("/api/v1/settings/webhook", ADMIN),
    post("/api/v1/settings/webhook/test", ADMIN),
];

const DEFAULT_PER_PAGE: u32 = 50;
const MAX_PER_PAGE: u32 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    channel: Option<DeliveryChannel>,
    status: Option<DeliveryState>,
    purpose: Option<Purpose>,
    /// First day enqueued (China time), inclusive.
    from: Option<NaiveDate>,
    /// Last day enqueued (China time), inclusive.
    to: Option<NaiveDate>,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    per_page: Option<u32>,
}

/// The delivery log, a page at a time.
///
/// Every message that left or is to leave the system (report mails, test messages, and later
/// invitations, reminders, one-time codes, notifications), newest first: channel, purpose,
/// recipient, what it says in short, status (`queued`, `sending`, `retrying` with
/// `next_attempt_at`, `sent`, `failed`), attempts and the last error in words. Filters
/// combine: channel, status, purpose, the period `from`..=`to` (China days enqueued).
#[utoipa::path(
    get,
    path = "/deliveries",
    tag = "deliveries",
    operation_id = "delivery_log",
    params(LogQuery),
    responses(
        (status = 200, description = "One page of the log", body = DeliveryPage),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The period or the paging is invalid"),
    )
)]
async fn delivery_log(
    State(state): State<AppState>,
    Query(query): Query<LogQuery>,
) -> Result<Json<DeliveryPage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    check_paging(page, per_page, MAX_PER_PAGE, query.from, query.to)?;
    let filter = LogFilter {
        channel: query.channel,
        status: query.status,
        purpose: query.purpose,
        from: query.from.map(org_day_start),
        until: query.to.and_then(|d| d.succ_opt()).map(org_day_start),
    };
    let mut conn = state.pool.acquire().await?;
    let (items, total) = deliveries::log(&mut conn, &filter, page, per_page).await?;
    Ok(Json(DeliveryPage {
        items,
        total,
        page,
        per_page,
    }))
}

/// Try a delivery again now.
///
/// A delivery that failed or waits for its next attempt is sent at once (in the background),
/// with the same message id. Audited.
#[utoipa::path(
    post,
    path = "/deliveries/{id}/retry",
    tag = "deliveries",
    operation_id = "retry_outgoing_delivery",
    params(("id" = i64, Path, description = "The delivery's id")),
    responses(
        (status = 200, description = "Queued", body = DeliveryEntry),
        (status = 404, description = "No such delivery"),
        (status = 409, description = "Sent already (`delivery_sent`) or being sent (`delivery_sending`)"),
    )
)]
async fn retry_delivery(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<DeliveryEntry>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let before = deliveries::entry(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The delivery {id}")))?;
    match before.status {
        DeliveryState::Sent => {
            return Err(Coded::conflict("delivery_sent", "This message has been sent").into());
        }
        DeliveryState::Sending => {
            return Err(Coded::conflict("delivery_sending", "This message is being sent").into());
        }
        _ => {}
    }
    delivery::retry(&mut tx, id, now).await?;
    let entry = Entry::new(now, Action::DeliveryRetried)
        .by(Actor::user(&caller, ip))
        .on("delivery", id)
        .details(json!({
            "channel": before.channel.as_str(), "purpose": before.purpose.as_str(),
            "was": before.status.as_str(),
        }));
    audit::record(&mut *tx, &entry).await?;
    let after = deliveries::entry(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The delivery {id}")))?;
    tx.commit().await?;
    state.outbox.wake();
    Ok(Json(after))
}

// ---------------------------------------------------------------------------------------------
// The SMS gateway

/// The SMS gateway.
///
/// URL, method, headers, body template, content type and success rule; whether a secret is
/// stored (`has_secret`), never the secret. Empty `url` until an admin sets it up.
#[utoipa::path(
    get,
    path = "/settings/sms",
    tag = "deliveries",
    operation_id = "get_sms_gateway",
    responses((status = 200, description = "The SMS gateway", body = SmsGateway))
)]
async fn get_sms(State(state): State<AppState>) -> Result<Json<SmsGateway>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(match channels::sms_gateway(&mut conn).await? {
        Some(row) => row.to_wire()?,
        None => empty_gateway(),
    }))
}

/// Set the SMS gateway.
///
/// The URL, the header values and the body may name `{{to}}`, `{{text}}`, `{{reference}}`
/// (the message's id) and `{{secret}}`; the URL and a form body get them percent-encoded, a
/// JSON body JSON-escaped (write the placeholder inside quotes). The answer is sent when the
/// status is 2xx and, when set, the JSON field equals the value and the body holds the text.
/// `secret` absent keeps the stored one, empty removes it. Messages waiting for the gateway
/// are sent. Audited (without the secret).
#[utoipa::path(
    put,
    path = "/settings/sms",
    tag = "deliveries",
    operation_id = "put_sms_gateway",
    request_body = SmsGatewayInput,
    responses(
        (status = 200, description = "Saved", body = SmsGateway),
        (status = 422, description = "A field is invalid"),
    )
)]
async fn put_sms(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(input): Json<SmsGatewayInput>,
) -> Result<Json<SmsGateway>, AppError> {
    let input = input.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let before = channels::sms_gateway(&mut tx).await?;
    let old_secret = before.as_ref().and_then(|b| b.secret.clone());
    let secret = match &input.secret {
        None => old_secret.clone(),
        Some(s) if s.is_empty() => None,
        Some(s) => Some(s.clone()),
    };
    channels::set_sms_gateway(&mut tx, &input, secret.as_deref(), caller.id, now).await?;
    let entry = Entry::new(now, Action::SmsGatewayChanged)
        .by(Actor::user(&caller, ip))
        .on("sms_gateway", 1)
        .details(json!({
            "before": before.as_ref().map(|b| json!({ "url": b.url, "method": b.method })),
            "after": {
                "url": input.url, "method": input.method.as_str(),
                "headers": input.headers.iter().map(|h| &h.name).collect::<Vec<_>>(),
                "content_type": input.content_type.as_str(),
            },
            "secret_changed": secret != old_secret,
        }));
    audit::record(&mut *tx, &entry).await?;
    let saved = channels::sms_gateway(&mut tx)
        .await?
        .ok_or_else(|| AppError::Internal("the SMS gateway vanished".to_owned()))?
        .to_wire()?;
    tx.commit().await?;
    state.outbox.wake();
    Ok(Json(saved))
}

/// Send a test SMS.
///
/// Through the saved gateway, at once, as a delivery of the log (purpose `test`, not retried):
/// the delivery, `sent` or `failed` with the gateway's answer in words. Audited.
#[utoipa::path(
    post,
    path = "/settings/sms/test",
    tag = "deliveries",
    operation_id = "test_sms_gateway",
    request_body = TestSms,
    responses(
        (status = 200, description = "Tried: the delivery tells how it went", body = DeliveryEntry),
        (status = 409, description = "No gateway is set up (`channel_not_configured`)"),
        (status = 422, description = "Not a phone number"),
    )
)]
async fn test_sms(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(body): Json<TestSms>,
) -> Result<Json<DeliveryEntry>, AppError> {
    let to = check_phone(&body.to).map_err(|code| AppError::field("to", code, "a phone number"))?;
    {
        let mut conn = state.pool.acquire().await?;
        if channels::sms_gateway(&mut conn).await?.is_none() {
            return Err(not_configured("Set up the SMS gateway first"));
        }
    }
    let content = Content::Sms {
        text: "【评价 Pingjia】测试短信：短信网关设置正确。Test SMS: the gateway works.".to_owned(),
    };
    Ok(Json(
        send_test(&state, &caller, ip, DeliveryChannel::Sms, &to, content).await?,
    ))
}

fn not_configured(detail: &str) -> AppError {
    Coded::conflict("channel_not_configured", detail).into()
}

/// Enqueues a test message to `recipient`, sends it at once (not retried) and audits it.
async fn send_test(
    state: &AppState,
    caller: &CurrentUser,
    ip: std::net::IpAddr,
    channel: DeliveryChannel,
    recipient: &str,
    content: Content,
) -> Result<DeliveryEntry, AppError> {
    let now = state.clock.now();
    let key = format!("test:{}", uuid_like());
    let id = {
        let mut tx = begin_write(&state.pool).await?;
        let enqueued = delivery::enqueue(
            &mut tx,
            now,
            &Outgoing {
                purpose: Purpose::Test,
                subject: None,
                recipient,
                content,
                dedupe_key: &key,
                not_before: None,
            },
        )
        .await?;
        tx.commit().await?;
        enqueued.id
    };
    let sent = delivery::send_now(state, id, false).await?;
    let entry = Entry::new(now, Action::ChannelTestSent)
        .by(Actor::user(caller, ip))
        .on("delivery", id)
        .details(json!({
            "channel": channel.as_str(), "to": recipient,
            "ok": sent.status == DeliveryState::Sent, "error": sent.last_error,
        }));
    audit::record(&state.pool, &entry).await?;
    Ok(sent)
}

/// 128 random bits in hex.
fn uuid_like() -> String {
    use rand::RngCore as _;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------------------------
// The webhook channel

/// The webhook channel.
///
/// Where events are posted, signed as Standard Webhooks say (`webhook-id`,
/// `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`);
/// whether a secret is set, never the secret. Empty `url` until an admin sets it up.
#[utoipa::path(
    get,
    path = "/settings/webhook",
    tag = "deliveries",
    operation_id = "get_webhook_channel",
    responses((status = 200, description = "The webhook channel", body = WebhookChannel))
)]
async fn get_webhook(State(state): State<AppState>) -> Result<Json<WebhookChannel>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(match channels::webhook(&mut conn).await? {
        Some(row) => row.to_wire()?,
        None => WebhookChannel {
            url: String::new(),
            has_secret: false,
            updated_at: None,
        },
    }))
}

/// Set the webhook channel.
///
/// A signing secret (`whsec_…`) is made the first time and when `rotate_secret` is true: the
/// answer shows it this once (`secret`), never again. Messages waiting for the channel are
/// sent. Audited (without the secret).
#[utoipa::path(
    put,
    path = "/settings/webhook",
    tag = "deliveries",
    operation_id = "put_webhook_channel",
    request_body = WebhookChannelInput,
    responses(
        (status = 200, description = "Saved; `secret` when a new one was made", body = WebhookChannelSaved),
        (status = 422, description = "A field is invalid"),
    )
)]
async fn put_webhook(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(input): Json<WebhookChannelInput>,
) -> Result<Json<WebhookChannelSaved>, AppError> {
    let input = input.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let before = channels::webhook(&mut tx).await?;
    let (secret, made) = match &before {
        Some(b) if !input.rotate_secret && !b.secret.is_empty() => (b.secret.clone(), false),
        _ => (new_secret(), true),
    };
    channels::set_webhook(&mut tx, &input.url, &secret, caller.id, now).await?;
    let entry = Entry::new(now, Action::WebhookChannelChanged)
        .by(Actor::user(&caller, ip))
        .on("webhook_channel", 1)
        .details(json!({
            "before": before.as_ref().map(|b| &b.url),
            "after": input.url,
            "secret_made": made,
        }));
    audit::record(&mut *tx, &entry).await?;
    let saved = channels::webhook(&mut tx)
        .await?
        .ok_or_else(|| AppError::Internal("the webhook channel vanished".to_owned()))?
        .to_wire()?;
    tx.commit().await?;
    state.outbox.wake();
    Ok(Json(WebhookChannelSaved {
        channel: saved,
        secret: made.then_some(secret),
    }))
}

/// Send a test webhook.
///
/// A `pingjia.test` event posted to the saved URL, at once, as a delivery of the log (purpose
/// `test`, not retried): the delivery, `sent` or `failed` with the answer in words. Audited.
#[utoipa::path(
    post,
    path = "/settings/webhook/test",
    tag = "deliveries",
    operation_id = "test_webhook_channel",
    responses(
        (status = 200, description = "Tried: the delivery tells how it went", body = DeliveryEntry),
        (status = 409, description = "No webhook is set up (`channel_not_configured`)"),
    )
)]
async fn test_webhook(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
) -> Result<Json<DeliveryEntry>, AppError> {
    let url = {
        let mut conn = state.pool.acquire().await?;
        channels::webhook(&mut conn)
            .await?
            .ok_or_else(|| not_configured("Set up the webhook first"))?
            .url
    };
    let content = Content::webhook(
        "pingjia.test",
        json!({ "message": "测试消息 Test message" }),
        state.clock.now(),
    );
    Ok(Json(
        send_test(&state, &caller, ip, DeliveryChannel::Webhook, &url, content).await?,
    ))
}
