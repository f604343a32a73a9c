//! The notification centre (issue 21): what staff are told in the app of the events that need
//! them (a bell with the unread count, a list with links, mark read), and each person's on/off
//! per kind.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::events::EventType;
use crate::wire::Role;

/// Who is told of an event of `event_type` in the app: the kinds of people (the server finds
/// the persons). A kind nobody is told of is not in the settings.
pub fn audience(event_type: EventType) -> &'static [Role] {
    use EventType::*;
    match event_type {
        // A low score's lead is told of its callback (with the due time), once.
        CallbackOpened | CallbackOverdue => &[Role::TeamLead],
        EvaluationFlagged | AppealFiled => &[Role::Admin],
        PlanDueSoon | PlanOverdue | PlanSentBack | PlanAcknowledged => &[Role::Agent],
        RectificationAssigned | RectificationRechecked => &[Role::Agent, Role::TeamLead],
        RectificationOverdue => &[Role::Agent, Role::TeamLead, Role::QaInspector],
        ReportReady => &[Role::Admin, Role::TeamLead],
        // The agent coached; the lead (or admin) who coached them, of the acknowledgement.
        CoachingRecorded => &[Role::Agent],
        CoachingAcknowledged => &[Role::TeamLead, Role::Admin],
        // Those who may decide a dispute (never the original inspector: the server leaves
        // them out); then the agent, and the lead who filed it for them.
        DisputeFiled => &[Role::QaInspector, Role::Admin],
        DisputeDecided => &[Role::Agent, Role::TeamLead],
        EvaluationCreated | EvaluationLowScore | CallbackDone | AppealDecided | EvaluationKept
        | EvaluationDeleted => &[],
    }
}

/// The kinds a person of `role` may be told of.
pub fn kinds_for(role: Role) -> Vec<EventType> {
    EventType::ALL
        .into_iter()
        .filter(|e| audience(*e).contains(&role))
        .collect()
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    /// What happened (the app names it in the reader's language).
    pub event_type: EventType,
    /// What it is about: an evaluation's number, a checklist item, a report's period.
    pub subject: String,
    /// The page of the app to open (a path: `/lead`, `/agent/plans/12`).
    pub link: String,
    /// A callback's or a plan's due time, a rectification's deadline (start of the day after).
    pub due_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// `GET /me/notifications`: a page, newest first, and the unread count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    /// Notifications matching the filter, on every page.
    pub total: u64,
    /// Unread notifications of the caller, whatever the filter.
    pub unread: u64,
    pub page: u32,
    pub per_page: u32,
}

/// What the live stream (`GET /me/notifications/stream`) sends: the new notification and the
/// unread count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationAlert {
    pub notification: Option<Notification>,
    pub unread: u64,
}

/// `POST /me/notifications/read`: mark these of mine read, or all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkRead {
    /// At most 500; ids not of mine are ignored.
    #[serde(default)]
    pub ids: Vec<i64>,
    /// Every notification of mine (then `ids` is not read).
    #[serde(default)]
    pub all: bool,
}

/// At most this many ids in one [`MarkRead`].
pub const MAX_MARK_READ: usize = 500;

/// One kind's setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationSetting {
    pub event_type: EventType,
    /// Told in the app.
    pub in_app: bool,
    /// Told by e-mail too (to [`NotificationSettings::email_to`]; off unless turned on).
    #[serde(default)]
    pub email: bool,
}

/// `GET` and `PUT /me/notification-settings`: every kind the caller may be told of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationSettings {
    pub kinds: Vec<NotificationSetting>,
    /// Where e-mail goes: the caller's address as an admin set it on their account; none, no
    /// e-mail is sent whatever `kinds` say. Read only (ignored in a `PUT`).
    #[serde(default)]
    pub email_to: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_staff_role_is_told_of_something_and_customers_of_nothing_here() {
        for role in [Role::Agent, Role::TeamLead, Role::QaInspector, Role::Admin] {
            assert!(!kinds_for(role).is_empty(), "{role:?}");
        }
        assert!(kinds_for(Role::Customer).is_empty());
        assert!(kinds_for(Role::TeamLead).contains(&EventType::CallbackOpened));
    }

    #[test]
    fn coaching_and_disputes_tell_whom_they_need() {
        assert!(kinds_for(Role::Agent).contains(&EventType::CoachingRecorded));
        assert!(kinds_for(Role::Agent).contains(&EventType::DisputeDecided));
        assert!(!kinds_for(Role::Agent).contains(&EventType::DisputeFiled));
        assert!(kinds_for(Role::TeamLead).contains(&EventType::CoachingAcknowledged));
        assert!(!kinds_for(Role::TeamLead).contains(&EventType::CoachingRecorded));
        // Those who may decide a dispute are told of it; an agent is not.
        for role in [Role::QaInspector, Role::Admin] {
            assert!(
                kinds_for(role).contains(&EventType::DisputeFiled),
                "{role:?}"
            );
            assert_eq!(
                crate::qa::may_review(role, 1, 2),
                Ok(()),
                "a {role:?} told of a dispute may decide it"
            );
        }
        for role in [Role::Agent, Role::TeamLead] {
            assert!(!audience(EventType::DisputeFiled).contains(&role));
        }
    }
}
