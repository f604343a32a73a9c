//! Events: what happened in Pingjia that another system or a chat group may act on (issue 21),
//! the endpoints an admin registers to receive them (signed webhooks and the WeCom, DingTalk
//! and Feishu group robots), and the endpoints' retry schedule.
//!
//! An event has a stable name (its `type`, e.g. `evaluation.low_score`) and a JSON payload
//! (`data`) documented in `docs/openapi.json` under `webhooks`. Payloads carry ids and what a
//! receiver needs to act (the evaluation's number, the agent, the scores, a link), never a
//! customer's phone number or e-mail address, nor a secret.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::delivery::url_error;
use crate::problem::{FieldError, Lines, checked, control_error, name_length_error};

closed_list! {
    /// What happened: a webhook body's `type`.
    pub enum EventType {
        /// A customer rated a service.
        #[serde(rename = "evaluation.created")]
        EvaluationCreated = "evaluation.created" ("新评价", "New evaluation"),
        /// A rating at or below the callback threshold.
        #[serde(rename = "evaluation.low_score")]
        EvaluationLowScore = "evaluation.low_score" ("低分评价", "Low score"),
        /// A callback task was opened for the agent's team lead.
        #[serde(rename = "callback.opened")]
        CallbackOpened = "callback.opened" ("新回访任务", "Callback opened"),
        /// A callback task passed its due time undone.
        #[serde(rename = "callback.overdue")]
        CallbackOverdue = "callback.overdue" ("回访逾期", "Callback overdue"),
        /// A callback task was done.
        #[serde(rename = "callback.done")]
        CallbackDone = "callback.done" ("回访完成", "Callback done"),
        /// A customer appealed an evaluation.
        #[serde(rename = "appeal.filed")]
        AppealFiled = "appeal.filed" ("新申诉", "Appeal filed"),
        /// An admin approved or rejected an appeal.
        #[serde(rename = "appeal.decided")]
        AppealDecided = "appeal.decided" ("申诉已处理", "Appeal decided"),
        /// The anomaly rules flagged an evaluation for review.
        #[serde(rename = "evaluation.flagged")]
        EvaluationFlagged = "evaluation.flagged" ("评价被标记为异常", "Evaluation flagged"),
        /// A reviewer kept a flagged evaluation.
        #[serde(rename = "evaluation.kept")]
        EvaluationKept = "evaluation.kept" ("异常评价已保留", "Flagged evaluation kept"),
        /// A reviewer deleted a flagged evaluation.
        #[serde(rename = "evaluation.deleted")]
        EvaluationDeleted = "evaluation.deleted" ("异常评价已删除", "Flagged evaluation deleted"),
        /// An improvement plan is due within a working day.
        #[serde(rename = "plan.due_soon")]
        PlanDueSoon = "plan.due_soon" ("改进计划即将到期", "Plan due soon"),
        /// An improvement plan passed its due time unacknowledged.
        #[serde(rename = "plan.overdue")]
        PlanOverdue = "plan.overdue" ("改进计划逾期", "Plan overdue"),
        /// A lead sent an improvement plan back to its agent.
        #[serde(rename = "plan.sent_back")]
        PlanSentBack = "plan.sent_back" ("改进计划被退回", "Plan sent back"),
        /// An agent acknowledged an improvement plan.
        #[serde(rename = "plan.acknowledged")]
        PlanAcknowledged = "plan.acknowledged" ("改进计划已确认", "Plan acknowledged"),
        /// A QA rectification was assigned to an agent.
        #[serde(rename = "rectification.assigned")]
        RectificationAssigned = "rectification.assigned" ("整改已下发", "Rectification assigned"),
        /// A rectification passed its due time.
        #[serde(rename = "rectification.overdue")]
        RectificationOverdue = "rectification.overdue" ("整改逾期", "Rectification overdue"),
        /// A rectification was checked again.
        #[serde(rename = "rectification.rechecked")]
        RectificationRechecked = "rectification.rechecked" ("整改已复查", "Rectification re-checked"),
        /// A lead recorded a coaching session with an agent.
        #[serde(rename = "coaching.recorded")]
        CoachingRecorded = "coaching.recorded" ("新辅导记录", "Coaching recorded"),
        /// An agent acknowledged a coaching session.
        #[serde(rename = "coaching.acknowledged")]
        CoachingAcknowledged = "coaching.acknowledged" ("辅导记录已确认", "Coaching acknowledged"),
        /// An agent (or their lead) disputed a QA inspection.
        #[serde(rename = "dispute.filed")]
        DisputeFiled = "dispute.filed" ("新质检申诉", "QA dispute filed"),
        /// A reviewer decided a QA dispute.
        #[serde(rename = "dispute.decided")]
        DisputeDecided = "dispute.decided" ("质检申诉已裁定", "QA dispute decided"),
        /// A scheduled report was built.
        #[serde(rename = "report.ready")]
        ReportReady = "report.ready" ("报告已生成", "Report ready"),
    }
}

