//! Coaching sessions (辅导记录, issue 25): a team lead (or an admin) records a talk with an
//! agent, from an inspection, an evaluation or an improvement plan or on its own: what was
//! discussed, the checklist items or rating dimensions it targets, the agreed action and a
//! follow-up day. The agent acknowledges it (with a comment or not), then the lead records the
//! follow-up: awaiting → acknowledged → followed up. A session whose follow-up day has passed
//! before it was followed up is overdue.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::PlanWindow;
use crate::problem::{FieldError, checked, length_error, line_length_error};

/// Shortest discussion and agreed action, in characters.
pub const COACHING_MIN_CHARS: usize = 2;
/// Longest discussion, in characters.
pub const DISCUSSION_MAX_CHARS: usize = 4000;
/// Longest agreed action and agent's comment, in characters.
pub const ACTION_MAX_CHARS: usize = 1000;
/// The most targets a session names.
pub const MAX_COACHING_TARGETS: usize = 20;
/// Sessions a page when the request does not say, and the most.
pub const DEFAULT_COACHING_PER_PAGE: u32 = 20;
pub const MAX_COACHING_PER_PAGE: u32 = 100;

/// The app's list of coaching sessions; a session's page and the new session's form are
/// under it.
pub const COACHING_PATH: &str = "/coaching";

/// The app's page of the session `id`.
pub fn coaching_href(id: i64) -> String {
    format!("{COACHING_PATH}/{id}")
}

/// The app's form of a new session recorded from `kind` `reference` (an inspection's or a
/// plan's id, an evaluation's number), prefilled with it.
pub fn new_coaching_href(kind: CoachingSourceKind, reference: &str) -> String {
    let reference: String = reference
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!(
        "{COACHING_PATH}/new?source_kind={}&source_ref={reference}",
        kind.as_str()
    )
}

closed_list! {
    /// What a session was recorded from.
    pub enum CoachingSourceKind {
        Inspection = "inspection" ("质检", "Inspection"),
        Evaluation = "evaluation" ("客户评价", "Evaluation"),
        Plan = "plan" ("改进计划", "Improvement plan"),
    }
}

closed_list! {
    /// What a target is: a checklist item of the inspection's template or a rating dimension.
    pub enum CoachingTargetKind {
        Item = "item" ("检查项目", "Checklist item"),
        Dimension = "dimension" ("评价维度", "Rating dimension"),
    }
}

closed_list! {
    /// How far a session got.
    pub enum CoachingState {
        /// Recorded; the agent has not acknowledged it yet.
        Awaiting = "awaiting" ("待确认", "Awaiting acknowledgement"),
        /// The agent acknowledged it; the follow-up is still to come.
        Acknowledged = "acknowledged" ("已确认", "Acknowledged"),
        /// The lead recorded the follow-up: done.
        FollowedUp = "followed_up" ("已跟进", "Followed up"),
    }
}

impl CoachingState {
    /// The state of a session acknowledged or not, followed up or not.
    pub fn of(acknowledged: bool, followed_up: bool) -> CoachingState {
        match (acknowledged, followed_up) {
            (_, true) => CoachingState::FollowedUp,
            (true, false) => CoachingState::Acknowledged,
            (false, false) => CoachingState::Awaiting,
        }
    }

    /// Whether the agent may acknowledge it: only while it awaits them.
    pub fn may_acknowledge(self) -> bool {
        self == CoachingState::Awaiting
    }

    /// Whether the lead may record the follow-up: once the agent acknowledged it.
    pub fn may_follow_up(self) -> bool {
        self == CoachingState::Acknowledged
    }
}

/// A follow-up is overdue when its day has passed (the organisation's today is after it)
/// before the session was followed up.
pub fn follow_up_overdue(
    state: CoachingState,
    follow_up_date: NaiveDate,
    today: NaiveDate,
) -> bool {
    state != CoachingState::FollowedUp && today > follow_up_date
}

/// Where a session comes from: the inspection's or the plan's id, the evaluation's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingSource {
    pub kind: CoachingSourceKind,
    pub reference: String,
}

