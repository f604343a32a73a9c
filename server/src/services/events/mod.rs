//! Events told to other systems (issue 21): the fan-out of recorded events to the endpoints
//! that want them, each rendered for its endpoint's kind (a Standard Webhooks body, or a chat
//! robot's message) and enqueued on the one delivery queue.
//!
//! An action records its events in its own transaction (`db::events`); once it commits it
//! calls [`Events::wake`]. The fan-out task ([`spawn_fan_out`]) then takes the waiting events
//! in order, renders each one's payload from the database once, enqueues one delivery per
//! wanting endpoint (dedupe key `event:{event}:{endpoint}`, so a fan-out interrupted by a stop
//! and run again adds nothing) and marks the event done, all in one transaction per batch of
//! events; then it wakes the delivery worker. The worker sends each endpoint's deliveries one
//! after the other, in the order of the events (`db::deliveries::claim_due`).

use std::time::Duration as StdDuration;

use crate::db::sql::Conn;
use chrono::{DateTime, SecondsFormat, Utc};
use pingjia_domain::delivery::Purpose;
use pingjia_domain::events::{EndpointKind, EventType};
use pingjia_domain::notifications::audience;
use tokio::sync::Notify;

use crate::db::endpoints::{self, EndpointRow};
use crate::db::events::{self as stored, WaitingEvent};
use crate::error::AppError;
use crate::http::state::AppState;
use crate::services::cluster;
use crate::services::delivery::{self, Content, Outgoing};
use crate::services::jobs::exclusive;
use crate::time::from_db;
pub use notify::Notices;
use render::Rendered;

mod customers;
mod notify;
mod render;
pub mod robots;

/// Events fanned out in one transaction.
const BATCH: i64 = 200;
/// The fan-out runs at most this often under a stream of events (they wait in the table
/// meanwhile), so that busy submissions do not each start a run.
const PAUSE: StdDuration = StdDuration::from_millis(500);
/// How often the fan-out looks for waiting events without being woken.
const TICK: StdDuration = StdDuration::from_secs(60);

/// The fan-out's wake-up call, in [`AppState`].
#[derive(Debug, Default)]
pub struct Events {
    wake: Notify,
}

