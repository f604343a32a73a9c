//! The notification centre's side of the fan-out (issue 21): who among the staff is told of
//! an event in the app, with the page of the app each one opens for it; and the live feed of
//! new notifications (in-process, like the agents' alerts: a lagging listener re-reads the
//! unread count, which is kept in the database).

use chrono::{DateTime, Utc};
use pingjia_domain::events::EventType;
use pingjia_domain::notifications::{Notification, audience};
use pingjia_domain::wire::Role;
use sqlx::SqliteConnection;
use tokio::sync::broadcast;

use crate::db::notifications::{self as stored, NewNotification};
use crate::error::AppError;

/// Where in the app a notification leads.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Target {
    /// The lead's callback tasks.
    Callbacks,
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
            Target::Callbacks => format!("/{area}"),
            Target::Moderation => "/admin/moderation".to_owned(),
            Target::Appeals => "/admin/appeals".to_owned(),
            Target::Plan(id) => format!("/{area}/plans/{id}"),
            Target::Rectifications => match role {
                Role::QaInspector | Role::Admin => "/qa/rectifications".to_owned(),
                _ => format!("/{area}/qa"),
            },
            Target::Report { kind, key } => format!("/{area}/reports/{kind}/{key}"),
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
    pub(super) target: Target,
}

/// The people `notice` names who are told of an event of `event_type` (those who have not
/// turned its kind off), each with the page of the app they open for it.
pub(super) async fn recipients(
    conn: &mut SqliteConnection,
    event_type: EventType,
    notice: &Notice,
) -> Result<Vec<(i64, String)>, AppError> {
    if audience(event_type).is_empty() {
        return Ok(Vec::new());
    }
    let found = stored::recipients(
        conn,
        event_type,
        &notice.people,
        notice.lead_of_team,
        notice.admins,
    )
    .await?;
    let mut recipients = Vec::with_capacity(found.len());
    for recipient in found {
        let role = recipient.role()?;
        if audience(event_type).contains(&role) || notice.people.contains(&recipient.id) {
            recipients.push((recipient.id, notice.target.link(role)));
        }
    }
    Ok(recipients)
}

/// Stores the notifications of the event `event_id` for `recipients` ([`recipients`]), once
/// each: the new ones, to publish once committed.
pub(super) async fn store(
    conn: &mut SqliteConnection,
    event_id: i64,
    event_type: EventType,
    notice: &Notice,
    recipients: &[(i64, String)],
    now: DateTime<Utc>,
) -> Result<Vec<(i64, Notification)>, AppError> {
    let mut told = Vec::new();
    for (user_id, link) in recipients {
        let new = NewNotification {
            user_id: *user_id,
            event_id,
            event_type,
            subject: &notice.subject,
            link,
            due_at: notice.due_at,
            now,
        };
        if let Some(id) = stored::insert(conn, &new).await? {
            told.push((
                *user_id,
                Notification {
                    id,
                    event_type,
                    subject: notice.subject.clone(),
                    link: link.clone(),
                    due_at: notice.due_at,
                    created_at: now,
                    read_at: None,
                },
            ));
        }
    }
    Ok(told)
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
