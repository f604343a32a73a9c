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

use chrono::{DateTime, SecondsFormat, Utc};
use pingjia_domain::appeals::AppealStatus;
use pingjia_domain::delivery::Purpose;
use pingjia_domain::events::{
    AppealEvent, CallbackEvent, EndpointKind, EvaluationEvent, EventType,
};
use sqlx::SqliteConnection;
use tokio::sync::Notify;

use crate::db::endpoints::{self, EndpointRow};
use crate::db::events::{self as stored, EvaluationFacts, WaitingEvent};
use crate::error::AppError;
use crate::http::state::AppState;
use crate::services::delivery::{self, Content, Outgoing};
use crate::services::jobs::isolated;
use crate::time::from_db;

mod customers;
pub mod robots;

/// Events fanned out in one transaction.
const BATCH: i64 = 200;
/// The fan-out runs at most this often under a stream of events (they wait in the table
/// meanwhile), so that busy submissions do not each start a run.
const PAUSE: StdDuration = StdDuration::from_millis(200);
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

/// What one event is about, rendered once for every endpoint.
struct Rendered {
    event_type: EventType,
    /// The payload (`data`), as documented.
    data: serde_json::Value,
    /// For the endpoints' filters.
    team_id: Option<i64>,
    service_type: Option<String>,
    /// What the robots show.
    facts: robots::Facts,
    /// An appeal's payload (its customer may be told).
    appeal: Option<AppealEvent>,
}

/// Fans out the waiting events until none waits: the deliveries enqueued.
pub async fn fan_out(state: &AppState) -> Result<u64, AppError> {
    let mut enqueued = 0;
    loop {
        let now = state.clock.now();
        let mut tx = crate::db::begin_write(&state.pool).await?;
        let waiting = stored::waiting(&mut tx, BATCH).await?;
        if waiting.is_empty() {
            break;
        }
        let endpoints = endpoints::enabled(&mut tx).await?;
        let base = link_base(state, &mut tx).await?;
        for event in &waiting {
            let rendered = render(&mut tx, event, &base).await?;
            let data = rendered.as_ref().map(|r| r.data.to_string());
            if let Some(rendered) = &rendered {
                if let Some(appeal) = &rendered.appeal
                    && rendered.event_type == EventType::AppealDecided
                    && customers::tell_decision(&mut tx, appeal, &base, now).await?
                {
                    enqueued += 1;
                }
                for endpoint in &endpoints {
                    if endpoint.wants(
                        rendered.event_type,
                        rendered.team_id,
                        rendered.service_type.as_deref(),
                    )? && enqueue(&mut tx, endpoint, event, rendered, now).await?
                    {
                        enqueued += 1;
                    }
                }
            }
            stored::fanned_out(&mut tx, event.id, data.as_deref(), now).await?;
        }
        tx.commit().await?;
    }
    if enqueued > 0 {
        state.outbox.wake();
    }
    Ok(enqueued)
}

/// Enqueues `event` for `endpoint`, rendered for its kind: whether it was new.
async fn enqueue(
    conn: &mut SqliteConnection,
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
            body: robots::body(robot, rendered.event_type, &rendered.facts).to_string(),
        },
    }
}

/// Where links in payloads point: the mail settings' link base, else the server's own URL.
pub(crate) async fn link_base(
    state: &AppState,
    conn: &mut SqliteConnection,
) -> Result<String, AppError> {
    let configured = crate::db::reports::smtp_row(conn)
        .await?
        .map(|s| s.link_base)
        .filter(|b| !b.trim().is_empty());
    Ok(configured
        .unwrap_or_else(|| state.mailer.default_link_base())
        .trim_end_matches('/')
        .to_owned())
}

/// The payload of `event`, read from the database now; `None` when its subject is gone or
/// its type unknown.
async fn render(
    conn: &mut SqliteConnection,
    event: &WaitingEvent,
    base: &str,
) -> Result<Option<Rendered>, AppError> {
    let Some(event_type) = EventType::parse(&event.event_type) else {
        return Ok(None);
    };
    match event.subject_kind.as_str() {
        "evaluation" => {
            let Some(facts) = stored::evaluation(conn, event.subject_id).await? else {
                return Ok(None);
            };
            let evaluation = evaluation_payload(&facts, base)?;
            let due = facts.callback_due_at.as_deref().map(from_db).transpose()?;
            let data = match (event_type, due) {
                (
                    EventType::CallbackOpened
                    | EventType::CallbackOverdue
                    | EventType::CallbackDone,
                    Some(due_at),
                ) => serde_json::to_value(CallbackEvent {
                    evaluation: evaluation.clone(),
                    due_at,
                }),
                _ => serde_json::to_value(&evaluation),
            }
            .map_err(|e| AppError::Internal(format!("event payload: {e}")))?;
            Ok(Some(Rendered {
                event_type,
                data,
                team_id: facts.team_id,
                service_type: Some(facts.service_type.clone()),
                facts: robots::Facts::of_evaluation(&facts, &evaluation.link, due),
                appeal: None,
            }))
        }
        "appeal" => {
            let Some(appeal) = stored::appeal(conn, event.subject_id).await? else {
                return Ok(None);
            };
            let Some(facts) = stored::evaluation(conn, appeal.evaluation_id).await? else {
                return Ok(None);
            };
            let status = AppealStatus::parse(&appeal.status)
                .ok_or_else(|| AppError::Internal(format!("appeal status {}", appeal.status)))?;
            let link = format!("{base}/admin/appeals");
            let payload = AppealEvent {
                appeal_id: event.subject_id,
                evaluation_number: facts.number.clone(),
                agent: facts.agent(),
                status,
                reason: appeal.reason.clone(),
                decision_note: appeal.decision_reason.clone(),
                filed_at: from_db(&appeal.filed_at)?,
                decided_at: appeal.decided_at.as_deref().map(from_db).transpose()?,
                link: link.clone(),
            };
            let data = serde_json::to_value(&payload)
                .map_err(|e| AppError::Internal(format!("event payload: {e}")))?;
            Ok(Some(Rendered {
                event_type,
                data,
                team_id: facts.team_id,
                service_type: Some(facts.service_type.clone()),
                facts: robots::Facts::of_appeal(&facts, &payload),
                appeal: Some(payload),
            }))
        }
        _ => Ok(None),
    }
}

/// An evaluation's payload, its link to the staff's view of the evaluations.
fn evaluation_payload(facts: &EvaluationFacts, base: &str) -> Result<EvaluationEvent, AppError> {
    Ok(EvaluationEvent {
        number: facts.number.clone(),
        service_record_id: facts.service_record_id,
        external_ref: Some(facts.external_id.clone()).filter(|r| !r.is_empty()),
        service_type: facts.service_type.clone(),
        agent: facts.agent(),
        overall: u8::try_from(facts.overall).unwrap_or(0),
        total_score: facts.total_score,
        suggestion: facts.suggestion.clone(),
        submitted_at: from_db(&facts.submitted_at)?,
        link: format!("{base}/admin/analytics/evaluations?q={}", facts.number),
    })
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

/// Fans out whenever woken (at most every [`PAUSE`]) and every [`TICK`], for the life of the
/// server. A run that fails or panics is logged and the task goes on; its events wait.
pub fn spawn_fan_out(state: AppState) {
    tokio::spawn(async move {
        loop {
            if let Ok(Err(e)) = isolated("event fan-out", fan_out(&state)).await {
                tracing::error!(error = %e, "event fan-out");
            }
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                () = state.events.wake.notified() => {}
            }
            tokio::time::sleep(PAUSE).await;
        }
    });
}
