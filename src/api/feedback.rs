//! The agent's feedback (`/me/feedback/...`: figures beside the team's, evaluations with read
//! state, the live stream of new ones, verdicts on suggestions), improvement plans
//! (`/improvement-plans`), low-score callbacks (`/callbacks`) and the team lead's summary
//! (`/team/summary`).

use gloo_net::http::Method;
use pingjia_domain::evaluations::IDEMPOTENCY_KEY_HEADER;
use pingjia_domain::feedback::{
    AgentSummary, CallbackPage, CallbackQuery, CallbackRecord, CallbackTask, FeedbackAlert,
    FeedbackItem, FeedbackPage, FeedbackQuery, ImprovementPlan, NewAssessment, PlanQuery,
    PlanReview, PlanSubmission, SummaryQuery, TeamSummary,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::{self, Body, Unauthorized};
use super::config::api_base;
use super::error::ApiError;
use super::query;

/// 409: the suggestion has been judged already.
pub const ALREADY_ASSESSED: &str = "already_assessed";
/// 409: the evaluation has no suggestion to judge.
pub const NO_SUGGESTION: &str = "no_suggestion";
/// 409: the plan is submitted or acknowledged: the agent owes nothing.
pub const PLAN_NOT_AWAITING: &str = "plan_not_awaiting";
/// 409: the plan is not awaiting review.
pub const PLAN_NOT_SUBMITTED: &str = "plan_not_submitted";
/// 409: the call has been recorded already.
pub const CALLBACK_DONE: &str = "callback_done";
/// 409: the team lead leads no team yet.
pub const NO_TEAM: &str = "no_team";

/// `path?query` with the set fields of `query` (a serde query type) in the alphabetical order
/// of their names, `path` alone when none is.
pub fn with_query<Q: Serialize>(path: &str, query: &Q) -> String {
    query::with_query(path, &query::to_sorted_query(query))
}

/// The path of one of the agent's evaluations, `suffix` after it.
fn evaluation_path(number: &str, suffix: &str) -> String {
    format!(
        "/me/feedback/{}/{suffix}",
        String::from(js_sys::encode_uri_component(number))
    )
}

/// `method path` with a JSON body and `Idempotency-Key: key`.
async fn send<T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Body,
    key: &str,
) -> Result<T, ApiError> {
    client::request_with_headers(
        method,
        path,
        body,
        Unauthorized::EndsSession,
        &[(IDEMPOTENCY_KEY_HEADER, key)],
    )
    .await
}

/// `GET /me/feedback/summary`: the agent's figures for a period beside their team's, the
/// trend, the overall distribution and what awaits them.
pub async fn summary(query: &SummaryQuery) -> Result<AgentSummary, ApiError> {
    client::get(&with_query("/me/feedback/summary", query)).await
}

/// `GET /me/feedback`: one page of the agent's evaluations, newest first.
pub async fn evaluations(query: &FeedbackQuery) -> Result<FeedbackPage, ApiError> {
    client::get(&with_query("/me/feedback", query)).await
}

/// `GET /me/feedback/unread`: how many evaluations the agent has not read (the polling
/// fallback of the stream).
pub async fn unread() -> Result<FeedbackAlert, ApiError> {
    client::get("/me/feedback/unread").await
}

/// The address of the live stream of new evaluations (`GET /me/feedback/stream`, server-sent
/// events named `evaluation`), under the API base `base`.
pub fn stream_url(base: &str) -> String {
    format!("{}/me/feedback/stream", base.trim_end_matches('/'))
}

/// [`stream_url`] under the configured API base.
pub async fn stream_href() -> String {
    stream_url(&api_base().await)
}

/// `POST /me/feedback/{number}/read`: marks one evaluation read; the new unread count.
pub async fn mark_read(number: &str) -> Result<FeedbackAlert, ApiError> {
    let key = crate::outbox::new_key();
    send(
        Method::POST,
        &evaluation_path(number, "read"),
        Body::Empty,
        &key,
    )
    .await
}

/// `POST /me/feedback/read-all`: marks every evaluation read.
pub async fn mark_all_read() -> Result<FeedbackAlert, ApiError> {
    let key = crate::outbox::new_key();
    send(Method::POST, "/me/feedback/read-all", Body::Empty, &key).await
}

