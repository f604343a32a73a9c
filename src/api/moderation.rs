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
use serde::{Deserialize, Serialize};

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;
use super::query;

/// The filters and page of `GET /moderation/queue`; `None` filters match every item. Its serde
/// fields are the filters as the queue's address and the API carry them (the status only when
/// it is not the default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    #[serde(skip_serializing_if = "is_under_review")]
    pub status: QueueStatus,
    pub rule: Option<AnomalyRule>,
    pub agent_id: Option<i64>,
    /// First day submitted (China time), inclusive.
    pub from: Option<NaiveDate>,
    /// Last day submitted, inclusive.
    pub to: Option<NaiveDate>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
    #[serde(skip)]
    pub per_page: u32,
}

fn is_under_review(status: &QueueStatus) -> bool {
    *status == QueueStatus::UnderReview
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

/// `GET /moderation/queue`: one page of the queue.
pub async fn queue(query: &QueueQuery) -> Result<ReviewPage, ApiError> {
    let paging = query::Paging {
        page: Some(query.page.max(1)),
        per_page: Some(query.per_page),
    };
    client::get(&query::paged_href("/moderation/queue", query, paging)).await
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

/// The filters and page of `GET /audit-log`; `None` filters match every entry. Its serde fields
/// are the filters as the log's address and the API carry them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// An action name, e.g. `evaluation.deleted`.
    #[serde(
        serialize_with = "query::trimmed",
        skip_serializing_if = "query::is_blank"
    )]
    pub action: Option<String>,
    /// A user's id, staff or customer number, or part of their name.
    #[serde(
        serialize_with = "query::trimmed",
        skip_serializing_if = "query::is_blank"
    )]
    pub actor: Option<String>,
    #[serde(
        serialize_with = "query::trimmed",
        skip_serializing_if = "query::is_blank"
    )]
    pub target_type: Option<String>,
    /// The target's id as logged, e.g. an evaluation's number.
    #[serde(
        serialize_with = "query::trimmed",
        skip_serializing_if = "query::is_blank"
    )]
    pub target_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
}

/// `GET /audit-log`: one page of entries, newest first, with every action name the log holds.
pub async fn audit_log(query: &AuditQuery) -> Result<AuditLogPage, ApiError> {
    let paging = query::Paging {
        page: Some(query.page.max(1)),
        per_page: None,
    };
    client::get(&query::paged_href("/audit-log", query, paging)).await
}