impl Events {
    /// Asks the fan-out to look for recorded events (after the transaction that recorded them
    /// committed).
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// What the read phase of a batch found to do for one event.
struct Planned {
    event: WaitingEvent,
    rendered: Option<Rendered>,
    /// The staff to tell (in the app, by e-mail), each with their page.
    recipients: Vec<notify::Told>,
    /// The customer's message of an appeal's decision.
    customer: Option<customers::Message>,
}

/// Fans out the waiting events until none waits: the deliveries enqueued.
///
/// Each batch is read first without the write lock (the events, the endpoints, each payload,
/// whom to tell), so that the rating submissions' write lane never waits behind it; then one
/// short write transaction stores the deliveries and notifications and marks the batch done.
/// An event nothing wants (no endpoint, nobody to tell) is not even rendered.
pub async fn fan_out(state: &AppState) -> Result<u64, AppError> {
    let mut enqueued = 0;
    loop {
        let now = state.clock.now();
        let mut conn = state.pool.acquire().await?;
        let waiting = stored::waiting(&mut conn, BATCH).await?;
        if waiting.is_empty() {
            break;
        }
        let endpoints = endpoints::enabled(&mut conn).await?;
        let base = link_base(state, &mut conn).await?;
        let mut planned = Vec::with_capacity(waiting.len());
        for event in waiting {
            let wanted = EventType::parse(&event.event_type).is_some_and(|t| {
                !audience(t).is_empty()
                    || t == EventType::AppealDecided
                    || endpoints
                        .iter()
                        .any(|e| e.events().is_ok_and(|events| events.contains(&t)))
            });
            let rendered = if wanted {
                render::render(&mut conn, &event, &base).await?
            } else {
                None
            };
            let mut recipients = Vec::new();
            let mut customer = None;
            if let Some(rendered) = &rendered {
                if let Some(notice) = &rendered.notice {
                    recipients = notify::recipients(&mut conn, rendered.event_type, notice).await?;
                }
                if let Some(appeal) = &rendered.appeal
                    && rendered.event_type == EventType::AppealDecided
                {
                    customer = customers::decision_message(&mut conn, appeal, &base).await?;
                }
            }
            planned.push(Planned {
                event,
                rendered,
                recipients,
                customer,
            });
        }
        drop(conn);

        let mut told = Vec::new();
        let mut done = Vec::with_capacity(planned.len());
        let mut tx = crate::db::begin_write(&state.pool).await?;
        for p in &planned {
            if let Some(rendered) = &p.rendered {
                if let Some(notice) = &rendered.notice {
                    let (new, mailed) = notify::store(
                        &mut tx,
                        p.event.id,
                        rendered.event_type,
                        notice,
                        &p.recipients,
                        &base,
                        now,
                    )
                    .await?;
                    told.extend(new);
                    enqueued += mailed;
                }
                if let Some(message) = &p.customer
                    && customers::enqueue(&mut tx, message, now).await?
                {
                    enqueued += 1;
                }
                for endpoint in &endpoints {
                    if endpoint.wants(
                        rendered.event_type,
                        rendered.team_id,
                        rendered.service_type.as_deref(),
                    )? && enqueue(&mut tx, endpoint, &p.event, rendered, now).await?
                    {
                        enqueued += 1;
                    }
                }
            }
            done.push((p.event.id, p.rendered.as_ref().map(|r| r.data.to_string())));
        }
        stored::fanned_out(&mut tx, &done, now).await?;
        tx.commit().await?;
        for (user_id, notification) in told {
            let notice = cluster::Message::Notice {
                user_id,
                notification,
            };
            cluster::tell(state, notice).await;
        }
    }
    if enqueued > 0 {
        state.outbox.wake();
    }
    Ok(enqueued)
}

/// Enqueues `event` for `endpoint`, rendered for its kind: whether it was new.
async fn enqueue(
    conn: &mut Conn,
    endpoint: &EndpointRow,
    event: &WaitingEvent,
    rendered: &Rendered,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let happened = from_db(&event.created_at)?;
    let content = content_for(endpoint.kind()?, rendered, happened);
    let key = format!("event:{}:{}", event.id, endpoint.id);
    let done = delivery::enqueue(
        conn,
        now,
        &Outgoing {
            purpose: Purpose::Notification,
            subject: Some((event.subject_kind.as_str(), event.subject_id)),
            recipient: &endpoint.name,
            content,
            dedupe_key: &key,
            not_before: None,
        },
    )
    .await?;
    if done.created {
        crate::db::deliveries::set_endpoint(conn, done.id, endpoint.id, Some(event.id)).await?;
    }
    Ok(done.created)
}

/// The message of `rendered` for an endpoint of `kind`.
fn content_for(kind: EndpointKind, rendered: &Rendered, happened: DateTime<Utc>) -> Content {
    match kind {
        EndpointKind::Webhook => Content::webhook(
            rendered.event_type.as_str(),
            rendered.data.clone(),
            happened,
        ),
        robot => Content::Webhook {
            event_type: rendered.event_type.as_str().to_owned(),
            body: robots::body(robot, rendered.event_type, &rendered.message).to_string(),
        },
    }
}

/// Records the event `event_type` about `subject` (`("coaching", 12)`, `("dispute", 3)`) in
/// `tx`, once (dedupe key `{type}:{id}`), commits `tx` and wakes the fan-out: what an action
/// that is itself an event calls instead of `tx.commit()`.
pub(crate) async fn commit_with_event(
    state: &AppState,
    mut tx: crate::db::Tx,
    event_type: EventType,
    subject: (&str, i64),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let key = format!("{}:{}", event_type.as_str(), subject.1);
    stored::record(&mut tx, event_type, subject, &key, now).await?;
    tx.commit().await?;
    state.events.wake();
    Ok(())
}

/// Where links in payloads point: the mail settings' link base, else the server's own URL.
pub(crate) async fn link_base(state: &AppState, conn: &mut Conn) -> Result<String, AppError> {
    let configured = crate::db::reports::smtp_row(conn)
        .await?
        .map(|s| s.link_base)
        .filter(|b| !b.trim().is_empty());
    Ok(configured
        .unwrap_or_else(|| state.mailer.default_link_base())
        .trim_end_matches('/')
        .to_owned())
}

/// The body of a test event for the endpoint `id`: its `type` and `data`.
pub(crate) fn test_content(
    endpoint: &EndpointRow,
    now: DateTime<Utc>,
) -> Result<Content, AppError> {
    let data = serde_json::to_value(pingjia_domain::events::TestEvent {
        endpoint_id: endpoint.id,
        message: "评价系统测试消息 / a test event from Pingjia".to_owned(),
    })
    .map_err(|e| AppError::Internal(format!("test payload: {e}")))?;
    Ok(match endpoint.kind()? {
        EndpointKind::Webhook => Content::webhook(pingjia_domain::events::TEST_EVENT, data, now),
        robot => Content::Webhook {
            event_type: pingjia_domain::events::TEST_EVENT.to_owned(),
            body: robots::test_body(robot, now.to_rfc3339_opts(SecondsFormat::Secs, true))
                .to_string(),
        },
    })
}

/// Records the events of what became due soon or overdue since the last check
/// (`db::events::record_due`): how many.
pub async fn check_due(state: &AppState) -> Result<u64, AppError> {
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let recorded = stored::record_due(&mut tx, state.clock.now()).await?;
    tx.commit().await?;
    Ok(recorded)
}

/// Fans out whenever woken (at most every [`PAUSE`]) and every [`TICK`], and checks what
/// became due or overdue every [`TICK`], for the life of the server. A run that fails or
/// panics is logged and the task goes on; its events wait.
pub fn spawn_fan_out(state: AppState) {
    tokio::spawn(async move {
        let mut checked: Option<std::time::Instant> = None;
        loop {
            if checked.is_none_or(|at| at.elapsed() >= TICK) {
                checked = Some(std::time::Instant::now());
                if let Ok(Some(Err(e))) =
                    exclusive(&state, "event due checks", check_due(&state)).await
                {
                    tracing::error!(error = %e, "event due checks");
                }
            }
            match exclusive(&state, "event fan-out", fan_out(&state)).await {
                Ok(Some(Err(e))) => tracing::error!(error = %e, "event fan-out"),
                // Another instance fans out now, maybe without the events this one was woken
                // for (they were committed after it looked): looked at again soon.
                Ok(None) => {
                    tokio::time::sleep(crate::services::jobs::BUSY_RETRY).await;
                    continue;
                }
                Ok(Some(Ok(_))) | Err(_) => {}
            }
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                () = state.events.wake.notified() => {}
            }
            tokio::time::sleep(PAUSE).await;
        }
    });
}
