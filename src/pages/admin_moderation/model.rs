//! The queue's words for statuses and decisions, and the decisions under way, shared by the
//! queue, its cards and the decision dialog.

use pingjia_domain::moderation::{Decision, ModerationStatus, QueueStatus};

use crate::i18n::{Locale, td_string};

/// A part of the queue's name: 待审核, 已删除, 已保留.
pub fn queue_status_name(locale: Locale, status: QueueStatus) -> &'static str {
    match status {
        QueueStatus::UnderReview => td_string!(locale, moderation.status_under_review),
        QueueStatus::Deleted => td_string!(locale, moderation.status_deleted),
        QueueStatus::Kept => td_string!(locale, moderation.status_kept),
    }
}

/// An evaluation's status as the queue shows it (an active one there was kept or restored).
pub fn status_name(locale: Locale, status: ModerationStatus) -> &'static str {
    match status {
        ModerationStatus::UnderReview => td_string!(locale, moderation.status_under_review),
        ModerationStatus::Deleted => td_string!(locale, moderation.status_deleted),
        ModerationStatus::Active => td_string!(locale, moderation.status_kept),
    }
}

/// A decision's name, as a button and in the history: 保留, 删除, 恢复.
pub fn decision_name(locale: Locale, decision: Decision) -> &'static str {
    match decision {
        Decision::Keep => td_string!(locale, moderation.keep),
        Decision::Delete => td_string!(locale, moderation.delete),
        Decision::Restore => td_string!(locale, moderation.restore),
    }
}

/// The decisions that apply to an evaluation in `status`, in the order of its buttons.
pub fn decisions_for(status: ModerationStatus) -> Vec<Decision> {
    Decision::ALL
        .into_iter()
        .filter(|d| d.apply(status).is_some())
        .collect()
}

/// The status of every evaluation listed in a part of the queue.
pub fn listed_status(status: QueueStatus) -> ModerationStatus {
    match status {
        QueueStatus::UnderReview => ModerationStatus::UnderReview,
        QueueStatus::Deleted => ModerationStatus::Deleted,
        QueueStatus::Kept => ModerationStatus::Active,
    }
}

/// What the last decision did, announced on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Decided {
    pub(super) decision: Decision,
    pub(super) numbers: Vec<String>,
}

/// A decision about to be taken: which one, on which evaluations (id and number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pending {
    pub(super) decision: Decision,
    pub(super) targets: Vec<(i64, String)>,
}
