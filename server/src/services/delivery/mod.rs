//! The one durable queue of everything that leaves the system (issue 19): e-mail through the
//! admin's SMTP server, SMS through the admin's HTTP gateway, webhooks signed as Standard
//! Webhooks say.
//!
//! A caller renders its message and calls [`enqueue`] inside its own transaction: the message
//! is stored (`deliveries`) with a dedupe key (enqueuing the same key again is a no-op) and a
//! stable message id the receiver sees on every attempt (the mail's `Message-ID`, the
//! webhook's `webhook-id`, the gateway's `{{reference}}`). Once the transaction is committed
//! the caller wakes the worker ([`Outbox::wake`]).
//!
//! The worker ([`spawn_worker`]) claims due messages (`sending`, one more attempt) and hands
//! each to its channel as its own job ([`isolated`]: a panic fails that message alone, with
//! its reason); a failure is retried with backoff ([`retry_delay`]) and then given up
//! (`failed`, the reason kept for the log, where an admin may try again). A channel that is
//! not set up leaves its messages waiting (not an attempt), saying why.
//!
//! **A restart.** A message found `sending` when the server starts ([`recover`]) was being
//! handed over when the previous process stopped: whether the receiver got it is unknown. A
//! webhook is sent again with the same `webhook-id` (Standard Webhooks receivers drop a
//! repeat by it); an e-mail or an SMS is marked failed with "interrupted, may have arrived",
//! so that nothing is sent twice silently: an admin retries it from the log if it did not.

use std::time::Duration as StdDuration;

use crate::db::sql::{Conn, Dialect};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::delivery::{DeliveryChannel, DeliveryEntry, Purpose, retry_delay};
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::db::channels::{SmsGatewayRow, WebhookRow};
use crate::db::deliveries::{self, Claimed, NewDelivery};
use crate::error::AppError;
use crate::http::state::AppState;
use crate::services::jobs::isolated;
use crate::time::from_db;

pub mod email;
mod endpoint;
mod invitation;
mod sms;
pub mod webhook;

use email::{Mail, SmtpRow};

/// How often the worker looks for due messages without being woken.
const TICK: StdDuration = StdDuration::from_secs(60);
/// Messages being handed over at the same time.
const CONCURRENCY: usize = 8;
/// How long one HTTP request to a gateway or a webhook may take.
const HTTP_TIMEOUT: StdDuration = StdDuration::from_secs(20);
/// Messages one lane of [`run_due`] sends before it lets the next wake-up go on.
const MAX_SENDS: usize = 10_000;

/// The rendered message, stored as it will be sent (a retry sends the same).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Content {
    Email {
        subject: String,
        text: String,
        html: String,
    },
    Sms {
        text: String,
    },
    /// `body` is the JSON posted, as signed.
    Webhook {
        event_type: String,
        body: String,
    },
}

impl Content {
    pub fn email(mail: &Mail) -> Content {
        Content::Email {
            subject: mail.subject.clone(),
            text: mail.text.clone(),
            html: mail.html.clone(),
        }
    }

    /// A webhook's body as Standard Webhooks suggests: `{"type", "timestamp", "data"}`.
    pub fn webhook(event_type: &str, data: serde_json::Value, now: DateTime<Utc>) -> Content {
        let body = serde_json::json!({
            "type": event_type,
            "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "data": data,
        });
        Content::Webhook {
            event_type: event_type.to_owned(),
            body: body.to_string(),
        }
    }

    pub fn channel(&self) -> DeliveryChannel {
        match self {
            Content::Email { .. } => DeliveryChannel::Email,
            Content::Sms { .. } => DeliveryChannel::Sms,
            Content::Webhook { .. } => DeliveryChannel::Webhook,
        }
    }

    /// What the log shows of it. An invitation's links, filled only when it is sent, show
    /// as their paths without the token (`/r/…`), never as placeholders.
    fn summary(&self) -> String {
        let text = match self {
            Content::Email { subject, .. } => subject.as_str(),
            Content::Sms { text } => text.as_str(),
            Content::Webhook { event_type, .. } => event_type.as_str(),
        };
        text.replace("{{opt_out}}", "/r/…/opt-out")
            .replace("{{link}}", "/r/…")
            .chars()
            .take(200)
            .collect()
    }
}

