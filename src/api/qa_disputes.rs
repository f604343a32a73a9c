//! Disputes of a QA score (质检申诉): the agent's (or team lead's) form and filing under
//! `/me/qa/samples/{id}/dispute`, the reviewers' list, one dispute and its decision under
//! `/qa/disputes`, and an inspection's versions.

use pingjia_domain::qa::{
    DEFAULT_DISPUTES_PER_PAGE, Dispute, DisputeDecision, DisputeForm, DisputePage, DisputeStatus,
    InspectionVersion, NewDispute,
};
use serde::{Deserialize, Serialize};

use super::client;
use super::error::ApiError;
use super::query;

/// The problem code of a dispute filed past its window.
pub const WINDOW_CLOSED: &str = "dispute_window_closed";
/// The problem code of a second dispute of one inspection.
pub const DISPUTE_EXISTS: &str = "dispute_exists";
/// The problem code of the original inspector deciding.
pub const OWN_INSPECTION: &str = "own_inspection";
/// The problem code of a dispute decided already.
pub const DISPUTE_DECIDED: &str = "dispute_decided";

/// The filters and page of `GET /qa/disputes`, as the list's address carries them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DisputeQuery {
    /// The tab: open or decided.
    pub status: Option<DisputeStatus>,
    pub plan_id: Option<i64>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
}

/// `GET /me/qa/samples/{id}/dispute`: what may be disputed, until when, and the dispute.
pub async fn form(sample: i64) -> Result<DisputeForm, ApiError> {
    client::get(&format!("/me/qa/samples/{sample}/dispute")).await
}

/// `POST /me/qa/samples/{id}/dispute`: files it (422 with field errors, 409
/// [`WINDOW_CLOSED`] or [`DISPUTE_EXISTS`]).
pub async fn file(sample: i64, dispute: &NewDispute) -> Result<Dispute, ApiError> {
    client::post(&format!("/me/qa/samples/{sample}/dispute"), dispute).await
}

/// `GET /qa/disputes`: one page, what waits longest first.
pub async fn list(q: &DisputeQuery) -> Result<DisputePage, ApiError> {
    let paging = query::Paging {
        page: Some(q.page.max(1)),
        per_page: Some(DEFAULT_DISPUTES_PER_PAGE),
    };
    client::get(&query::paged_href("/qa/disputes", q, paging)).await
}

/// `GET /qa/disputes/{id}`.
pub async fn dispute(id: i64) -> Result<Dispute, ApiError> {
    client::get(&format!("/qa/disputes/{id}")).await
}

/// `POST /qa/disputes/{id}/decision` (422 with field errors, 409 [`OWN_INSPECTION`] or
/// [`DISPUTE_DECIDED`]).
pub async fn decide(id: i64, decision: &DisputeDecision) -> Result<Dispute, ApiError> {
    client::post(&format!("/qa/disputes/{id}/decision"), decision).await
}

/// `GET /qa/samples/{id}/versions`: the original and each decided change.
pub async fn versions(sample: i64) -> Result<Vec<InspectionVersion>, ApiError> {
    client::get(&format!("/qa/samples/{sample}/versions")).await
}
