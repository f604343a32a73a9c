//! Sending rating invitations (issue 19): the scheduler that invites the records that ended
//! (and reminds once), sending by hand, and a customer's opt-out.
//!
//! **The scheduler** ([`run_due`], run by [`spawn_worker`] every minute and when records
//! arrive) finds the due records in one query (`db::sending::due`): ended at least the delay
//! ago and still in their rating window, not rated, not marked do-not-invite, their customer
//! not opted out and not invited within the suppression days (one per customer per run).
//! For each it makes the invitation (one per record: UNIQUE) and queues ONE message through
//! the first channel of the admin's order that reaches the customer and is set up, in the
//! same transaction (dedupe key `invitation:{id}:first`). Then the reminders: one per
//! invitation still unanswered `reminder_hours` after it was sent (`invitation:{id}:reminder`).
//!
//! **No token is stored.** A queued message holds its template's text with the customer's
//! values filled in but `{{link}}` and `{{opt_out}}` left as they are: the outbox issues the
//! link (`services::delivery`'s invitation hook) just before it hands the message over, and
//! fills them then. The delivery log therefore never shows a token.

use std::collections::HashSet;
use std::time::Duration as StdDuration;

use crate::db::sql::Conn;
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::delivery::Purpose;
use pingjia_domain::evaluations::{RatingState, rate_until, rating_state};
use pingjia_domain::invitations::{
    InvitationChannel, InvitationSettings, MessageKind, MessageLanguage, MessageValues, OptOut,
    SendReport, SkipReason, SkippedCount, render,
};
use pingjia_domain::sending::{Reach, pick_channel, window_words};
use serde_json::json;
use tokio::sync::Notify;

use crate::db::sending::{self as stored, Candidate};
use crate::db::{begin_write, channels, invitations};
use crate::error::AppError;
use crate::http::state::AppState;
use crate::services::delivery::{self, Content, Outgoing, email};
use crate::services::invitations::Grant;
use crate::services::jobs::exclusive;
use crate::time::{from_db, org_zone};

/// How often the scheduler looks for due records without being woken.
const TICK: StdDuration = StdDuration::from_secs(60);
/// Records (or reminders) one transaction of the scheduler handles.
const BATCH: i64 = 500;

/// The scheduler's wake-up call in [`AppState`].
#[derive(Debug, Default)]
pub struct Scheduler {
    wake: Notify,
}

impl Scheduler {
    /// Asks the scheduler to look for due records now (records were ingested or imported).
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// The channels set up now, and where the webhook posts.
struct Ready {
    channels: Vec<InvitationChannel>,
    webhook_url: Option<String>,
}

async fn ready(conn: &mut Conn) -> Result<Ready, AppError> {
    let mut ready = Vec::new();
    if channels::sms_gateway(&mut *conn).await?.is_some() {
        ready.push(InvitationChannel::Sms);
    }
    if email::smtp_row(&mut *conn).await?.is_some() {
        ready.push(InvitationChannel::Email);
    }
    let webhook_url = channels::webhook(&mut *conn).await?.map(|w| w.url);
    if webhook_url.is_some() {
        ready.push(InvitationChannel::Webhook);
    }
    Ok(Ready {
        channels: ready,
        webhook_url,
    })
}

/// What a message says about its record.
pub(crate) struct Facts<'a> {
    pub(crate) invitation_id: i64,
    pub(crate) record_id: i64,
    pub(crate) external_id: &'a str,
    pub(crate) customer_no: Option<&'a str>,
    pub(crate) customer_name: &'a str,
    pub(crate) agent_name: &'a str,
    pub(crate) type_name_zh: &'a str,
    pub(crate) type_name_en: &'a str,
    pub(crate) expires_at: DateTime<Utc>,
}

