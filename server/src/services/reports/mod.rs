//! Weekly and monthly reports (issue 11): building a report from the same queries as the
//! analytics dashboard, keeping the reports of closed periods, their CSV tables, and mailing
//! them to subscribers through the admin's SMTP server with retries.
//!
//! The mail worker ([`spawn_worker`]) wakes every minute, and at once when a subscription is
//! made, a mail is retried or the mail server changes, and runs [`run_due`]: every active
//! subscription gets the kept report of each period closed since it began (built when first
//! needed), one mail per address; due mails are sent, failures retried with backoff
//! ([`retry_delay`]) and the error kept for the list.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration as StdDuration;

use pingjia_domain::reports::{Report, ReportKind, retry_delay};
use sqlx::SqliteConnection;
use tokio::sync::Notify;

use crate::error::AppError;
use crate::http::state::AppState;
use crate::services::jobs::isolated;
use crate::time::{org_day, to_db};

mod build;
mod mail;
mod tables;

pub use build::*;
pub use mail::*;
pub use tables::*;

/// How often the worker looks for closed periods and due mails without being woken.
const TICK: StdDuration = StdDuration::from_secs(60);
/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: StdDuration = StdDuration::from_secs(20);
/// At most this many periods are caught up per subscription (a server that was off).
const MAX_CATCH_UP: usize = 12;
/// Mails sent per run; the rest wait for the next.
const MAILS_PER_RUN: i64 = 100;

/// The mail worker's handle in [`AppState`].
#[derive(Debug)]
pub struct Mailer {
    wake: Notify,
    /// Where links in mails point when the admin set no address: the public URL, or the
    /// address the server listens on.
    default_link_base: RwLock<String>,
}

impl Default for Mailer {
    fn default() -> Self {
        Mailer {
            wake: Notify::new(),
            default_link_base: RwLock::new("http://127.0.0.1:8080".to_owned()),
        }
    }
}

impl Mailer {
    /// Asks the worker to run now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn set_default_link_base(&self, base: &str) {
        if let Ok(mut slot) = self.default_link_base.write() {
            *slot = base.trim_end_matches('/').to_owned();
        }
    }

    pub fn default_link_base(&self) -> String {
        self.default_link_base
            .read()
            .map(|s| s.clone())
            .unwrap_or_default()
    }
}

