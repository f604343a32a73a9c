//! The rating flow: the customer's service records and rating forms, submitting an evaluation
//! (with an idempotency key) and reading evaluations back.

use gloo_net::http::Method;
use pingjia_domain::evaluations::{
    Evaluation, IDEMPOTENCY_KEY_HEADER, MyEvaluationPage, MyRecords, NewEvaluation, RatingForm,
};

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;

/// `GET /me/service-records`: the signed-in customer's records, those awaiting a rating first.
pub async fn my_records() -> Result<MyRecords, ApiError> {
    client::get("/me/service-records").await
}

/// `GET /me/service-records/{id}`: the rating form of one of the customer's records (403 when
/// it is someone else's).
pub async fn rating_form(id: i64) -> Result<RatingForm, ApiError> {
    client::get(&format!("/me/service-records/{id}")).await
}

/// `POST /evaluations` with `Idempotency-Key: key`: submits the answers. Sent again with the
/// same key and body, it answers what the first request did and creates nothing more.
pub async fn submit(key: &str, evaluation: &NewEvaluation) -> Result<Evaluation, ApiError> {
    client::request_with_headers(
        Method::POST,
        "/evaluations",
        Body::json(evaluation)?,
        Unauthorized::EndsSession,
        &[(IDEMPOTENCY_KEY_HEADER, key)],
    )
    .await
}

/// `GET /evaluations/{number}`: one of the customer's evaluations (403 when it is someone
/// else's, 404 when there is none).
pub async fn evaluation(number: &str) -> Result<Evaluation, ApiError> {
    let number = String::from(js_sys::encode_uri_component(number));
    client::get(&format!("/evaluations/{number}")).await
}

/// `GET /me/evaluations?page=&per_page=`: the customer's evaluations, newest first.
pub async fn my_evaluations(page: u32, per_page: u32) -> Result<MyEvaluationPage, ApiError> {
    client::get(&format!("/me/evaluations?page={page}&per_page={per_page}")).await
}