/// The message of `kind` through `channel`, with every placeholder filled but the link and
/// the opt-out link (filled by the outbox when it is sent); `None` without a template. The
/// demo writes its past invitations' messages with it too.
pub(crate) fn compose(
    settings: &InvitationSettings,
    channel: InvitationChannel,
    kind: MessageKind,
    facts: &Facts<'_>,
    now: DateTime<Utc>,
) -> Option<Content> {
    let language = settings.language;
    let values = MessageValues {
        customer_name: facts.customer_name.to_owned(),
        agent_name: facts.agent_name.to_owned(),
        service_type: match language {
            MessageLanguage::Zh => facts.type_name_zh,
            MessageLanguage::En => facts.type_name_en,
        }
        .to_owned(),
        link: "{{link}}".to_owned(),
        window: window_words(
            language,
            facts.expires_at.with_timezone(&org_zone()).naive_local(),
        ),
        opt_out: "{{opt_out}}".to_owned(),
    };
    match channel {
        InvitationChannel::Sms => {
            let t = settings.template(InvitationChannel::Sms, kind)?;
            Some(Content::Sms {
                text: render(&t.body, &values),
            })
        }
        InvitationChannel::Email => {
            let t = settings.template(InvitationChannel::Email, kind)?;
            let text = render(&t.body, &values);
            let html = html_escape::encode_text(&text)
                .replace("{{link}}", r#"<a href="{{link}}">{{link}}</a>"#)
                .replace("{{opt_out}}", r#"<a href="{{opt_out}}">{{opt_out}}</a>"#)
                .replace('\n', "<br>\n");
            Some(Content::Email {
                subject: render(t.subject.as_deref().unwrap_or_default(), &values),
                text,
                html: format!("<!DOCTYPE html><html><body><p>{html}</p></body></html>"),
            })
        }
        InvitationChannel::Webhook => {
            let t = settings.template(InvitationChannel::Sms, kind)?;
            let event = match kind {
                MessageKind::Invitation => "invitation.created",
                MessageKind::Reminder => "invitation.reminder",
            };
            let data = json!({
                "invitation_id": facts.invitation_id,
                "service_record_id": facts.record_id,
                "external_id": facts.external_id,
                "customer_no": facts.customer_no,
                "language": language.as_str(),
                "link": "{{link}}",
                "opt_out": "{{opt_out}}",
                "expires_at": facts.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "text": render(&t.body, &values),
            });
            Some(Content::webhook(event, data, now))
        }
    }
}

/// Queues the message of `kind` of the invitation through `channel` to `recipient` under
/// `dedupe_key`; the first message (and one sent by hand) becomes the invitation's message.
/// Whether it was queued now.
#[allow(clippy::too_many_arguments)]
async fn queue(
    tx: &mut Conn,
    now: DateTime<Utc>,
    settings: &InvitationSettings,
    channel: InvitationChannel,
    kind: MessageKind,
    facts: &Facts<'_>,
    recipient: &str,
    dedupe_key: &str,
) -> Result<bool, AppError> {
    let Some(content) = compose(settings, channel, kind, facts, now) else {
        return Ok(false);
    };
    let enqueued = delivery::enqueue(
        &mut *tx,
        now,
        &Outgoing {
            purpose: match kind {
                MessageKind::Invitation => Purpose::Invitation,
                MessageKind::Reminder => Purpose::Reminder,
            },
            subject: Some(("invitation", facts.invitation_id)),
            recipient,
            content,
            dedupe_key,
            not_before: None,
        },
    )
    .await?;
    if kind == MessageKind::Invitation && enqueued.created {
        stored::set_delivery(&mut *tx, facts.invitation_id, enqueued.id).await?;
    }
    Ok(enqueued.created)
}

/// Where `channel` reaches the candidate's customer.
fn recipient<'a>(
    c: &'a Candidate,
    channel: InvitationChannel,
    ready: &'a Ready,
) -> Option<&'a str> {
    match channel {
        InvitationChannel::Sms => c.phone.as_deref(),
        InvitationChannel::Email => c.email.as_deref(),
        InvitationChannel::Webhook => ready.webhook_url.as_deref(),
    }
}

fn reach(c: &Candidate) -> Reach {
    Reach {
        phone: c.phone.is_some(),
        email: c.email.is_some(),
    }
}

/// Makes the candidate's invitation (or takes its existing one) and queues its message
/// through `channel`. `Ok(None)`: nothing queued (the dedupe key was queued before).
#[allow(clippy::too_many_arguments)]
async fn invite(
    tx: &mut Conn,
    now: DateTime<Utc>,
    settings: &InvitationSettings,
    window_days: u32,
    ready: &Ready,
    c: &Candidate,
    channel: InvitationChannel,
) -> Result<bool, AppError> {
    let ended_at = from_db(&c.ended_at)?;
    let expires_at = rate_until(ended_at, window_days);
    let (invitation_id, key) = match c.invitation_id {
        // Sent again by hand: the new message's link replaces the earlier ones.
        Some(id) => {
            stored::supersede_links(&mut *tx, id, now).await?;
            (
                id,
                format!("invitation:{id}:resend:{}", now.timestamp_millis()),
            )
        }
        None => {
            let id =
                invitations::insert(&mut *tx, c.record_id, c.customer_id, expires_at, now).await?;
            (id, format!("invitation:{id}:first"))
        }
    };
    let facts = Facts {
        invitation_id,
        record_id: c.record_id,
        external_id: &c.external_id,
        customer_no: c.customer_no.as_deref(),
        customer_name: &c.customer_name,
        agent_name: &c.agent_name,
        type_name_zh: &c.type_name_zh,
        type_name_en: &c.type_name_en,
        expires_at,
    };
    let to = recipient(c, channel, ready).unwrap_or_default();
    queue(
        tx,
        now,
        settings,
        channel,
        MessageKind::Invitation,
        &facts,
        to,
        &key,
    )
    .await
}

