//! The notification centre's side of the fan-out (issue 21): who among the staff is told of
//! an event in the app, with the page of the app each one opens for it; and the live feed of
//! new notifications (in-process, like the agents' alerts: a lagging listener re-reads the
//! unread count, which is kept in the database).

use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::Lang;
use pingjia_domain::delivery::Purpose;
use pingjia_domain::events::EventType;
use pingjia_domain::notifications::{Notification, audience};
use pingjia_domain::wire::Role;
use tokio::sync::broadcast;

use crate::db::notifications::{self as stored, NewNotification};
use crate::error::AppError;
use crate::services::delivery::email::Mail;
use crate::services::delivery::{self, Content, Outgoing};

/// Where in the app a notification leads.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Target {
    /// The lead's callback task of an evaluation (its number).
    Callback(String),
    /// The review queue of flagged evaluations.
    Moderation,
    /// The appeals queue.
    Appeals,
    /// An improvement plan.
    Plan(i64),
    /// The rectifications (the owner's, or the inspectors').
    Rectifications,
    /// A kept report.
    Report { kind: String, key: String },
    /// A coaching session (the agent's, and their lead's or admin's page alike).
    Coaching(i64),
    /// A QA dispute: the reviewers' page of it; its agent's and lead's "my QA".
    Dispute(i64),
}

impl Target {
    /// The path of the app a person of `role` opens.
    fn link(&self, role: Role) -> String {
        let area = match role {
            Role::Admin => "admin",
            Role::TeamLead => "lead",
            Role::QaInspector => "qa",
            _ => "agent",
        };
        match self {
            // Admins have no callbacks panel: the evaluation it is about.
            Target::Callback(number) if role == Role::Admin => {
                format!("/admin/analytics/evaluations/{number}")
            }
            Target::Callback(number) => format!("/{area}?callback={number}#callbacks"),
            Target::Moderation => "/admin/moderation".to_owned(),
            Target::Appeals => "/admin/appeals".to_owned(),
            Target::Plan(id) => format!("/{area}/plans/{id}"),
            Target::Rectifications => match role {
                Role::QaInspector | Role::Admin => "/qa/rectifications".to_owned(),
                _ => format!("/{area}/qa"),
            },
            Target::Report { kind, key } => format!("/{area}/reports/{kind}/{key}"),
            Target::Coaching(id) => format!("/coaching/{id}"),
            Target::Dispute(id) => match role {
                Role::QaInspector | Role::Admin => format!("/qa/disputes/{id}"),
                // The lead filed it for an agent: their team's inspections.
                Role::TeamLead => pingjia_domain::qa::TEAM_QA_PATH.to_owned(),
                _ => format!("/{area}/qa"),
            },
        }
    }
}

/// Whom an event tells and what it shows them.
#[derive(Debug, Clone)]
pub(super) struct Notice {
    pub(super) subject: String,
    pub(super) due_at: Option<DateTime<Utc>>,
    /// These people (an agent, a rectification's owner and inspector).
    pub(super) people: Vec<i64>,
    /// The lead of this team.
    pub(super) lead_of_team: Option<i64>,
    /// Every admin.
    pub(super) admins: bool,
    /// Every QA inspector.
    pub(super) inspectors: bool,
    /// Never these (a disputed inspection's inspector, who may not decide it).
    pub(super) except: Vec<i64>,
    pub(super) target: Target,
}

/// One person told of an event: the page of the app they open for it, in the app or not,
/// and the address of their e-mail if they get one.
#[derive(Debug, Clone)]
pub(super) struct Told {
    user_id: i64,
    link: String,
    in_app: bool,
    email: Option<String>,
}

/// The people `notice` names who are told of an event of `event_type` (in the app unless they
/// turned its kind off, by e-mail if they turned it on), each with their page of the app.
pub(super) async fn recipients(
    conn: &mut Conn,
    event_type: EventType,
    notice: &Notice,
) -> Result<Vec<Told>, AppError> {
    if audience(event_type).is_empty() {
        return Ok(Vec::new());
    }
    let named = stored::Named {
        ids: &notice.people,
        lead_of_team: notice.lead_of_team,
        admins: notice.admins,
        inspectors: notice.inspectors,
        except: &notice.except,
    };
    let found = stored::recipients(conn, event_type, &named).await?;
    let mut recipients = Vec::with_capacity(found.len());
    for recipient in found {
        let role = recipient.role()?;
        if audience(event_type).contains(&role) || notice.people.contains(&recipient.id) {
            recipients.push(Told {
                user_id: recipient.id,
                link: notice.target.link(role),
                in_app: recipient.in_app,
                email: recipient.email,
            });
        }
    }
    Ok(recipients)
}