/// A message to enqueue.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub purpose: Purpose,
    /// What it is about: `("report", 12)`, `("invitation", 5)`.
    pub subject: Option<(&'a str, i64)>,
    /// The e-mail address, the phone number, or the webhook's URL (as the log shows it; a
    /// webhook goes to the channel's URL when it is sent).
    pub recipient: &'a str,
    pub content: Content,
    /// Enqueuing the same key again is a no-op: make it of what makes the message one
    /// (`invitation:{id}:sms`, `report:{report}:{subscription}:{address}`).
    pub dedupe_key: &'a str,
    /// Not sent before this time (a reminder); now when `None`.
    pub not_before: Option<DateTime<Utc>>,
}

/// What [`enqueue`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Enqueued {
    /// The delivery, new or the one enqueued before with the same key.
    pub id: i64,
    /// `false`: the key was enqueued before; nothing was added.
    pub created: bool,
}

/// Stores `message` in the queue, in the caller's transaction `conn`, at `now`. Wake the
/// worker ([`Outbox::wake`]) once the transaction is committed.
pub async fn enqueue(
    conn: &mut Conn,
    now: DateTime<Utc>,
    message: &Outgoing<'_>,
) -> Result<Enqueued, AppError> {
    let message_id = new_message_id();
    let content = serde_json::to_string(&message.content)
        .map_err(|e| AppError::Internal(format!("delivery content: {e}")))?;
    let summary = match message.purpose {
        // A sign-in code's message holds the code: the log names it without it.
        Purpose::OneTimeCode => pingjia_domain::sign_in_codes::LOG_SUMMARY.to_owned(),
        _ => message.content.summary(),
    };
    let stored = NewDelivery {
        message_id: &message_id,
        dedupe_key: message.dedupe_key,
        channel: message.content.channel(),
        purpose: message.purpose,
        subject: message.subject,
        recipient: message.recipient,
        content: &content,
        summary: &summary,
        due: message.not_before.unwrap_or(now).max(now),
        now,
    };
    if let Some(id) = deliveries::insert(conn, &stored).await? {
        return Ok(Enqueued { id, created: true });
    }
    let id = deliveries::id_of_key(conn, message.dedupe_key)
        .await?
        .ok_or_else(|| AppError::Internal("dedupe key vanished".to_owned()))?;
    Ok(Enqueued { id, created: false })
}

/// Whether `dedupe_key` was enqueued already (so a caller can skip rendering).
pub async fn is_enqueued(conn: &mut Conn, dedupe_key: &str) -> Result<bool, AppError> {
    Ok(deliveries::id_of_key(conn, dedupe_key).await?.is_some())
}

/// A message id: `msg_` and 128 random bits in hex.
fn new_message_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("msg_{hex}")
}

/// The worker's handle in [`AppState`]: its wake-up call and the HTTP client of the gateways.
#[derive(Debug)]
pub struct Outbox {
    wake: Notify,
    http: reqwest::Client,
}

impl Default for Outbox {
    fn default() -> Self {
        let http = reqwest::Client::builder()
            .timeout(HTTP_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Outbox {
            wake: Notify::new(),
            http,
        }
    }
}

impl Outbox {
    /// Asks the worker to look for due messages now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// Why an attempt failed.
#[derive(Debug, Clone)]
pub(crate) enum Failure {
    /// It may work later: retried with backoff.
    Transient(String),
    /// It would fail the same way every time (a mail that cannot be built): failed at once.
    Permanent(String),
}

/// The channels' settings at the start of a run.
struct Channels {
    smtp: Option<SmtpRow>,
    sms: Option<SmsGatewayRow>,
    webhook: Option<WebhookRow>,
}

impl Channels {
    async fn load(state: &AppState) -> Result<Channels, AppError> {
        let mut conn = state.pool.acquire().await?;
        Ok(Channels {
            smtp: email::smtp_row(&mut conn).await?,
            sms: crate::db::channels::sms_gateway(&mut conn).await?,
            webhook: crate::db::channels::webhook(&mut conn).await?,
        })
    }