/// What one run of the scheduler queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Run {
    pub invited: u64,
    pub reminded: u64,
}

/// Invites every record due now and queues the reminders due, in transactions of [`BATCH`];
/// wakes the outbox when something was queued. Nothing when invitations are off.
pub async fn run_due(state: &AppState) -> Result<Run, AppError> {
    let settings = {
        let mut conn = state.pool.acquire().await?;
        stored::settings(&mut conn).await?
    };
    let mut run = Run::default();
    if !settings.enabled {
        return Ok(run);
    }
    let window_days = state.settings.get(&state.pool).await?.rating_window_days;
    let mut invited_customers = HashSet::new();
    let mut after = (String::new(), 0_i64);
    loop {
        let now = state.clock.now();
        let mut tx = begin_write(&state.pool).await?;
        let ready = ready(&mut tx).await?;
        let suppressed_since = (settings.suppression_days > 0)
            .then(|| now - Duration::days(i64::from(settings.suppression_days)));
        let due = stored::due(
            &mut tx,
            now - Duration::days(i64::from(window_days)),
            now - Duration::minutes(i64::from(settings.delay_minutes)),
            suppressed_since,
            (&after.0, after.1),
            BATCH,
        )
        .await?;
        let Some(last) = due.last() else { break };
        after = (last.ended_at.clone(), last.record_id);
        for c in &due {
            let ended_at = from_db(&c.ended_at)?;
            if rating_state(ended_at, false, now, window_days) != RatingState::Awaiting {
                continue;
            }
            let Some(channel) = pick_channel(&settings.channel_order, reach(c), &ready.channels)
            else {
                continue;
            };
            if suppressed_since.is_some() && !invited_customers.insert(c.customer_id) {
                continue;
            }
            if invite(&mut tx, now, &settings, window_days, &ready, c, channel).await? {
                run.invited += 1;
            }
        }
        tx.commit().await?;
        if i64::try_from(due.len()).unwrap_or(0) < BATCH {
            break;
        }
    }
    if settings.reminder_hours > 0 {
        loop {
            let now = state.clock.now();
            let mut tx = begin_write(&state.pool).await?;
            let due = stored::reminders_due(
                &mut tx,
                now - Duration::hours(i64::from(settings.reminder_hours)),
                now,
                BATCH,
            )
            .await?;
            let mut queued = 0;
            for r in &due {
                let Some(channel) = InvitationChannel::parse(&r.channel) else {
                    continue;
                };
                let facts = Facts {
                    invitation_id: r.invitation_id,
                    record_id: r.record_id,
                    external_id: &r.external_id,
                    customer_no: r.customer_no.as_deref(),
                    customer_name: &r.customer_name,
                    agent_name: &r.agent_name,
                    type_name_zh: &r.type_name_zh,
                    type_name_en: &r.type_name_en,
                    expires_at: from_db(&r.expires_at)?,
                };
                let key = format!("invitation:{}:reminder", r.invitation_id);
                let kind = MessageKind::Reminder;
                if queue(
                    &mut tx,
                    now,
                    &settings,
                    channel,
                    kind,
                    &facts,
                    &r.recipient,
                    &key,
                )
                .await?
                {
                    queued += 1;
                }
            }
            tx.commit().await?;
            run.reminded += queued;
            if queued == 0 || i64::try_from(due.len()).unwrap_or(0) < BATCH {
                break;
            }
        }
    }
    if run != Run::default() {
        state.outbox.wake();
        tracing::info!(
            invited = run.invited,
            reminded = run.reminded,
            "invitations queued"
        );
    }
    Ok(run)
}

