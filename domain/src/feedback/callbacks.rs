//! Low-score callbacks (回访): a team lead calls back a customer who gave a low overall score.
//! A call may not reach the customer (未接通, 号码错误): the task stays open with its attempts
//! and the time of the next one, until a call reaches them (已解决, 已安抚, 已升级) or the set
//! number of calls has failed, which closes it as unreachable (无法联系).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{REASON_MIN_CHARS, TEXT_MAX_CHARS};
use crate::problem::{FieldError, Lines, control_error};

/// Callbacks on a page, by default and at most.
pub const DEFAULT_CALLBACKS_PER_PAGE: u32 = 10;
pub const MAX_CALLBACKS_PER_PAGE: u32 = 100;
/// The next attempt is at most this many days after a failed call.
pub const NEXT_ATTEMPT_MAX_DAYS: i64 = 14;

closed_list! {
    /// How a callback ended.
    pub enum CallbackOutcome {
        /// The customer's problem is solved.
        Resolved = "resolved" ("已解决", "Resolved"),
        /// Not solved, but the customer accepts what was offered.
        Appeased = "appeased" ("已安抚", "Appeased"),
        /// Handed on (a manager, another department).
        Escalated = "escalated" ("已升级", "Escalated"),
        /// The set number of calls failed (no answer, wrong number).
        Unreachable = "unreachable" ("无法联系", "Unreachable"),
    }
}

closed_list! {
    /// What one call came to: the customer reached (and how it ended), or not.
    pub enum CallResult {
        Resolved = "resolved" ("已解决", "Resolved"),
        Appeased = "appeased" ("已安抚", "Appeased"),
        Escalated = "escalated" ("已升级", "Escalated"),
        /// Nobody answered (or the line was busy).
        NoAnswer = "no_answer" ("未接通", "No answer"),
        /// The number is not the customer's, or not a number in service.
        WrongNumber = "wrong_number" ("号码错误", "Wrong number"),
    }
}

impl CallResult {
    /// How the task ends when a call reaches the customer; `None` for a failed call.
    pub fn outcome(self) -> Option<CallbackOutcome> {
        match self {
            CallResult::Resolved => Some(CallbackOutcome::Resolved),
            CallResult::Appeased => Some(CallbackOutcome::Appeased),
            CallResult::Escalated => Some(CallbackOutcome::Escalated),
            CallResult::NoAnswer | CallResult::WrongNumber => None,
        }
    }
}

/// A call that did not reach the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallbackAttempt {
    /// `no_answer` or `wrong_number`.
    pub result: CallResult,
    pub notes: Option<String>,
    pub at: DateTime<Utc>,
    pub by: String,
    /// When the lead means to call again; `None` when this call closed the task.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// A low-score callback task (回访) for the agent's team lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallbackTask {
    pub id: i64,
    pub evaluation_number: String,
    pub overall: u8,
    pub total_score: f64,
    pub suggestion: Option<String>,
    pub agent_no: String,
    pub agent_name: String,
    pub team_name: Option<String>,
    pub customer_name: String,
    /// The number to call: staff who call back need it whole.
    pub customer_phone: Option<String>,
    pub service_type_name_zh: String,
    pub service_type_name_en: String,
    pub created_at: DateTime<Utc>,
    /// When the next call is due: a working day after it opened, then the next attempt's time
    /// after a failed call.
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
    pub outcome: Option<CallbackOutcome>,
    pub notes: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<String>,
    /// The calls that did not reach the customer, oldest first.
    pub attempts: Vec<CallbackAttempt>,
    /// Failed calls after which the task closes as unreachable (the setting).
    pub max_attempts: u32,
}

impl CallbackTask {
    /// Whether the next failed call closes the task as unreachable.
    pub fn last_attempt(&self) -> bool {
        is_last_attempt(self.attempts.len(), self.max_attempts)
    }
}

/// Whether a failed call after `failed` failed ones closes the task (`max_attempts` of them).
pub fn is_last_attempt(failed: usize, max_attempts: u32) -> bool {
    failed + 1 >= max_attempts as usize
}

/// `POST /callbacks/{id}`: a call, made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallbackRecord {
    pub outcome: CallResult,
    /// What was said: required when the customer was reached, optional after a failed call.
    #[serde(default)]
    pub notes: String,
    /// After a failed call that does not close the task: when to call again (in the next
    /// 14 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// A call as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckedCall {
    /// The customer was reached: the task ends with this outcome.
    Reached {
        outcome: CallbackOutcome,
        notes: String,
    },
    /// Not reached; the task is due again at `next_attempt_at`, or closes as unreachable when
    /// that is `None` (the last attempt).
    Failed {
        result: CallResult,
        notes: Option<String>,
        next_attempt_at: Option<DateTime<Utc>>,
    },
}