/// A target as sent: its kind and code (a checklist item's id, a dimension's code).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingTargetRef {
    pub kind: CoachingTargetKind,
    pub code: String,
}

/// A target with its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingTarget {
    pub kind: CoachingTargetKind,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// `POST /coaching`: a session to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCoaching {
    /// The agent's employee number; may be left out when a source names the agent.
    #[serde(default)]
    pub agent_no: Option<String>,
    #[serde(default)]
    pub source: Option<CoachingSource>,
    pub discussion: String,
    /// Chosen among what `GET /coaching/draft` offers.
    #[serde(default)]
    pub targets: Vec<CoachingTargetRef>,
    pub action: String,
    /// After today.
    pub follow_up_date: NaiveDate,
}

/// What a new session stores once checked: the texts trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedCoaching {
    pub discussion: String,
    pub action: String,
}

impl NewCoaching {
    /// The texts as stored (trimmed), or what is wrong: `discussion` and `action` required and
    /// not too long, `follow_up_date` after `today` (`not_future`), `targets` not repeated
    /// (`duplicate`) nor too many (`too_many`), `agent_no` (`required`) without a source.
    pub fn check(&self, today: NaiveDate) -> Result<CheckedCoaching, Vec<FieldError>> {
        let mut errors = Vec::new();
        let discussion = self.discussion.trim();
        let action = self.action.trim();
        errors.extend(length_error(
            "discussion",
            discussion,
            "describe what was discussed",
            COACHING_MIN_CHARS,
            DISCUSSION_MAX_CHARS,
        ));
        errors.extend(length_error(
            "action",
            action,
            "write the agreed action",
            COACHING_MIN_CHARS,
            ACTION_MAX_CHARS,
        ));
        if self.follow_up_date <= today {
            errors.push(FieldError::new(
                "follow_up_date",
                "not_future",
                "the follow-up date must be after today",
            ));
        }
        if self.targets.len() > MAX_COACHING_TARGETS {
            errors.push(FieldError::new(
                "targets",
                "too_many",
                format!("at most {MAX_COACHING_TARGETS} targets"),
            ));
        } else {
            let mut seen = std::collections::HashSet::new();
            if !self.targets.iter().all(|t| seen.insert(t)) {
                errors.push(FieldError::new(
                    "targets",
                    "duplicate",
                    "a target is chosen twice",
                ));
            }
        }
        let agent = self.agent_no.as_deref().map(str::trim).unwrap_or("");
        if self.source.is_none() {
            errors.extend(line_length_error(
                "agent_no",
                agent,
                "choose the agent",
                1,
                64,
            ));
        }
        if let Some(source) = &self.source {
            errors.extend(line_length_error(
                "source",
                source.reference.trim(),
                "name the source",
                1,
                64,
            ));
        }
        checked(
            errors,
            CheckedCoaching {
                discussion: discussion.to_owned(),
                action: action.to_owned(),
            },
        )
    }
}

/// `POST /coaching/{id}/acknowledge`: the agent's optional comment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingAcknowledgement {
    #[serde(default)]
    pub comment: Option<String>,
}

impl CoachingAcknowledgement {
    /// The comment as stored (trimmed, `None` when blank), or what is wrong with it.
    pub fn check(&self) -> Result<Option<String>, Vec<FieldError>> {
        let comment = self.comment.as_deref().map(str::trim).unwrap_or("");
        if comment.is_empty() {
            return Ok(None);
        }
        let errors: Vec<_> = length_error("comment", comment, "", 1, ACTION_MAX_CHARS)
            .into_iter()
            .collect();
        checked(errors, Some(comment.to_owned()))
    }
}

/// One coaching session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingSession {
    pub id: i64,
    pub agent_no: String,
    pub agent_name: String,
    pub team_name: Option<String>,
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
    pub coach_name: String,
    pub source: Option<CoachingSource>,
    pub discussion: String,
    pub targets: Vec<CoachingTarget>,
    pub action: String,
    pub follow_up_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub state: CoachingState,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub agent_comment: Option<String>,
    pub followed_up_at: Option<DateTime<Utc>>,
    /// The follow-up day has passed and it was not followed up.
    pub follow_up_overdue: bool,
}

