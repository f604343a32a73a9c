//! Weekly and monthly reports (issue 11): building a report from the same queries as the
//! analytics dashboard, keeping the reports of closed periods, their CSV tables, and mailing
//! them to subscribers through the admin's SMTP server with retries.
//!
//! The report worker ([`spawn_worker`]) wakes every minute, and at once when a subscription
//! is made or the mail server changes: every active subscription gets the kept report of each
//! period closed since it began (built when first needed), one mail per address, rendered and
//! enqueued on the delivery queue (`services::delivery`), which sends it, retries it with
//! backoff and keeps the error for the list.

use std::sync::{Arc, RwLock};
use std::time::Duration as StdDuration;

use pingjia_domain::delivery::Purpose;
use pingjia_domain::reports::{Report, ReportKind};
use tokio::sync::Notify;

use crate::db::reports as stored;
use crate::error::AppError;
use crate::http::state::AppState;
use crate::services::delivery::{self, Content, Outgoing};
use crate::services::jobs::exclusive;
use crate::time::org_day;

mod build;
mod mail;
mod tables;

pub use build::*;
pub use mail::*;
pub use tables::*;

/// How often the worker looks for closed periods without being woken.
const TICK: StdDuration = StdDuration::from_secs(60);
/// At most this many periods are caught up per subscription (a server that was off).
const MAX_CATCH_UP: usize = 12;

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

/// Enqueues the due report mails every [`TICK`] and whenever woken, for the life of the
/// server, and wakes the delivery worker. A run that fails or panics is logged and the worker
/// goes on.
pub fn spawn_worker(state: AppState) {
    tokio::spawn(async move {
        let mailer = Arc::clone(&state.mailer);
        loop {
            // A panic is logged by `exclusive`; an error here. Another instance may hold
            // the job (`Ok(None)`): it runs there.
            match exclusive(&state, "report mails", schedule(&state)).await {
                Ok(Some(Err(e))) => tracing::error!(error = %e, "report worker"),
                Ok(Some(Ok(()))) => state.outbox.wake(),
                // Running on another instance, maybe without what this one was woken for (a
                // subscription made here): looked at again soon.
                Ok(None) => {
                    tokio::time::sleep(crate::services::jobs::BUSY_RETRY).await;
                    continue;
                }
                Err(_) => {}
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

/// Enqueues the mails of the reports subscriptions are due, then sends every delivery due
/// (the delivery queue's [`delivery::run_due`]). The mails already due are sent even when
/// keeping new reports failed.
pub async fn run_due(state: &AppState) -> Result<(), AppError> {
    let scheduled = schedule(state).await;
    let delivered = delivery::run_due(state).await;
    scheduled.and(delivered)
}

/// The dedupe key of a report's mail to one address of one subscription.
fn mail_key(report: i64, subscription: i64, address: &str) -> String {
    format!("report:{report}:{subscription}:{address}")
}

async fn schedule(state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now();
    let today = org_day(now);
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let subscriptions = stored::active_subscriptions(&mut conn).await?;
    let link_base = match stored::smtp_row(&mut conn).await? {
        Some(smtp) if !smtp.link_base.is_empty() => smtp.link_base,
        _ => state.mailer.default_link_base(),
    };
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
            let mut rendered: Option<Content> = None;
            for address in &recipients {
                let key = mail_key(report, id, address);
                if delivery::is_enqueued(&mut conn, &key).await? {
                    continue;
                }
                let content = match &rendered {
                    Some(content) => content.clone(),
                    None => {
                        let Some(body) = stored::report_body(&mut conn, report).await? else {
                            continue;
                        };
                        let content = match serde_json::from_str::<Report>(&body) {
                            Ok(report) => Content::email(&compose(&report, &link_base)),
                            Err(error) => {
                                tracing::error!(report, %error, "kept report unreadable");
                                continue;
                            }
                        };
                        rendered = Some(content.clone());
                        content
                    }
                };
                let mut tx = crate::db::begin_write(&state.pool).await?;
                let enqueued = delivery::enqueue(
                    &mut tx,
                    now,
                    &Outgoing {
                        purpose: Purpose::Report,
                        subject: Some(("report", report)),
                        recipient: address,
                        content,
                        dedupe_key: &key,
                        not_before: None,
                    },
                )
                .await?;
                if enqueued.created {
                    stored::link_mail(&mut tx, enqueued.id, report, id).await?;
                }
                tx.commit().await?;
            }
        }
    }
    Ok(())
}
