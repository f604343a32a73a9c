//! The admins' review of anomalous evaluations (`/moderation/...`: the queue, one evaluation's
//! history, decisions, the abusive-word lexicon) and the audit log (`/audit-log`).

use chrono::NaiveDate;
use gloo_net::http::Method;
use pingjia_domain::anomalies::AnomalyRule;
use pingjia_domain::audit::AuditLogPage;
use pingjia_domain::moderation::{
    AbusiveTerm, DEFAULT_QUEUE_PER_PAGE, DecisionOutcome, DecisionRequest, NewAbusiveTerm,
    QueueStatus, ReviewDetail, ReviewPage,
};

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;
use super::users::query_string;

/// A queue status as the address and the API spell it.
pub fn queue_status_str(status: QueueStatus) -> &'static str {
    match status {
        QueueStatus::UnderReview => "under_review",
        QueueStatus::Deleted => "deleted",
        QueueStatus::Kept => "kept",
    }
}

/// Reads a queue status as [`queue_status_str`] spells it.
pub fn parse_queue_status(s: &str) -> Option<QueueStatus> {
    [
        QueueStatus::UnderReview,
        QueueStatus::Deleted,
        QueueStatus::Kept,
    ]
    .into_iter()
    .find(|status| queue_status_str(*status) == s)
}

/// The filters and page of `GET /moderation/queue`; `None` filters match every item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueQuery {
    pub status: QueueStatus,
    pub rule: Option<AnomalyRule>,
    pub agent_id: Option<i64>,
    /// First day submitted (China time), inclusive.
    pub from: Option<NaiveDate>,
    /// Last day submitted, inclusive.
    pub to: Option<NaiveDate>,
    /// From 1.
    pub page: u32,
    pub per_page: u32,
}

impl Default for QueueQuery {
    fn default() -> Self {
        QueueQuery {
            status: QueueStatus::UnderReview,
            rule: None,
            agent_id: None,
            from: None,
            to: None,
            page: 1,
            per_page: DEFAULT_QUEUE_PER_PAGE,
        }
    }
}

impl QueueQuery {
    /// The filters that are set (the status only when it is not the default), as query pairs
    /// (unencoded).
    pub fn filter_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.status != QueueStatus::UnderReview {
            pairs.push(("status", queue_status_str(self.status).to_owned()));
        }
        if let Some(rule) = self.rule {
            pairs.push(("rule", rule.as_str().to_owned()));
        }
        if let Some(agent) = self.agent_id {
            pairs.push(("agent_id", agent.to_string()));
        }
        if let Some(from) = self.from {
            pairs.push(("from", from.to_string()));
        }
        if let Some(to) = self.to {
            pairs.push(("to", to.to_string()));
        }
        pairs
    }
}

/// `GET /moderation/queue`: one page of the queue.
pub async fn queue(query: &QueueQuery) -> Result<ReviewPage, ApiError> {
    let mut pairs = query.filter_pairs();
    pairs.push(("page", query.page.max(1).to_string()));
    pairs.push(("per_page", query.per_page.to_string()));
    client::get(&format!("/moderation/queue?{}", query_string(&pairs))).await
}

/// How many evaluations await a decision (the queue's total, one item fetched).
pub async fn under_review_count() -> Result<u64, ApiError> {
    let page: ReviewPage =
        client::get("/moderation/queue?status=under_review&page=1&per_page=1").await?;
    Ok(page.total)
}

/// `GET /moderation/evaluations/{id}`: one evaluation with its flags and every decision.
pub async fn review_detail(id: i64) -> Result<ReviewDetail, ApiError> {
    client::get(&format!("/moderation/evaluations/{id}")).await
}

/// `POST /moderation/decisions`: one decision with one reason on every id, all or nothing
/// (422 with one error per offending `evaluation_ids[i]`).
pub async fn decide(request: &DecisionRequest) -> Result<DecisionOutcome, ApiError> {
    client::post("/moderation/decisions", request).await
}

/// `GET /moderation/terms`: the abusive-word lexicon, alphabetically.
pub async fn terms() -> Result<Vec<AbusiveTerm>, ApiError> {
    client::get("/moderation/terms").await
}

/// `POST /moderation/terms`: adds a term (422 `term` `required`, `too_long`, `duplicate`).
pub async fn add_term(term: &NewAbusiveTerm) -> Result<AbusiveTerm, ApiError> {
    client::post("/moderation/terms", term).await
}

/// `DELETE /moderation/terms/{term}`.
pub async fn remove_term(term: &str) -> Result<(), ApiError> {
    let path = format!(
        "/moderation/terms/{}",
        String::from(js_sys::encode_uri_component(term))
    );
    client::request(
        Method::DELETE,
        &path,
        Body::Empty,
        Unauthorized::EndsSession,
    )
    .await
}

/// The filters and page of `GET /audit-log`; `None` filters match every entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// An action name, e.g. `evaluation.deleted`.
    pub action: Option<String>,
    /// A user's id, staff or customer number, or part of their name.
    pub actor: Option<String>,
    pub target_type: Option<String>,
    /// The target's id as logged, e.g. an evaluation's number.
    pub target_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// From 1.
    pub page: u32,
}

impl AuditQuery {
    /// The filters that are set, as query pairs (unencoded).
    pub fn filter_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut text = |key: &'static str, value: &Option<String>| {
            if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                pairs.push((key, value.to_owned()));
            }
        };
        text("action", &self.action);
        text("actor", &self.actor);
        text("target_type", &self.target_type);
        text("target_id", &self.target_id);
        if let Some(from) = self.from {
            pairs.push(("from", from.to_string()));
        }
        if let Some(to) = self.to {
            pairs.push(("to", to.to_string()));
        }
        pairs
    }
}

/// `GET /audit-log`: one page of entries, newest first, with every action name the log holds.
pub async fn audit_log(query: &AuditQuery) -> Result<AuditLogPage, ApiError> {
    let mut pairs = query.filter_pairs();
    pairs.push(("page", query.page.max(1).to_string()));
    client::get(&format!("/audit-log?{}", query_string(&pairs))).await
}