/// A session's scores: the agent's in the 30 days before the session's day against the 30
/// days after (the improvement plan's windows: customer scores, and the QA scores of the
/// inspections of the services that ended in them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingDetail {
    pub session: CoachingSession,
    pub before: PlanWindow,
    /// Once the 30 days after have passed.
    pub after: Option<PlanWindow>,
    /// Mean total score after minus before, when both exist.
    pub change: Option<f64>,
    pub qa_before: QaWindow,
    pub qa_after: Option<QaWindow>,
    /// The QA plan whose report (`/qa/plans/{id}/report?coaching=`) compares the agent's
    /// inspections before and after the session, for those who may read it (a lead, an
    /// admin): the plan of the inspection it was recorded from, else the latest with an
    /// inspection of the agent's services in the two windows.
    #[serde(default)]
    pub qa_report_plan: Option<i64>,
}

/// The QA scores (1-5) of the inspections of an agent's services that ended in a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QaWindow {
    pub count: u64,
    pub average: Option<f64>,
}

/// How many sessions each state holds under the other filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingCounts {
    pub awaiting: u64,
    pub acknowledged: u64,
    pub followed_up: u64,
}

impl CoachingCounts {
    /// The count of a state; `None` is every session.
    pub fn of(&self, state: Option<CoachingState>) -> u64 {
        match state {
            None => self.awaiting + self.acknowledged + self.followed_up,
            Some(CoachingState::Awaiting) => self.awaiting,
            Some(CoachingState::Acknowledged) => self.acknowledged,
            Some(CoachingState::FollowedUp) => self.followed_up,
        }
    }
}

/// An agent the list's filter offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingAgent {
    pub no: String,
    pub name: String,
}

/// `GET /coaching`: one page of sessions, those awaiting acknowledgement first, then newest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingPage {
    pub items: Vec<CoachingSession>,
    /// Sessions matching every filter.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// Per state, under the other filters.
    pub counts: CoachingCounts,
    /// Sessions whose follow-up is overdue, under the other filters.
    pub overdue: u64,
    /// What the agent filter offers (empty for an agent).
    pub agents: Vec<CoachingAgent>,
}