impl CallbackRecord {
    /// The call as recorded, or what is wrong, for a task with `failed` failed calls so far
    /// of at most `max_attempts`, at `now`.
    pub fn check(
        &self,
        failed: usize,
        max_attempts: u32,
        now: DateTime<Utc>,
    ) -> Result<CheckedCall, Vec<FieldError>> {
        let notes = self.notes.trim();
        let mut errors = Vec::new();
        errors.extend(control_error("notes", notes, Lines::Multi));
        let n = notes.chars().count();
        if n > TEXT_MAX_CHARS {
            errors.push(FieldError::new(
                "notes",
                "too_long",
                format!("at most {TEXT_MAX_CHARS} characters"),
            ));
        }
        let Some(outcome) = self.outcome.outcome() else {
            let last = is_last_attempt(failed, max_attempts);
            let next_attempt_at = if last {
                None
            } else {
                match self.next_attempt_at {
                    None => {
                        errors.push(FieldError::new(
                            "next_attempt_at",
                            "required",
                            "choose when to call again",
                        ));
                        None
                    }
                    Some(at) if at <= now => {
                        errors.push(FieldError::new(
                            "next_attempt_at",
                            "past",
                            "the next attempt must be later than now",
                        ));
                        None
                    }
                    Some(at) if at > now + Duration::days(NEXT_ATTEMPT_MAX_DAYS) => {
                        errors.push(FieldError::new(
                            "next_attempt_at",
                            "too_far",
                            format!("call again within {NEXT_ATTEMPT_MAX_DAYS} days"),
                        ));
                        None
                    }
                    Some(at) => Some(at),
                }
            };
            return if errors.is_empty() {
                Ok(CheckedCall::Failed {
                    result: self.outcome,
                    notes: (!notes.is_empty()).then(|| notes.to_owned()),
                    next_attempt_at,
                })
            } else {
                Err(errors)
            };
        };
        if errors.is_empty() && n < REASON_MIN_CHARS {
            errors.push(FieldError::new(
                "notes",
                "required",
                "note what was said on the call",
            ));
        }
        if errors.is_empty() {
            Ok(CheckedCall::Reached {
                outcome,
                notes: notes.to_owned(),
            })
        } else {
            Err(errors)
        }
    }
}

/// `GET /callbacks`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct CallbackQuery {
    /// `true`: open tasks only (default); `false`: done ones only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<bool>,
    /// Only the task of this evaluation (the number), open or done: the link of a
    /// notification about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The page, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Tasks on a page (10 by default, at most 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub per_page: Option<u32>,
}

/// `GET /callbacks`: a page of the tasks, with how many there are of each tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallbackPage {
    /// Open ones due soonest first (overdue first), or done ones latest first.
    pub callbacks: Vec<CallbackTask>,
    /// Tasks in the tab asked for.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// Open tasks, and of them overdue ones; done ones.
    pub open: u64,
    pub overdue: u64,
    pub done: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap()
    }

    fn call(outcome: CallResult, notes: &str, next: Option<i64>) -> CallbackRecord {
        CallbackRecord {
            outcome,
            notes: notes.into(),
            next_attempt_at: next.map(|hours| now() + Duration::hours(hours)),
        }
    }

    #[test]
    fn a_reached_customer_needs_notes_and_ends_the_task() {
        let c = |notes: &str| call(CallResult::Resolved, notes, None).check(0, 3, now());
        assert_eq!(
            c(" 已电话致歉并补发 "),
            Ok(CheckedCall::Reached {
                outcome: CallbackOutcome::Resolved,
                notes: "已电话致歉并补发".into()
            })
        );
        assert_eq!(c(" ").unwrap_err()[0].code, "required");
        // The next attempt means nothing once the customer is reached.
        let reached = call(CallResult::Escalated, "转交主管处理", Some(-5)).check(2, 3, now());
        assert!(matches!(reached, Ok(CheckedCall::Reached { .. })));
    }

    #[test]
    fn a_failed_call_needs_a_later_next_attempt_unless_it_is_the_last() {
        let failed = |next, failed| call(CallResult::NoAnswer, "", next).check(failed, 3, now());
        assert_eq!(
            failed(Some(3), 0),
            Ok(CheckedCall::Failed {
                result: CallResult::NoAnswer,
                notes: None,
                next_attempt_at: Some(now() + Duration::hours(3)),
            })
        );
        let code = |r: Result<CheckedCall, Vec<FieldError>>| r.unwrap_err()[0].code.clone();
        assert_eq!(code(failed(None, 0)), "required");
        assert_eq!(code(failed(Some(0), 1)), "past");
        assert_eq!(code(failed(Some(15 * 24), 1)), "too_far");
        // The third failed call of three closes the task: no next attempt is asked for.
        assert_eq!(
            call(CallResult::WrongNumber, " 空号 ", None).check(2, 3, now()),
            Ok(CheckedCall::Failed {
                result: CallResult::WrongNumber,
                notes: Some("空号".into()),
                next_attempt_at: None,
            })
        );
        assert!(is_last_attempt(0, 1));
        assert!(!is_last_attempt(1, 3));
    }

    #[test]
    fn notes_are_checked_whatever_the_result() {
        let long = "长".repeat(TEXT_MAX_CHARS + 1);
        let r = call(CallResult::NoAnswer, &long, Some(2)).check(0, 3, now());
        assert_eq!(r.unwrap_err()[0].code, "too_long");
    }

    #[test]
    fn only_failed_calls_leave_the_task_open() {
        for result in CallResult::ALL {
            let failed = matches!(result, CallResult::NoAnswer | CallResult::WrongNumber);
            assert_eq!(result.outcome().is_none(), failed, "{result:?}");
        }
    }
}