/// Runs [`run_due`] every [`TICK`] and whenever woken, for the life of the server. A run
/// that fails or panics is logged and the worker goes on (each mail is its own job inside
/// [`run_due`], so a panic there fails only that mail).
pub fn spawn_worker(state: AppState) {
    tokio::spawn(async move {
        let mailer = Arc::clone(&state.mailer);
        loop {
            // A panic is logged by `isolated`; an error here.
            if let Ok(Err(e)) = isolated("report worker", run_due(&state)).await {
                tracing::error!(error = %e, "report worker");
            }
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                () = mailer.wake.notified() => {}
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// The worker

/// Keeps the reports subscriptions are due and sends the mails that are due. The mails
/// already due are sent even when keeping new reports failed.
pub async fn run_due(state: &AppState) -> Result<(), AppError> {
    let scheduled = schedule(state).await;
    let delivered = deliver(state).await;
    scheduled.and(delivered)
}

async fn schedule(state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now();
    let today = org_day(now);
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let subscriptions: Vec<(i64, String, Option<i64>, String, String)> = sqlx::query_as(
        "SELECT id, kind, team_id, recipients, first_key FROM report_subscriptions
         WHERE active = 1 AND removed_at IS NULL ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (id, kind, team, recipients, first_key) in subscriptions {
        let Some(kind) = ReportKind::parse(&kind) else {
            continue;
        };
        let Some(first) = kind.parse_key(&first_key) else {
            continue;
        };
        // A subscription whose stored recipients cannot be read is skipped, not the others.
        let recipients: Vec<String> = match serde_json::from_str(&recipients) {
            Ok(recipients) => recipients,
            Err(error) => {
                tracing::error!(subscription = id, %error, "unreadable recipients: skipped");
                continue;
            }
        };
        let last = kind.last_closed(today);
        let mut periods = Vec::new();
        let mut p = last;
        while p.from >= first.from && periods.len() < MAX_CATCH_UP {
            periods.push(p);
            p = kind.previous(p);
        }
        for period in periods.into_iter().rev() {
            let report = ensure_stored(&mut conn, &settings, kind, period, team, now).await?;
            for address in &recipients {
                sqlx::query(
                    "INSERT INTO report_deliveries
                         (report_id, subscription_id, address, next_attempt_at, created_at)
                     VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT (report_id, subscription_id, address) DO NOTHING",
                )
                .bind(report)
                .bind(id)
                .bind(address)
                .bind(to_db(now))
                .bind(to_db(now))
                .execute(&mut *conn)
                .await?;
            }
        }
    }
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

pub async fn smtp_row(conn: &mut SqliteConnection) -> Result<Option<SmtpRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT host, port, security, username, password, from_address, from_name, link_base
         FROM smtp_settings WHERE id = 1",
    )
    .fetch_optional(conn)
    .await
}

/// What the worker tells about a mail server that is not set up.
const NOT_SET_UP: &str = "邮件服务器未设置 / the mail server is not set up";

async fn deliver(state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let due: Vec<(i64, String, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT d.id, d.address, d.attempts, d.report_id, s.removed_at
         FROM report_deliveries d JOIN report_subscriptions s ON s.id = d.subscription_id
         WHERE d.status IN ('pending', 'retrying') AND d.next_attempt_at <= ?
         ORDER BY d.next_attempt_at, d.id LIMIT ?",
    )
    .bind(to_db(now))
    .bind(MAILS_PER_RUN)
    .fetch_all(&mut *conn)
    .await?;
    if due.is_empty() {
        return Ok(());
    }
    let smtp = smtp_row(&mut conn).await?;
    let mut bodies: HashMap<i64, Report> = HashMap::new();
    for (id, address, attempts, report_id, removed_at) in due {
        if removed_at.is_some() {
            sqlx::query(
                "UPDATE report_deliveries SET status = 'failed', next_attempt_at = NULL,
                     last_error = 'the subscription was removed' WHERE id = ?",
            )
            .bind(id)
            .execute(&mut *conn)
            .await?;
            continue;
        }
        let Some(smtp) = &smtp else {
            // Not an attempt: the mails wait for the admin to set the server up.
            sqlx::query("UPDATE report_deliveries SET last_error = ? WHERE id = ?")
                .bind(NOT_SET_UP)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = bodies.entry(report_id) {
            let body: String = sqlx::query_scalar("SELECT body FROM reports WHERE id = ?")
                .bind(report_id)
                .fetch_one(&mut *conn)
                .await?;
            match serde_json::from_str::<Report>(&body) {
                Ok(report) => {
                    slot.insert(report);
                }
                Err(error) => {
                    sqlx::query(
                        "UPDATE report_deliveries SET status = 'failed', next_attempt_at = NULL,
                             last_error = ? WHERE id = ?",
                    )
                    .bind(format!("the kept report cannot be read: {error}"))
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                    continue;
                }
            }
        }
        let report = &bodies[&report_id];
        let link_base = if smtp.link_base.is_empty() {
            state.mailer.default_link_base()
        } else {
            smtp.link_base.clone()
        };
        let attempts = u32::try_from(attempts + 1).unwrap_or(u32::MAX);
        // Composing and building the message: a mail that cannot be built fails at once (it
        // would fail the same way on every retry) with the reason, and the next one goes on.
        let built = isolated("report mail", async {
            message(smtp, &address, &compose(report, &link_base))
        })
        .await
        .unwrap_or_else(|panic| Err(format!("the mail could not be built: {panic}")));
        let message = match built {
            Ok(message) => message,
            Err(error) => {
                sqlx::query(
                    "UPDATE report_deliveries SET status = 'failed', attempts = ?,
                         next_attempt_at = NULL, last_error = ? WHERE id = ?",
                )
                .bind(attempts)
                .bind(&error)
                .bind(id)
                .execute(&mut *conn)
                .await?;
                tracing::warn!(delivery = id, %address, %error, "report mail cannot be built");
                continue;
            }
        };
        // No connection is held while the mail server talks.
        drop(conn);
        let result = isolated("report mail", transmit(smtp, message))
            .await
            .unwrap_or_else(|panic| Err(format!("the mail could not be sent: {panic}")));
        conn = state.pool.acquire().await?;
        match result {
            Ok(_) => {
                sqlx::query(
                    "UPDATE report_deliveries SET status = 'sent', attempts = ?, sent_at = ?,
                         next_attempt_at = NULL, last_error = NULL WHERE id = ?",
                )
                .bind(attempts)
                .bind(to_db(state.clock.now()))
                .bind(id)
                .execute(&mut *conn)
                .await?;
                tracing::info!(delivery = id, %address, "report mailed");
            }
            Err(error) => {
                let next = retry_delay(attempts).map(|d| to_db(now + d));
                sqlx::query(
                    "UPDATE report_deliveries SET status = ?, attempts = ?, next_attempt_at = ?,
                         last_error = ? WHERE id = ?",
                )
                .bind(if next.is_some() { "retrying" } else { "failed" })
                .bind(attempts)
                .bind(next)
                .bind(&error)
                .bind(id)
                .execute(&mut *conn)
                .await?;
                tracing::warn!(delivery = id, %address, %error, "report mail failed");
            }
        }
    }
    Ok(())
}