/// `POST /me/feedback/{number}/assessment`: the agent's verdict on a suggestion; a reasonable
/// one opens a plan (`plan_id`). 409 [`ALREADY_ASSESSED`] or [`NO_SUGGESTION`], 422 `reason`.
pub async fn assess(
    key: &str,
    number: &str,
    assessment: &NewAssessment,
) -> Result<FeedbackItem, ApiError> {
    send(
        Method::POST,
        &evaluation_path(number, "assessment"),
        Body::json(assessment)?,
        key,
    )
    .await
}

/// `GET /improvement-plans`: the agent's own, the lead's team's or (admins) every plan.
pub async fn plans(query: &PlanQuery) -> Result<Vec<ImprovementPlan>, ApiError> {
    client::get(&with_query("/improvement-plans", query)).await
}

/// `GET /improvement-plans/{id}`.
pub async fn plan(id: i64) -> Result<ImprovementPlan, ApiError> {
    client::get(&format!("/improvement-plans/{id}")).await
}

/// `PUT /improvement-plans/{id}`: the agent's measures (409 [`PLAN_NOT_AWAITING`], 422
/// `measures`, `target_date`).
pub async fn submit_plan(
    key: &str,
    id: i64,
    submission: &PlanSubmission,
) -> Result<ImprovementPlan, ApiError> {
    send(
        Method::PUT,
        &format!("/improvement-plans/{id}"),
        Body::json(submission)?,
        key,
    )
    .await
}

/// `POST /improvement-plans/{id}/review`: acknowledge or send back (409
/// [`PLAN_NOT_SUBMITTED`], 422 `comment`).
pub async fn review_plan(
    key: &str,
    id: i64,
    review: &PlanReview,
) -> Result<ImprovementPlan, ApiError> {
    send(
        Method::POST,
        &format!("/improvement-plans/{id}/review"),
        Body::json(review)?,
        key,
    )
    .await
}

/// `GET /callbacks?open=&page=`: a page of the open (`true`) or done (`false`) callback tasks.
pub async fn callbacks(query: &CallbackQuery) -> Result<CallbackPage, ApiError> {
    client::get(&with_query("/callbacks", query)).await
}

/// `POST /callbacks/{id}`: the call, made (409 [`CALLBACK_DONE`], 422 `notes`).
pub async fn record_callback(
    key: &str,
    id: i64,
    record: &CallbackRecord,
) -> Result<CallbackTask, ApiError> {
    send(
        Method::POST,
        &format!("/callbacks/{id}"),
        Body::json(record)?,
        key,
    )
    .await
}

/// `GET /team/summary`: the lead's team side by side, plans to review and open callbacks
/// (409 [`NO_TEAM`]).
pub async fn team_summary(query: &SummaryQuery) -> Result<TeamSummary, ApiError> {
    client::get(&with_query("/team/summary", query)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use pingjia_domain::analytics::Granularity;
    use pingjia_domain::feedback::{PlanStatus, ScoreBand};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn queries_carry_only_the_set_fields() {
        assert_eq!(
            with_query("/me/feedback", &FeedbackQuery::default()),
            "/me/feedback"
        );
        let query = FeedbackQuery {
            from: NaiveDate::from_ymd_opt(2026, 11, 1),
            to: NaiveDate::from_ymd_opt(2026, 11, 30),
            service_type: Some("online chat".into()),
            band: Some(ScoreBand::Low),
            with_suggestion: Some(true),
            unread: None,
            page: Some(2),
            per_page: None,
        };
        assert_eq!(
            with_query("/me/feedback", &query),
            "/me/feedback?band=low&from=2026-11-01&page=2&service_type=online%20chat\
             &to=2026-11-30&with_suggestion=true"
        );
        let summary = SummaryQuery {
            granularity: Some(Granularity::Week),
            ..SummaryQuery::default()
        };
        assert_eq!(
            with_query("/me/feedback/summary", &summary),
            "/me/feedback/summary?granularity=week"
        );
        let plans = PlanQuery {
            status: Some(PlanStatus::SentBack),
            overdue: None,
        };
        assert_eq!(
            with_query("/improvement-plans", &plans),
            "/improvement-plans?status=sent_back"
        );
    }

    #[test]
    fn the_stream_lives_under_the_api_base() {
        assert_eq!(stream_url("/api/v1"), "/api/v1/me/feedback/stream");
        assert_eq!(
            stream_url("https://pj.example.com/api/v1/"),
            "https://pj.example.com/api/v1/me/feedback/stream"
        );
        assert_eq!(
            evaluation_path("PJ20261122-000123", "read"),
            "/me/feedback/PJ20261122-000123/read"
        );
    }
}
