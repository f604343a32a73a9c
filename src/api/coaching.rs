//! Coaching sessions (辅导记录): `/coaching/...`.

use chrono::NaiveDate;
use pingjia_domain::feedback::{
    CoachingAcknowledgement, CoachingDetail, CoachingDraft, CoachingPage, CoachingSession,
    CoachingSourceKind, CoachingState, DEFAULT_COACHING_PER_PAGE, NewCoaching,
};
use serde::{Deserialize, Serialize};

use super::client;
use super::error::ApiError;
use super::query;

/// 409: the agent acknowledged the session already.
pub const COACHING_ACKNOWLEDGED: &str = "coaching_acknowledged";
/// 409: the follow-up waits for the agent's acknowledgement, or was recorded already.
pub const COACHING_NOT_ACKNOWLEDGED: &str = "coaching_not_acknowledged";

/// The filters and page of `GET /coaching` (and of the list's address).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CoachingQuery {
    pub state: Option<CoachingState>,
    #[serde(skip_serializing_if = "query::is_blank")]
    pub agent_no: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
}

impl CoachingQuery {
    /// Whether a filter besides the state is set.
    pub fn filtered(&self) -> bool {
        !query::is_blank(&self.agent_no) || self.from.is_some() || self.to.is_some()
    }
}

/// What a new session's form starts from (and its address carries).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DraftQuery {
    #[serde(skip_serializing_if = "query::is_blank")]
    pub agent_no: Option<String>,
    pub source_kind: Option<CoachingSourceKind>,
    #[serde(skip_serializing_if = "query::is_blank")]
    pub source_ref: Option<String>,
}

/// `GET /coaching`: one page, what awaits acknowledgement first.
pub async fn list(filter: &CoachingQuery) -> Result<CoachingPage, ApiError> {
    let paging = query::Paging {
        page: Some(filter.page.max(1)),
        per_page: Some(DEFAULT_COACHING_PER_PAGE),
    };
    client::get(&query::paged_href("/coaching", filter, paging)).await
}

/// `GET /coaching/draft`: the agent, the targets to choose from, today.
pub async fn draft(filter: &DraftQuery) -> Result<CoachingDraft, ApiError> {
    client::get(&query::with_query(
        "/coaching/draft",
        &query::to_query(filter),
    ))
    .await
}

/// `POST /coaching` (422 with field errors, 403 another team's agent).
pub async fn record(body: &NewCoaching) -> Result<CoachingSession, ApiError> {
    client::post("/coaching", body).await
}

/// `GET /coaching/{id}`: the session with the scores before and after it.
pub async fn get(id: i64) -> Result<CoachingDetail, ApiError> {
    client::get(&format!("/coaching/{id}")).await
}

/// `POST /coaching/{id}/acknowledge` (409 [`COACHING_ACKNOWLEDGED`], 422 `comment`).
pub async fn acknowledge(
    id: i64,
    body: &CoachingAcknowledgement,
) -> Result<CoachingSession, ApiError> {
    client::post(&format!("/coaching/{id}/acknowledge"), body).await
}

/// `POST /coaching/{id}/follow-up` (409 [`COACHING_NOT_ACKNOWLEDGED`]).
pub async fn follow_up(id: i64) -> Result<CoachingSession, ApiError> {
    client::post(&format!("/coaching/{id}/follow-up"), &()).await
}