/// The `type` of the event a "send test event" posts (not an [`EventType`]: nothing happened).
pub const TEST_EVENT: &str = "webhook.test";

closed_list! {
    /// How an endpoint receives events.
    pub enum EndpointKind {
        /// A JSON POST signed as Standard Webhooks says (`webhook-id`, `webhook-timestamp`,
        /// `webhook-signature`), with a secret Pingjia makes.
        Webhook = "webhook" ("Webhook（签名）", "Webhook (signed)"),
        /// A WeCom (企业微信) group robot: a markdown message.
        Wecom = "wecom" ("企业微信群机器人", "WeCom group robot"),
        /// A DingTalk (钉钉) group robot: a markdown message, the URL signed with the robot's
        /// secret when it has one (加签).
        Dingtalk = "dingtalk" ("钉钉群机器人", "DingTalk group robot"),
        /// A Feishu (飞书) group robot: an interactive card, signed with the robot's secret when
        /// it has one (签名校验).
        Feishu = "feishu" ("飞书群机器人", "Feishu group robot"),
    }
}

impl EndpointKind {
    /// Whether Pingjia makes the secret (a signed webhook) rather than the admin giving the
    /// chat robot's.
    pub fn makes_secret(self) -> bool {
        self == EndpointKind::Webhook
    }
}

/// Attempts of one event at one endpoint before the endpoint is disabled.
pub const ENDPOINT_MAX_ATTEMPTS: u32 = 8;

/// The wait before the next attempt at an endpoint after `attempts` failed ones: 5 seconds,
/// 5 and 30 minutes, 2, 5, 10 and 10 hours (27.6 hours in all); `None` once
/// [`ENDPOINT_MAX_ATTEMPTS`] have failed, when the endpoint is disabled.
pub fn endpoint_retry_delay(attempts: u32) -> Option<Duration> {
    const SCHEDULE: [i64; 7] = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    SCHEDULE.get(index).map(|s| Duration::seconds(*s))
}

/// An endpoint as admins see it (`GET /webhook-endpoints`); its secret is never answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Endpoint {
    pub id: i64,
    pub name: String,
    pub kind: EndpointKind,
    pub url: String,
    /// The events sent to it.
    pub events: Vec<EventType>,
    /// Only events of these teams (of the evaluation's agent); every team when empty.
    pub team_ids: Vec<i64>,
    /// Only events of these service types (codes); every type when empty.
    pub service_types: Vec<String>,
    pub enabled: bool,
    /// Why it was disabled (by hand, or after a day of failed attempts).
    pub disabled_reason: Option<String>,
    pub has_secret: bool,
    /// Its deliveries waiting for their first or next attempt.
    pub waiting: u64,
    /// Its deliveries given up.
    pub failed: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /webhook-endpoints` and `PUT /webhook-endpoints/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndpointInput {
    /// What admins call it (1–60 characters).
    pub name: String,
    pub kind: EndpointKind,
    /// `http://` or `https://`; for a robot, the address its group gave (with its key or
    /// token).
    pub url: String,
    /// At least one.
    pub events: Vec<EventType>,
    #[serde(default)]
    pub team_ids: Vec<i64>,
    #[serde(default)]
    pub service_types: Vec<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// A DingTalk or Feishu robot's signing secret, when its group set one; ignored for a
    /// signed webhook (Pingjia makes that one). On `PUT`, leaving it out keeps the stored one;
    /// an empty text removes it.
    #[serde(default)]
    pub secret: Option<String>,
}

fn yes() -> bool {
    true
}

/// At most this many teams or service types in an endpoint's filter.
pub const MAX_FILTER: usize = 200;

