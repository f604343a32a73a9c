//! The rating link (`/r/{token}`): its holder reads the record's rating form, rates it and
//! appeals its evaluation without signing in. The token goes in the path, never in a query
//! string; no session is involved.

use gloo_net::http::Method;
use pingjia_domain::appeals::{Appeal, AppealList, NewAppeal};
use pingjia_domain::evaluations::{Evaluation, IDEMPOTENCY_KEY_HEADER, NewEvaluation, RatingForm};
use pingjia_domain::invitations::OptOut;

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;

fn path(token: &str, rest: &str) -> String {
    let token = String::from(js_sys::encode_uri_component(token));
    format!("/rating-links/{token}{rest}")
}

/// `GET /rating-links/{token}`: the rating form of the link's record (404 `link_unknown`,
/// 410 `link_expired` or `link_revoked` when the link does not work).
pub async fn form(token: &str) -> Result<RatingForm, ApiError> {
    client::request(
        Method::GET,
        &path(token, ""),
        Body::Empty,
        Unauthorized::IsTheAnswer,
    )
    .await
}

/// `POST /rating-links/{token}/evaluation` with `Idempotency-Key: key`: rates the record, as
/// `POST /evaluations` does.
pub async fn submit(
    token: &str,
    key: &str,
    evaluation: &NewEvaluation,
) -> Result<Evaluation, ApiError> {
    client::request_with_headers(
        Method::POST,
        &path(token, "/evaluation"),
        Body::json(evaluation)?,
        Unauthorized::IsTheAnswer,
        &[(IDEMPOTENCY_KEY_HEADER, key)],
    )
    .await
}

/// `GET /rating-links/{token}/appeals`: the appeals of the record's evaluation.
pub async fn appeals(token: &str) -> Result<AppealList, ApiError> {
    client::request(
        Method::GET,
        &path(token, "/appeals"),
        Body::Empty,
        Unauthorized::IsTheAnswer,
    )
    .await
}

/// `POST /rating-links/{token}/appeals` with `Idempotency-Key: key`: files an appeal of the
/// record's evaluation, as `POST /evaluations/{number}/appeals` does.
pub async fn file_appeal(token: &str, key: &str, appeal: &NewAppeal) -> Result<Appeal, ApiError> {
    client::request_with_headers(
        Method::POST,
        &path(token, "/appeals"),
        Body::json(appeal)?,
        Unauthorized::IsTheAnswer,
        &[(IDEMPOTENCY_KEY_HEADER, key)],
    )
    .await
}

/// `POST /rating-links/{token}/opt-out`: the link's customer gets no more invitations; the
/// answer says since when (the first opt-out's time: asking again changes nothing).
pub async fn opt_out(token: &str) -> Result<OptOut, ApiError> {
    client::request(
        Method::POST,
        &path(token, "/opt-out"),
        Body::Empty,
        Unauthorized::IsTheAnswer,
    )
    .await
}