/// `GET /coaching/draft`: what the form of a new session starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingDraft {
    /// The agent, when the source or the request names one.
    pub agent: Option<CoachingAgent>,
    pub source: Option<CoachingSource>,
    /// The targets to choose from: the inspection's checklist items, else the dimensions.
    pub choices: Vec<CoachingTarget>,
    /// The agents the caller may coach (their team's; every agent for an admin).
    pub agents: Vec<CoachingAgent>,
    /// The organisation's today: the follow-up comes after it.
    pub today: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn session() -> NewCoaching {
        NewCoaching {
            agent_no: Some("E1001".into()),
            source: None,
            discussion: "  Greeting and closing lines  ".into(),
            targets: vec![CoachingTargetRef {
                kind: CoachingTargetKind::Dimension,
                code: "attitude".into(),
            }],
            action: "Use the closing script".into(),
            follow_up_date: day("2026-12-10"),
        }
    }

    fn codes(e: Vec<FieldError>) -> Vec<(String, String)> {
        e.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_good_session_is_trimmed() {
        let checked = session().check(day("2026-12-07")).unwrap();
        assert_eq!(checked.discussion, "Greeting and closing lines");
        assert_eq!(checked.action, "Use the closing script");
    }

    #[test]
    fn an_empty_discussion_is_refused() {
        let s = NewCoaching {
            discussion: "   ".into(),
            ..session()
        };
        assert_eq!(
            codes(s.check(day("2026-12-07")).unwrap_err()),
            [("discussion".to_owned(), "required".to_owned())]
        );
    }

    #[test]
    fn the_follow_up_comes_after_today() {
        let today = day("2026-12-10");
        let e = session().check(today).unwrap_err();
        assert_eq!(
            codes(e),
            [("follow_up_date".to_owned(), "not_future".to_owned())]
        );
        let s = NewCoaching {
            follow_up_date: day("2026-12-01"),
            ..session()
        };
        assert!(s.check(today).is_err());
        assert!(session().check(day("2026-12-09")).is_ok());
    }

    #[test]
    fn too_long_texts_are_refused() {
        let s = NewCoaching {
            discussion: "话".repeat(DISCUSSION_MAX_CHARS + 1),
            action: "a".repeat(ACTION_MAX_CHARS + 1),
            ..session()
        };
        assert_eq!(
            codes(s.check(day("2026-12-07")).unwrap_err()),
            [
                ("discussion".to_owned(), "too_long".to_owned()),
                ("action".to_owned(), "too_long".to_owned())
            ]
        );
        let fits = NewCoaching {
            discussion: "话".repeat(DISCUSSION_MAX_CHARS),
            ..session()
        };
        assert!(fits.check(day("2026-12-07")).is_ok());
        let comment = CoachingAcknowledgement {
            comment: Some("x".repeat(ACTION_MAX_CHARS + 1)),
        };
        assert_eq!(codes(comment.check().unwrap_err())[0].1, "too_long");
    }

    #[test]
    fn targets_are_not_repeated_and_an_agent_or_a_source_is_named() {
        let mut s = session();
        s.targets.push(s.targets[0].clone());
        s.agent_no = None;
        assert_eq!(
            codes(s.check(day("2026-12-07")).unwrap_err()),
            [
                ("targets".to_owned(), "duplicate".to_owned()),
                ("agent_no".to_owned(), "required".to_owned())
            ]
        );
        let from_plan = NewCoaching {
            agent_no: None,
            source: Some(CoachingSource {
                kind: CoachingSourceKind::Plan,
                reference: "12".into(),
            }),
            ..session()
        };
        assert!(from_plan.check(day("2026-12-07")).is_ok());
    }

    #[test]
    fn a_blank_comment_is_none_and_a_control_character_is_refused() {
        let blank = CoachingAcknowledgement {
            comment: Some("  ".into()),
        };
        assert_eq!(blank.check(), Ok(None));
        let bad = CoachingAcknowledgement {
            comment: Some("ok\u{7}".into()),
        };
        assert_eq!(codes(bad.check().unwrap_err())[0].1, "control_character");
    }

    #[test]
    fn the_form_is_prefilled_from_its_source() {
        assert_eq!(
            new_coaching_href(CoachingSourceKind::Evaluation, "PJ20261122-000123"),
            "/coaching/new?source_kind=evaluation&source_ref=PJ20261122-000123"
        );
        assert_eq!(
            new_coaching_href(CoachingSourceKind::Plan, "1 2&"),
            "/coaching/new?source_kind=plan&source_ref=1%202%26"
        );
        assert_eq!(coaching_href(7), "/coaching/7");
    }

    #[test]
    fn a_session_is_acknowledged_then_followed_up() {
        use CoachingState::*;
        assert_eq!(CoachingState::of(false, false), Awaiting);
        assert_eq!(CoachingState::of(true, false), Acknowledged);
        assert_eq!(CoachingState::of(true, true), FollowedUp);
        assert!(Awaiting.may_acknowledge());
        assert!(!Acknowledged.may_acknowledge());
        assert!(!FollowedUp.may_acknowledge());
        assert!(!Awaiting.may_follow_up());
        assert!(Acknowledged.may_follow_up());
        assert!(!FollowedUp.may_follow_up());
    }

    #[test]
    fn a_follow_up_is_overdue_after_its_day_until_done() {
        let due = day("2026-12-10");
        assert!(!follow_up_overdue(CoachingState::Awaiting, due, due));
        assert!(follow_up_overdue(
            CoachingState::Acknowledged,
            due,
            day("2026-12-11")
        ));
        assert!(follow_up_overdue(
            CoachingState::Awaiting,
            due,
            day("2026-12-11")
        ));
        assert!(!follow_up_overdue(
            CoachingState::FollowedUp,
            due,
            day("2026-12-11")
        ));
    }
}
