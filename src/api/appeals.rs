//! Appeals (申诉): a customer files one on their own evaluation (with an idempotency key) and
//! follows its decision; admins work through the queue and decide.

use gloo_net::http::Method;
use pingjia_domain::appeals::{
    AdminAppealPage, Appeal, AppealDecision, AppealList, AppealStatus, NewAppeal,
};
use pingjia_domain::evaluations::IDEMPOTENCY_KEY_HEADER;

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;

fn encoded(number: &str) -> String {
    String::from(js_sys::encode_uri_component(number))
}

/// `POST /evaluations/{number}/appeals` with `Idempotency-Key: key`: files an appeal. Sent
/// again with the same key and body, it answers what the first request did.
pub async fn file(number: &str, key: &str, appeal: &NewAppeal) -> Result<Appeal, ApiError> {
    client::request_with_headers(
        Method::POST,
        &format!("/evaluations/{}/appeals", encoded(number)),
        Body::json(appeal)?,
        Unauthorized::EndsSession,
        &[(IDEMPOTENCY_KEY_HEADER, key)],
    )
    .await
}

/// `GET /evaluations/{number}/appeals`: the appeals of one evaluation, newest first.
pub async fn of_evaluation(number: &str) -> Result<AppealList, ApiError> {
    client::get(&format!("/evaluations/{}/appeals", encoded(number))).await
}

/// `GET /me/appeals`: the signed-in customer's appeals, newest first, with the count of
/// decisions not seen yet.
pub async fn mine() -> Result<AppealList, ApiError> {
    client::get("/me/appeals").await
}

/// `POST /me/appeals/{id}/seen`: the customer has seen the decision.
pub async fn mark_seen(id: i64) -> Result<Appeal, ApiError> {
    client::request(
        Method::POST,
        &format!("/me/appeals/{id}/seen"),
        Body::Empty,
        Unauthorized::EndsSession,
    )
    .await
}

/// `GET /appeals?status=&page=&per_page=`: one page of the admin queue, pending first,
/// oldest first.
pub async fn queue(
    status: Option<AppealStatus>,
    page: u32,
    per_page: u32,
) -> Result<AdminAppealPage, ApiError> {
    let status = status
        .map(|s| format!("status={}&", s.as_str()))
        .unwrap_or_default();
    client::get(&format!("/appeals?{status}page={page}&per_page={per_page}")).await
}

/// `POST /appeals/{id}/decision`: an admin approves or rejects a pending appeal.
pub async fn decide(id: i64, decision: &AppealDecision) -> Result<Appeal, ApiError> {
    client::post(&format!("/appeals/{id}/decision"), decision).await
}