impl EndpointInput {
    /// Trimmed, checked: every field's problem at once.
    pub fn check(&self) -> Result<EndpointInput, Vec<FieldError>> {
        let name = self.name.trim().to_owned();
        let url = self.url.trim().to_owned();
        let secret = self.secret.as_ref().map(|s| s.trim().to_owned());
        let mut errors: Vec<FieldError> = Vec::new();
        errors.extend(name_length_error(
            "name",
            &name,
            "a name for the endpoint",
            60,
        ));
        errors.extend(url_error("url", &url));
        if self.events.is_empty() {
            errors.push(FieldError::new(
                "events",
                "required",
                "at least one event to send",
            ));
        }
        if self.team_ids.len() > MAX_FILTER {
            errors.push(FieldError::new(
                "team_ids",
                "too_many",
                format!("at most {MAX_FILTER} teams"),
            ));
        }
        if self.service_types.len() > MAX_FILTER {
            errors.push(FieldError::new(
                "service_types",
                "too_many",
                format!("at most {MAX_FILTER} service types"),
            ));
        }
        for (i, code) in self.service_types.iter().enumerate() {
            errors.extend(control_error(
                format!("service_types[{i}]"),
                code,
                Lines::Single,
            ));
        }
        if let Some(secret) = &secret {
            errors.extend(control_error("secret", secret, Lines::Single));
            if secret.chars().count() > 200 {
                errors.push(FieldError::new(
                    "secret",
                    "too_long",
                    "at most 200 characters",
                ));
            }
        }
        let mut events = self.events.clone();
        events.sort_by_key(|e| e.as_str());
        events.dedup();
        let mut team_ids = self.team_ids.clone();
        team_ids.sort_unstable();
        team_ids.dedup();
        let mut service_types: Vec<String> = self
            .service_types
            .iter()
            .map(|s| s.trim().to_owned())
            .collect();
        service_types.sort();
        service_types.dedup();
        checked(
            errors,
            EndpointInput {
                name,
                kind: self.kind,
                url,
                events,
                team_ids,
                service_types,
                enabled: self.enabled,
                secret,
            },
        )
    }
}

/// An endpoint saved, with its new signing secret (`whsec_…`) when one was made: shown this
/// once, never again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndpointSaved {
    pub endpoint: Endpoint,
    pub secret: Option<String>,
}

/// `GET /webhook-endpoints`: a page of the endpoints, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndpointPage {
    pub items: Vec<Endpoint>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// One attempt's request and answer, as an endpoint's delivery log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndpointDelivery {
    #[serde(flatten)]
    pub entry: crate::delivery::DeliveryEntry,
    /// The body posted (JSON), as signed.
    pub request_body: String,
    /// The receiver's last answer (`HTTP 200`, with the start of its body), or none before
    /// the first attempt.
    pub response: Option<String>,
}

/// `GET /webhook-endpoints/{id}/deliveries`: a page of one endpoint's deliveries, newest
/// first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndpointDeliveryPage {
    pub items: Vec<EndpointDelivery>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

// ---------------------------------------------------------------------------------------------
// The payloads (`data` of a webhook's body)

/// A webhook's body, as Standard Webhooks suggests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventEnvelope<T> {
    /// The event's name (`evaluation.low_score`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// When it happened (RFC 3339, seconds).
    pub timestamp: String,
    pub data: T,
}

/// An agent as a payload names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventAgent {
    pub id: i64,
    /// The agent's work number (工号).
    pub agent_no: Option<String>,
    pub name: String,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
}

/// `data` of `evaluation.created` and `evaluation.low_score` (and of `evaluation.flagged`,
/// `evaluation.kept`, `evaluation.deleted`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationEvent {
    /// The evaluation's number (`PJ20261204-000123`).
    pub number: String,
    pub service_record_id: i64,
    /// The helpdesk's reference of the service, when it gave one.
    pub external_ref: Option<String>,
    /// The service type's code.
    pub service_type: String,
    pub agent: EventAgent,
    /// The overall rating, 1–5 stars.
    pub overall: u8,
    /// The total score, 0–100.
    pub total_score: f64,
    /// The customer's suggestion, if any.
    pub suggestion: Option<String>,
    pub submitted_at: DateTime<Utc>,
    /// Where staff open it in Pingjia.
    pub link: String,
}

/// `data` of `callback.opened`, `callback.overdue` and `callback.done`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallbackEvent {
    pub evaluation: EvaluationEvent,
    /// When the callback is due (one working day after the rating).
    pub due_at: DateTime<Utc>,
}

/// `data` of `appeal.filed` and `appeal.decided`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealEvent {
    pub appeal_id: i64,
    /// The appealed evaluation's number.
    pub evaluation_number: String,
    pub agent: EventAgent,
    pub status: crate::appeals::AppealStatus,
    /// The customer's reason.
    pub reason: String,
    /// The admin's note with the decision.
    pub decision_note: Option<String>,
    pub filed_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Where staff open it in Pingjia.
    pub link: String,
}

/// `data` of `plan.due_soon`, `plan.overdue`, `plan.sent_back` and `plan.acknowledged`: an
/// agent's improvement plan for a low-scored evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanEvent {
    pub plan_id: i64,
    pub evaluation: EvaluationEvent,
    /// `open`, `submitted`, `sent_back` or `acknowledged`.
    pub status: String,
    pub due_at: DateTime<Utc>,
    /// The lead's comment with the review.
    pub review_comment: Option<String>,
    /// Where staff open the plan in Pingjia.
    pub link: String,
}