/// Runs [`run_due`] every [`TICK`] and whenever woken, for the life of the server. A run that
/// fails or panics is logged and the scheduler goes on.
pub fn spawn_worker(state: AppState) {
    tokio::spawn(async move {
        loop {
            match exclusive(&state, "invitation scheduler", run_due(&state)).await {
                Ok(Some(Err(e))) => tracing::error!(error = %e, "invitation scheduler"),
                // Running on another instance: looked at again soon (this one may have been
                // woken for new records).
                Ok(None) => {
                    tokio::time::sleep(crate::services::jobs::BUSY_RETRY).await;
                    continue;
                }
                Ok(Some(Ok(_))) | Err(_) => {}
            }
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                () = state.invitations.wake.notified() => {}
            }
        }
    });
}

/// Sends the invitations of the records `ids` by hand, now: each record not skipped gets one
/// message through the first channel that reaches its customer (suppression and the
/// settings' `enabled` do not apply; opt-out and do-not-invite do). With `resend`, an invited
/// record gets a new message whose link replaces the earlier ones. 422 naming `record_ids`
/// for records that do not exist.
pub async fn send_by_hand(
    state: &AppState,
    ids: &[i64],
    resend: bool,
) -> Result<SendReport, AppError> {
    let window_days = state.settings.get(&state.pool).await?.rating_window_days;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let settings = stored::settings(&mut tx).await?;
    let ready = ready(&mut tx).await?;
    let found = stored::candidates(&mut tx, ids).await?;
    if found.len() < ids.len() {
        let known: HashSet<i64> = found.iter().map(|c| c.record_id).collect();
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| !known.contains(id))
            .map(ToString::to_string)
            .collect();
        return Err(AppError::Validation(vec![pingjia_domain::FieldError::new(
            "record_ids",
            "unknown",
            format!("no service records {}", missing.join(", ")),
        )]));
    }
    let mut skipped: Vec<SkippedCount> = Vec::new();
    let mut skip = |reason: SkipReason| match skipped.iter_mut().find(|s| s.reason == reason) {
        Some(s) => s.count += 1,
        None => skipped.push(SkippedCount { reason, count: 1 }),
    };
    let mut queued = 0;
    for c in &found {
        let ended_at = from_db(&c.ended_at)?;
        let channel = pick_channel(&settings.channel_order, reach(c), &ready.channels);
        let reason = if c.rated {
            Some(SkipReason::Rated)
        } else if c.do_not_invite {
            Some(SkipReason::DoNotInvite)
        } else if c.opted_out {
            Some(SkipReason::OptedOut)
        } else if rating_state(ended_at, false, now, window_days) != RatingState::Awaiting {
            Some(SkipReason::WindowClosed)
        } else if c.invitation_id.is_some() && !resend {
            Some(SkipReason::AlreadyInvited)
        } else if channel.is_none() {
            Some(SkipReason::NoChannel)
        } else {
            None
        };
        match (reason, channel) {
            (None, Some(channel)) => {
                if invite(&mut tx, now, &settings, window_days, &ready, c, channel).await? {
                    queued += 1;
                } else {
                    skip(SkipReason::AlreadyInvited);
                }
            }
            (Some(reason), _) => skip(reason),
            (None, None) => skip(SkipReason::NoChannel),
        }
    }
    tx.commit().await?;
    if queued > 0 {
        state.outbox.wake();
    }
    skipped.sort_by_key(|s| SkipReason::ALL.iter().position(|r| *r == s.reason));
    Ok(SendReport {
        selected: u32::try_from(found.len()).unwrap_or(u32::MAX),
        queued,
        skipped,
    })
}

/// The link's customer gets no more invitations: their opt-out is recorded (the first one's
/// time kept), their invitations not rated are marked opted out, and their waiting messages
/// are cancelled. In the caller's transaction.
pub async fn opt_out(tx: &mut Conn, grant: &Grant, now: DateTime<Utc>) -> Result<OptOut, AppError> {
    let at = stored::opt_out(&mut *tx, grant.customer_id, now)
        .await?
        .ok_or_else(|| AppError::NotFound("The link's customer".to_owned()))?;
    let waiting = stored::waiting_messages(&mut *tx, grant.customer_id).await?;
    delivery::cancel(
        &mut *tx,
        &waiting,
        "客户已退订，不再发送 / the customer opted out: not sent",
    )
    .await?;
    Ok(OptOut {
        opted_out_at: from_db(&at)?,
    })
}