/// Stores the notifications of the event `event_id` for `recipients` ([`recipients`]), once
/// each, and enqueues the e-mails, once each (links under `base`): the new notifications, to
/// publish once committed, and the number of e-mails enqueued.
pub(super) async fn store(
    conn: &mut Conn,
    event_id: i64,
    event_type: EventType,
    notice: &Notice,
    recipients: &[Told],
    base: &str,
    now: DateTime<Utc>,
) -> Result<(Vec<(i64, Notification)>, u64), AppError> {
    let mut told = Vec::new();
    let mut mailed = 0;
    for r in recipients {
        if let Some(address) = &r.email {
            let key = format!("event:{event_id}:user:{}", r.user_id);
            let mail = mail(event_type, notice, &format!("{base}{}", r.link));
            let done = delivery::enqueue(
                conn,
                now,
                &Outgoing {
                    purpose: Purpose::Notification,
                    subject: Some(("user", r.user_id)),
                    recipient: address,
                    content: Content::email(&mail),
                    dedupe_key: &key,
                    not_before: None,
                },
            )
            .await?;
            mailed += u64::from(done.created);
        }
        if !r.in_app {
            continue;
        }
        let new = NewNotification {
            user_id: r.user_id,
            event_id,
            event_type,
            subject: &notice.subject,
            link: &r.link,
            due_at: notice.due_at,
            now,
        };
        if let Some(id) = stored::insert(conn, &new).await? {
            told.push((
                r.user_id,
                Notification {
                    id,
                    event_type,
                    subject: notice.subject.clone(),
                    link: r.link.clone(),
                    due_at: notice.due_at,
                    created_at: now,
                    read_at: None,
                },
            ));
        }
    }
    Ok((told, mailed))
}

/// A staff member's e-mail of an event: what happened, about what, the due time (China
/// time), a link to the page; in both languages.
fn mail(event_type: EventType, notice: &Notice, link: &str) -> Mail {
    let (zh, en) = (event_type.label(Lang::Zh), event_type.label(Lang::En));
    let due = notice.due_at.map(|d| {
        d.with_timezone(&crate::time::org_zone())
            .format("%Y-%m-%d %H:%M")
            .to_string()
    });
    let subject = format!("{zh} / {en}: {}", notice.subject);
    let due_zh = due
        .as_deref()
        .map(|d| format!("截止：{d}\n"))
        .unwrap_or_default();
    let due_en = due
        .as_deref()
        .map(|d| format!("Due: {d}\n"))
        .unwrap_or_default();
    let text = format!(
        "{zh}：{s}\n{due_zh}查看：{link}\n\n{en}: {s}\n{due_en}Open: {link}\n\n\
         可在“通知设置”中关闭此类邮件 / Turn these e-mails off in your notification settings.\n",
        s = notice.subject,
    );
    let esc = |v: &str| html_escape::encode_text(v).into_owned();
    let href = html_escape::encode_double_quoted_attribute(link).into_owned();
    let due_html = |label: &str| {
        due.as_deref()
            .map(|d| format!("<p>{label}{}</p>", esc(d)))
            .unwrap_or_default()
    };
    let html = format!(
        "<p><strong>{zh}</strong>：{s}</p>{due_zh}<p><a href=\"{href}\">查看</a></p><hr>\
         <p><strong>{en}</strong>: {s}</p>{due_en}<p><a href=\"{href}\">Open</a></p>\
         <p style=\"color:#666\">可在“通知设置”中关闭此类邮件 / Turn these e-mails off in your \
         notification settings.</p>",
        zh = esc(zh),
        en = esc(en),
        s = esc(&notice.subject),
        due_zh = due_html("截止："),
        due_en = due_html("Due: "),
    );
    Mail {
        subject,
        text,
        html,
    }
}

/// The live feed of new notifications, per person; cheap to clone.
#[derive(Debug, Clone)]
pub struct Notices(broadcast::Sender<(i64, Notification)>);

impl Default for Notices {
    fn default() -> Self {
        Notices(broadcast::channel(256).0)
    }
}

impl Notices {
    /// Tells the listeners; nobody listening is fine.
    pub fn publish(&self, user_id: i64, notification: Notification) {
        let _ = self.0.send((user_id, notification));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<(i64, Notification)> {
        self.0.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callback_leads_a_lead_to_the_task_and_an_admin_to_the_evaluation() {
        let callback = Target::Callback("PJ20261204001".to_owned());
        assert_eq!(
            callback.link(Role::TeamLead),
            "/lead?callback=PJ20261204001#callbacks"
        );
        assert_eq!(
            callback.link(Role::Admin),
            "/admin/analytics/evaluations/PJ20261204001"
        );
    }

    #[test]
    fn a_dispute_leads_reviewers_to_it_and_its_agent_to_their_qa() {
        let dispute = Target::Dispute(7);
        assert_eq!(dispute.link(Role::QaInspector), "/qa/disputes/7");
        assert_eq!(dispute.link(Role::Admin), "/qa/disputes/7");
        assert_eq!(dispute.link(Role::Agent), "/agent/qa");
        assert_eq!(dispute.link(Role::TeamLead), "/lead/qa/team");
        let coaching = Target::Coaching(3);
        for role in [Role::Agent, Role::TeamLead, Role::Admin] {
            assert_eq!(coaching.link(role), "/coaching/3");
        }
    }
}