    fn ready(&self) -> Vec<DeliveryChannel> {
        let mut ready = Vec::new();
        if self.smtp.is_some() {
            ready.push(DeliveryChannel::Email);
        }
        if self.sms.is_some() {
            ready.push(DeliveryChannel::Sms);
        }
        if self.webhook.is_some() {
            ready.push(DeliveryChannel::Webhook);
        }
        ready
    }
}

/// What the log says of a channel that is not set up.
fn not_set_up(channel: DeliveryChannel) -> &'static str {
    match channel {
        DeliveryChannel::Email => "邮件服务器未设置 / the mail server is not set up",
        DeliveryChannel::Sms => "短信网关未设置 / the SMS gateway is not set up",
        DeliveryChannel::Webhook => "Webhook 未设置 / the webhook is not set up",
    }
}

/// Sends every message due now until none is due, on [`CONCURRENCY`] lanes: each lane claims
/// one message, hands it over and records the outcome, then claims the next, so only the
/// messages being handed over are ever `sending`. Each message is its own job: a failure or a
/// panic is recorded on that message and the others go on.
pub async fn run_due(state: &AppState) -> Result<(), AppError> {
    let channels = Channels::load(state).await?;
    let ready = channels.ready();
    {
        let now = state.clock.now();
        let mut conn = state.pool.acquire().await?;
        for channel in DeliveryChannel::ALL {
            if !ready.contains(&channel) {
                deliveries::note_waiting(&mut conn, now, channel, not_set_up(channel)).await?;
            }
        }
    }
    // The registered endpoints' deliveries go whatever channels are set up.
    let lanes = (0..CONCURRENCY).map(|_| lane(state, &channels, &ready));
    for result in futures_util::future::join_all(lanes).await {
        result?;
    }
    Ok(())
}

/// One lane of [`run_due`]: claim, send, record, until nothing is due (or [`MAX_SENDS`]).
async fn lane(
    state: &AppState,
    channels: &Channels,
    ready: &[DeliveryChannel],
) -> Result<(), AppError> {
    for _ in 0..MAX_SENDS {
        let claimed = {
            let mut tx = crate::db::begin_write(&state.pool).await?;
            let claimed = deliveries::claim_due(&mut tx, state.clock.now(), ready, 1).await?;
            tx.commit().await?;
            claimed
        };
        let Some(job) = claimed.into_iter().next() else {
            break;
        };
        attempt(state, channels, job).await?;
    }
    Ok(())
}

/// Sends the delivery `id` now if it waits (a channel's test): the delivery afterwards. When
/// `retry` is false a failed attempt is not tried again (`failed` with its reason).
pub async fn send_now(state: &AppState, id: i64, retry: bool) -> Result<DeliveryEntry, AppError> {
    let channels = Channels::load(state).await?;
    let claimed = {
        let mut tx = crate::db::begin_write(&state.pool).await?;
        let claimed = deliveries::claim_one(&mut tx, id, state.clock.now()).await?;
        tx.commit().await?;
        claimed
    };
    if let Some(job) = claimed {
        attempt(state, &channels, job).await?;
    }
    let mut conn = state.pool.acquire().await?;
    if !retry {
        deliveries::give_up(&mut conn, id).await?;
    }
    deliveries::entry(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The delivery {id}")))
}

/// One attempt of a claimed message, recorded. An endpoint's delivery is retried on the
/// endpoints' schedule (`endpoint_retry_delay`, a day and more); when it is given up the
/// endpoint is disabled, saying why, and its later events wait for an admin to enable it.
async fn attempt(state: &AppState, channels: &Channels, job: Claimed) -> Result<(), AppError> {
    let outcome = isolated("delivery", hand_over(state, channels, &job))
        .await
        .unwrap_or_else(|panic| {
            Err(Failure::Permanent(format!(
                "发送出错 / the job failed: {panic}"
            )))
        });
    let now = state.clock.now();
    // The outcome in one transaction: when a delivery is given up and its endpoint disabled,
    // another lane must not find the endpoint's next event ready in between (order per
    // endpoint).
    let mut conn = crate::db::begin_write(&state.pool).await?;
    let attempts = u32::try_from(job.attempts).unwrap_or(u32::MAX);
    match outcome {
        Ok(reply) => {
            deliveries::record_sent(&mut conn, job.id, now, &reply).await?;
            invitation::delivered(&mut conn, &job, now).await?;
            tracing::info!(delivery = job.id, channel = %job.channel, %reply, "delivered");
        }
        Err(Failure::Transient(error)) => {
            let next = match job.endpoint_id {
                Some(_) => pingjia_domain::events::endpoint_retry_delay(attempts),
                None => retry_delay(attempts),
            }
            .map(|d| now + d);
            deliveries::record_failure(&mut conn, job.id, next, &error).await?;
            tracing::warn!(delivery = job.id, channel = %job.channel, %error, "delivery failed");
            if let (None, Some(endpoint)) = (next, job.endpoint_id) {
                let reason = format!(
                    "{attempts} 次发送均失败，已停用 / disabled after {attempts} failed attempts: {error}"
                );
                crate::db::endpoints::disable(&mut conn, endpoint, &reason, now).await?;
                tracing::warn!(endpoint, "endpoint disabled");
            }
        }
        Err(Failure::Permanent(error)) => {
            deliveries::record_failure(&mut conn, job.id, None, &error).await?;
            tracing::warn!(delivery = job.id, channel = %job.channel, %error, "delivery given up");
        }
    }
    if job.purpose == Purpose::OneTimeCode.as_str() {
        deliveries::forget_spent_codes(&mut conn).await?;
    }
    conn.commit().await?;
    Ok(())
}

/// Hands `job` to its channel: the receiver's answer, or why it failed.
async fn hand_over(
    state: &AppState,
    channels: &Channels,
    job: &Claimed,
) -> Result<String, Failure> {
    if job.content == deliveries::FORGOTTEN && job.purpose == Purpose::OneTimeCode.as_str() {
        return Err(Failure::Permanent(
            "验证码消息发出后不再保存，请客户重新获取验证码 / a sign-in code's message is not kept \
             once it is done: the customer asks for a new code"
                .to_owned(),
        ));
    }
    let content: Content = serde_json::from_str(&job.content).map_err(|e| {
        Failure::Permanent(format!(
            "消息内容无法读取 / the stored message cannot be read: {e}"
        ))
    })?;
    if content.channel().as_str() != job.channel {
        return Err(Failure::Permanent(format!(
            "消息内容与渠道不符 / the stored message is not one for {}",
            job.channel
        )));
    }
    let missing = |c: DeliveryChannel| Failure::Transient(not_set_up(c).to_owned());
    let content = invitation::personalise(state, channels, job, content).await?;
    match content {
        Content::Email {
            subject,
            text,
            html,
        } => {
            let smtp = channels
                .smtp
                .as_ref()
                .ok_or_else(|| missing(DeliveryChannel::Email))?;
            let mail = Mail {
                subject,
                text,
                html,
            };
            let message = email::message(smtp, &job.recipient, &mail, Some(&job.message_id))
                .map_err(Failure::Permanent)?;
            email::transmit(smtp, message)
                .await
                .map_err(Failure::Transient)
        }
        Content::Sms { text } => {
            let gateway = channels
                .sms
                .as_ref()
                .ok_or_else(|| missing(DeliveryChannel::Sms))?;
            sms::send(
                &state.outbox.http,
                gateway,
                &job.recipient,
                &text,
                &job.message_id,
            )
            .await
        }
        Content::Webhook { body, .. } => {
            if let Some(id) = job.endpoint_id {
                let mut conn = state.pool.acquire().await.map_err(|e| {
                    Failure::Transient(format!("数据库忙 / the database is busy: {e}"))
                })?;
                let (endpoint, deleted) = crate::db::endpoints::for_sending(&mut conn, id)
                    .await
                    .map_err(|e| Failure::Transient(format!("数据库忙 / the database: {e}")))?
                    .ok_or_else(|| {
                        Failure::Permanent("端点不存在 / no such endpoint".to_owned())
                    })?;
                drop(conn);
                if deleted {
                    return Err(Failure::Permanent(
                        "端点已删除 / the endpoint was deleted".to_owned(),
                    ));
                }
                return endpoint::send(state, &endpoint, &job.message_id, &body).await;
            }
            let channel = channels
                .webhook
                .as_ref()
                .ok_or_else(|| missing(DeliveryChannel::Webhook))?;
            let timestamp = state.clock.now().timestamp();
            webhook::send(
                &state.outbox.http,
                &channel.url,
                &channel.secret,
                &job.message_id,
                timestamp,
                &body,
            )
            .await
        }
    }
}

/// How long a message an instance took may stay `sending` before another instance takes it
/// over (PostgreSQL, several instances), unless `--lease-seconds` says otherwise (the state's
/// `lease`): far above a send's longest wait ([`HTTP_TIMEOUT`], the SMTP timeout), so only a
/// stopped or killed instance's messages are taken.
pub const LEASE: Duration = Duration::minutes(5);

/// What a restart does with the messages left `sending` (see the module's text): webhooks are
/// sent again with the same id, e-mails and SMS are failed for an admin to decide. Run when the
/// server starts, before the worker's first run. On SQLite (one instance) every message left
/// `sending` was interrupted; on PostgreSQL another instance may be sending it now, so only
/// those taken more than a lease ago are (and the worker looks again every minute, or every
/// half lease when that is shorter, to take over a killed instance's).
pub async fn recover(state: &AppState) -> Result<(u64, u64), AppError> {
    let now = state.clock.now();
    let taken_before = match state.pool.dialect() {
        Dialect::Sqlite => now,
        Dialect::Postgres => now - state.lease,
    };
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let counts = deliveries::recover_interrupted(
        &mut tx,
        now,
        taken_before,
        &[DeliveryChannel::Webhook],
        "发送时服务器停止，以同一 webhook-id 重发 / interrupted while sending: sent again \
         with the same webhook-id",
        "发送时服务器停止，可能已送达；如未收到请重试 / interrupted while sending: it may \
         have arrived; retry it if it did not",
    )
    .await?;
    deliveries::forget_spent_codes(&mut tx).await?;
    tx.commit().await?;
    if counts != (0, 0) {
        tracing::warn!(
            resent = counts.0,
            failed = counts.1,
            "deliveries interrupted by the last stop"
        );
    }
    Ok(counts)
}

/// Makes the delivery `id` due again now (an admin's retry); the worker is woken.
pub async fn retry(conn: &mut Conn, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    deliveries::retry(conn, id, now).await?;
    Ok(())
}

/// Gives up the waiting deliveries among `ids` with `reason` (what they were for is gone).
pub async fn cancel(conn: &mut Conn, ids: &[i64], reason: &str) -> Result<(), AppError> {
    deliveries::cancel_waiting(conn, ids, reason).await?;
    Ok(())
}

/// Recovers the messages a stop interrupted, then runs [`run_due`] whenever woken, when the
/// next message is due, and every [`TICK`], for the life of the server. A run that fails or
/// panics is logged and the worker goes on.
pub fn spawn_worker(state: AppState) {
    tokio::spawn(async move {
        if let Ok(Err(e)) = isolated("delivery recovery", recover(&state)).await {
            tracing::error!(error = %e, "delivery recovery");
        }
        // The last look for a stopped instance's messages (PostgreSQL): once per [`TICK`] or
        // half lease, not on every wake-up (each submission wakes the worker).
        let look_every = (state.lease / 2).to_std().unwrap_or(TICK).min(TICK);
        let mut looked = tokio::time::Instant::now();
        loop {
            if state.pool.dialect() == Dialect::Postgres && looked.elapsed() >= look_every {
                looked = tokio::time::Instant::now();
                if let Ok(Err(e)) = isolated("delivery takeover", recover(&state)).await {
                    tracing::error!(error = %e, "delivery takeover");
                }
            }
            if let Ok(Err(e)) = isolated("delivery worker", run_due(&state)).await {
                tracing::error!(error = %e, "delivery worker");
            }
            let mut wait = next_wait(&state).await;
            if state.pool.dialect() == Dialect::Postgres {
                wait = wait.min(look_every);
            }
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = state.outbox.wake.notified() => {}
            }
        }
    });
}

/// How long until the next waiting message is due, at most [`TICK`].
async fn next_wait(state: &AppState) -> StdDuration {
    let Ok(mut conn) = state.pool.acquire().await else {
        return TICK;
    };
    let next = deliveries::next_due(&mut conn).await.ok().flatten();
    next.as_deref()
        .and_then(|t| from_db(t).ok())
        // One due already waits for its channel to be set up (which wakes the worker).
        .and_then(|due| (due - state.clock.now()).to_std().ok())
        .map(|wait| wait.clamp(StdDuration::from_secs(1), TICK))
        .unwrap_or(TICK)
}