/// `data` of `rectification.assigned`, `rectification.overdue` and
/// `rectification.rechecked`: a QA finding its owner must put right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationEvent {
    pub rectification_id: i64,
    pub owner: EventAgent,
    /// The checklist item found wanting.
    pub item: String,
    /// The last day to put it right (China date).
    pub deadline: chrono::NaiveDate,
    /// `open`, `reported` or `closed`.
    pub status: String,
    /// The re-check's result: `rectified`, `not_rectified` or `ongoing`.
    pub result: Option<String>,
    pub check_note: Option<String>,
    /// Where staff open it in Pingjia.
    pub link: String,
}

/// `data` of `coaching.recorded` and `coaching.acknowledged`: a coaching session (辅导记录)
/// of an agent with their lead. What was discussed and the agent's comment stay in Pingjia.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingEvent {
    pub coaching_id: i64,
    pub agent: EventAgent,
    /// Who recorded it (the agent's team lead, or an admin).
    pub coach_id: i64,
    pub coach_name: String,
    /// The action agreed.
    pub action: String,
    /// The day the lead follows it up (China date).
    pub follow_up_date: chrono::NaiveDate,
    pub state: crate::feedback::CoachingState,
    pub recorded_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Where staff open it in Pingjia.
    pub link: String,
}

/// One disputed checklist item of a [`DisputeEvent`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeEventItem {
    pub item_id: i64,
    /// The checklist item (its Chinese name).
    pub item: String,
    /// What the reviewer decided, once decided.
    pub outcome: Option<crate::qa::DisputeOutcome>,
}

/// `data` of `dispute.filed` and `dispute.decided`: a dispute (质检申诉) of a QA inspection's
/// items by its agent or their team lead, decided by another inspector or an admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeEvent {
    pub dispute_id: i64,
    /// The sampled record whose inspection is disputed.
    pub sample_id: i64,
    pub plan_id: i64,
    pub plan_name: String,
    /// The helpdesk's reference of the inspected service.
    pub external_ref: String,
    pub agent: EventAgent,
    /// The inspector of the disputed inspection (never its reviewer).
    pub inspector_id: i64,
    pub status: crate::qa::DisputeStatus,
    pub items: Vec<DisputeEventItem>,
    /// The QA score (1–5) before the decision, and after it once decided.
    pub qa_score_before: f64,
    pub qa_score_after: Option<f64>,
    pub filed_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Where reviewers open it in Pingjia.
    pub link: String,
}

/// `data` of `report.ready`: a weekly or monthly report built and kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportEvent {
    pub report_id: i64,
    /// `week` or `month`.
    pub kind: String,
    /// `2026-W48`, `2026-11`.
    pub key: String,
    /// The team it is of; the whole organisation when none.
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// Where staff read it in Pingjia.
    pub link: String,
}

/// `data` of `webhook.test`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestEvent {
    pub endpoint_id: i64,
    /// Words for the people watching the receiver.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_are_the_codes_on_the_wire() {
        for event in EventType::ALL {
            let json = serde_json::to_string(&event).unwrap();
            assert_eq!(json, format!("\"{}\"", event.as_str()));
            assert_eq!(serde_json::from_str::<EventType>(&json).unwrap(), event);
        }
    }

    #[test]
    fn an_endpoint_is_retried_for_more_than_a_day_then_given_up() {
        let waits: Vec<Duration> = (1..ENDPOINT_MAX_ATTEMPTS)
            .map(|a| endpoint_retry_delay(a).unwrap())
            .collect();
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
        let total: Duration = waits.iter().copied().sum();
        assert!(total > Duration::hours(24) && total < Duration::hours(30));
        assert_eq!(endpoint_retry_delay(0), None);
        assert_eq!(endpoint_retry_delay(ENDPOINT_MAX_ATTEMPTS), None);
    }

    #[test]
    fn an_endpoint_needs_a_name_an_address_and_an_event() {
        let input = EndpointInput {
            name: "  ".into(),
            kind: EndpointKind::Webhook,
            url: "ftp://x".into(),
            events: vec![],
            team_ids: vec![],
            service_types: vec![],
            enabled: true,
            secret: Some("a\u{0}b".into()),
        };
        let errors = input.check().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "url", "events", "secret"]);
        let ok = EndpointInput {
            name: " Helpdesk ".into(),
            url: " http://127.0.0.1:9/hook ".into(),
            events: vec![
                EventType::AppealFiled,
                EventType::EvaluationLowScore,
                EventType::AppealFiled,
            ],
            secret: None,
            team_ids: vec![3, 1, 3],
            ..input
        }
        .check()
        .unwrap();
        assert_eq!(ok.name, "Helpdesk");
        assert_eq!(ok.url, "http://127.0.0.1:9/hook");
        assert_eq!(
            ok.events,
            [EventType::AppealFiled, EventType::EvaluationLowScore]
        );
        assert_eq!(ok.team_ids, [1, 3]);
    }
}
