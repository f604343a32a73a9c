//! The outbox's hook for rating invitations and their reminders: a queued invitation holds
//! its text with `{{link}}` and `{{opt_out}}` unfilled (no token is ever stored). Just before
//! the message is handed over, a link is issued for its invitation (`Earlier::Keep`: a link
//! sent before keeps working; each attempt may issue a new one) and the two placeholders are
//! filled with the absolute link and the opt-out page. Once delivered, the invitation is
//! marked sent through its channel.

use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::delivery::Purpose;
use pingjia_domain::invitations::InvitationChannel;

use super::{Channels, Content, Failure};
use crate::db::deliveries::Claimed;
use crate::db::sending;
use crate::error::AppError;
use crate::http::state::AppState;
use crate::services::invitations::{self as links, Earlier};

/// The invitation a claimed message is of, when it is an invitation or a reminder.
fn invitation_of(job: &Claimed) -> Option<i64> {
    let purpose = Purpose::parse(&job.purpose)?;
    (matches!(purpose, Purpose::Invitation | Purpose::Reminder)
        && job.subject_kind.as_deref() == Some("invitation"))
    .then_some(job.subject_id)
    .flatten()
}

fn permanent(what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::Permanent(format!("{what}: {e}"))
}

/// `content` with its link and opt-out link filled, for an invitation's message; other
/// messages as they are. A record that cannot be invited any more (rated, its window closed,
/// its invitation revoked, its customer opted out, marked do-not-invite) fails the message
/// for good, saying why.
pub(super) async fn personalise(
    state: &AppState,
    channels: &Channels,
    job: &Claimed,
    content: Content,
) -> Result<Content, Failure> {
    let Some(invitation_id) = invitation_of(job) else {
        return Ok(content);
    };
    let transient = |e: AppError| Failure::Transient(format!("数据库 / the database: {e}"));
    let window = state
        .settings
        .get(&state.pool)
        .await
        .map_err(|e| transient(e.into()))?
        .rating_window_days;
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool)
        .await
        .map_err(|e| transient(e.into()))?;
    let found = sending::sending(&mut tx, invitation_id)
        .await
        .map_err(|e| transient(e.into()))?
        .ok_or_else(|| permanent("邀请不存在 / no such invitation", invitation_id))?;
    if found.opted_out {
        return Err(Failure::Permanent(
            "客户已退订，不再发送 / the customer opted out: not sent".to_owned(),
        ));
    }
    if found.do_not_invite {
        return Err(Failure::Permanent(
            "记录标记为不邀请 / the record is marked do not invite".to_owned(),
        ));
    }
    let issued = match links::issue(&mut tx, found.record_id, now, window, Earlier::Keep).await {
        Ok(issued) => issued,
        Err(AppError::Coded(coded)) => {
            return Err(Failure::Permanent(format!(
                "不再发送 / not sent: {}",
                coded.detail
            )));
        }
        Err(e) => return Err(transient(e)),
    };
    tx.commit().await.map_err(|e| transient(e.into()))?;
    let base = channels
        .smtp
        .as_ref()
        .map(|s| s.link_base.trim_end_matches('/').to_owned())
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| {
            state
                .mailer
                .default_link_base()
                .trim_end_matches('/')
                .to_owned()
        });
    let link = format!("{base}{}", issued.token.path());
    let opt_out = format!("{link}/opt-out");
    let fill = |text: &str, link: &str, opt_out: &str| {
        text.replace("{{link}}", link)
            .replace("{{opt_out}}", opt_out)
    };
    Ok(match content {
        Content::Sms { text } => Content::Sms {
            text: fill(&text, &link, &opt_out),
        },
        Content::Email {
            subject,
            text,
            html,
        } => {
            let attr = |v: &str| html_escape::encode_double_quoted_attribute(v).into_owned();
            Content::Email {
                subject: fill(&subject, &link, &opt_out),
                text: fill(&text, &link, &opt_out),
                html: fill(&html, &attr(&link), &attr(&opt_out)),
            }
        }
        Content::Webhook { event_type, body } => {
            let json = |v: &str| {
                let quoted = serde_json::to_string(v).unwrap_or_default();
                quoted[1..quoted.len() - 1].to_owned()
            };
            Content::Webhook {
                event_type,
                body: fill(&body, &json(&link), &json(&opt_out)),
            }
        }
    })
}

/// After `job` was delivered at `now`: an invitation's message marks its invitation sent
/// through its channel (the first sending time is kept).
pub(super) async fn delivered(
    conn: &mut Conn,
    job: &Claimed,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(invitation_id) = invitation_of(job) else {
        return Ok(());
    };
    let Some(channel) = InvitationChannel::parse(&job.channel) else {
        return Ok(());
    };
    links::mark_sent(conn, invitation_id, channel, now).await
}
