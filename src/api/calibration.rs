//! Calibration between QA inspectors (校准, `/qa/calibrations/...`): sessions, an inspector's
//! blind answers, the lead's agreed answers, each inspector's deviation, and the items'
//! guidance shown on the inspection sheet.

use chrono::NaiveDate;
use gloo_net::http::Method;
use pingjia_domain::qa::{
    AgreedAnswers, CalibrationAnswers, CalibrationDetail, CalibrationPage, CalibrationStatus,
    DEFAULT_CALIBRATIONS_PER_PAGE, DeviationReport, ItemGuidance, NewCalibration, SamplePage,
};
use serde::{Deserialize, Serialize};

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;
use super::qa::SampleQuery;
use super::query;

/// The problem code of answers sent to a closed session.
pub const CALIBRATION_CLOSED: &str = "calibration_closed";
/// The problem code of a template a calibration session scores with: it can only be copied.
pub const TEMPLATE_IN_CALIBRATION: &str = "template_in_calibration";

/// The filter and page of `GET /qa/calibrations`, as the list's address and the API carry them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CalibrationQuery {
    pub status: Option<CalibrationStatus>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
}

/// `GET /qa/calibrations`: a page of sessions, newest first.
pub async fn calibrations(query: &CalibrationQuery) -> Result<CalibrationPage, ApiError> {
    let paging = query::Paging {
        page: Some(query.page.max(1)),
        per_page: Some(DEFAULT_CALIBRATIONS_PER_PAGE),
    };
    client::get(&query::paged_href("/qa/calibrations", query, paging)).await
}

/// How many of a plan's sampled records the new-session form lists a page: few, so that the
/// record boxes stay near at phone width.
pub const PICK_SAMPLES_PER_PAGE: u32 = 10;

/// `GET /qa/plans/{id}/samples`, [`PICK_SAMPLES_PER_PAGE`] a page: the records to pick from.
pub async fn pick_samples(plan: i64, query: &SampleQuery) -> Result<SamplePage, ApiError> {
    let paging = query::Paging {
        page: Some(query.page.max(1)),
        per_page: Some(PICK_SAMPLES_PER_PAGE),
    };
    client::get(&query::paged_href(
        &format!("/qa/plans/{plan}/samples"),
        query,
        paging,
    ))
    .await
}

/// `POST /qa/calibrations`: a new session (422 with field errors `name`, `records`,
/// `records.{i}`, `inspector_ids`, `template_id`).
pub async fn create(new: &NewCalibration) -> Result<CalibrationDetail, ApiError> {
    client::request(
        Method::POST,
        "/qa/calibrations",
        Body::json(new)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// `GET /qa/calibrations/{id}`.
pub async fn calibration(id: i64) -> Result<CalibrationDetail, ApiError> {
    client::get(&format!("/qa/calibrations/{id}")).await
}

/// `PUT /qa/calibrations/{id}/answers`: the caller's answers (403 when not chosen, 409
/// [`CALIBRATION_CLOSED`], 422 with field errors).
pub async fn score(id: i64, answers: &CalibrationAnswers) -> Result<CalibrationDetail, ApiError> {
    client::request(
        Method::PUT,
        &format!("/qa/calibrations/{id}/answers"),
        Body::json(answers)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// `POST /qa/calibrations/{id}/close`.
pub async fn close(id: i64) -> Result<CalibrationDetail, ApiError> {
    client::request(
        Method::POST,
        &format!("/qa/calibrations/{id}/close"),
        Body::json(&serde_json::json!({}))?,
        Unauthorized::EndsSession,
    )
    .await
}

/// `PUT /qa/calibrations/{id}/agreed`: the agreed answers and the items' notes.
pub async fn agree(id: i64, agreed: &AgreedAnswers) -> Result<CalibrationDetail, ApiError> {
    client::request(
        Method::PUT,
        &format!("/qa/calibrations/{id}/agreed"),
        Body::json(agreed)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// The period of `GET /qa/calibrations/deviation`; `None` for the server's default.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DeviationQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// `GET /qa/calibrations/deviation`: each inspector's deviation from the agreed answers.
pub async fn deviation(query: &DeviationQuery) -> Result<DeviationReport, ApiError> {
    let paging = query::Paging {
        page: None,
        per_page: None,
    };
    client::get(&query::paged_href(
        "/qa/calibrations/deviation",
        query,
        paging,
    ))
    .await
}

/// `GET /qa/calibrations/guidance?template_id=…`: the guidance of a template's items.
pub async fn guidance(template_id: i64) -> Result<Vec<ItemGuidance>, ApiError> {
    client::get(&format!(
        "/qa/calibrations/guidance?template_id={template_id}"
    ))
    .await
}
