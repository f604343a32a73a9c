//! Internal quality assurance (质检, `/qa/...` and `/me/qa`): checklist templates, inspection
//! plans with their stratified samples, the inspection of one sampled record, rectifications
//! and their re-checks, a plan's report (and its CSV), and an agent's own results.

use chrono::NaiveDate;
use gloo_net::http::Method;
use pingjia_domain::evaluations::IDEMPOTENCY_KEY_HEADER;
use pingjia_domain::qa::{
    ChecklistTemplate, DEFAULT_MY_QA_PER_PAGE, DEFAULT_PLANS_PER_PAGE,
    DEFAULT_RECTIFICATIONS_PER_PAGE, DEFAULT_SAMPLES_PER_PAGE, Inspection, InspectionSheet, MyQa,
    NewInspection, NewPlan, NewTemplate, PlanDetail, PlanOptions, PlanPage, PlanReport, PlanState,
    QaHome, Recheck, Rectification, RectificationPage, RectificationReport, RectificationState,
    SamplePage, SampleStatus, TeamInspectionPage,
};
use serde::{Deserialize, Serialize};

use super::client::{self, Body, Unauthorized};
use super::config::api_base;
use super::error::ApiError;
use super::query;

/// The problem code of a template that a plan uses: it can only be copied, not edited.
pub const TEMPLATE_IN_USE: &str = "template_in_use";
/// The problem code of an inspection whose rectification has been reported: it is final.
pub const INSPECTION_LOCKED: &str = "inspection_locked";

/// The filters and page of `GET /qa/rectifications` (整改跟踪); `None` filters match every
/// rectification. Its serde fields are the filters as the list's address and the API carry
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RectificationQuery {
    /// The tab.
    pub status: Option<RectificationState>,
    pub agent_id: Option<i64>,
    pub team_id: Option<i64>,
    pub plan_id: Option<i64>,
    /// Deadlines from (inclusive).
    pub from: Option<NaiveDate>,
    /// Deadlines to (inclusive).
    pub to: Option<NaiveDate>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
}

impl RectificationQuery {
    /// Whether a filter besides the tab is set.
    pub fn filtered(&self) -> bool {
        self.agent_id.is_some()
            || self.team_id.is_some()
            || self.plan_id.is_some()
            || self.from.is_some()
            || self.to.is_some()
    }
}

/// The filters and page of `GET /qa/plans`; `None` filters match every plan. Its serde fields
/// are the filters as the list's address and the API carry them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanQuery {
    pub state: Option<PlanState>,
    pub inspector_id: Option<i64>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
}

impl PlanQuery {
    /// Whether a filter besides the state is set.
    pub fn filtered(&self) -> bool {
        self.inspector_id.is_some()
    }
}

/// The filters and page of `GET /qa/plans/{id}/samples`; `None` filters match every record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SampleQuery {
    pub status: Option<SampleStatus>,
    pub agent_id: Option<i64>,
    pub inspector_id: Option<i64>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
}

impl SampleQuery {
    /// Whether a filter besides the status is set.
    pub fn filtered(&self) -> bool {
        self.agent_id.is_some() || self.inspector_id.is_some()
    }
}

/// The pages of `GET /me/qa`, as the page's address and the API carry them (the first pages
/// left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MyQaQuery {
    #[serde(skip_serializing_if = "first_page")]
    pub inspections_page: u32,
    #[serde(skip_serializing_if = "first_page")]
    pub rectifications_page: u32,
}

fn first_page(page: &u32) -> bool {
    *page <= 1
}

/// `GET /qa/home`: the plans, the caller's first samples to inspect, rectifications to
/// re-check and overdue ones, with their counts.
pub async fn home() -> Result<QaHome, ApiError> {
    client::get("/qa/home").await
}

/// `GET /qa/options`: templates, inspectors, service types and today, for the plan form.
pub async fn options() -> Result<PlanOptions, ApiError> {
    client::get("/qa/options").await
}

/// `GET /qa/templates`.
pub async fn templates() -> Result<Vec<ChecklistTemplate>, ApiError> {
    client::get("/qa/templates").await
}

/// `GET /qa/templates/{id}`.
pub async fn template(id: i64) -> Result<ChecklistTemplate, ApiError> {
    client::get(&format!("/qa/templates/{id}")).await
}

/// `POST /qa/templates` with `Idempotency-Key: key`: a new template (422 with field errors
/// named `dimensions.{i}.items.{j}.name_zh` etc.).
pub async fn create_template(
    key: &str,
    template: &NewTemplate,
) -> Result<ChecklistTemplate, ApiError> {
    client::request_with_headers(
        Method::POST,
        "/qa/templates",
        Body::json(template)?,
        Unauthorized::EndsSession,
        &[(IDEMPOTENCY_KEY_HEADER, key)],
    )
    .await
}

/// `PUT /qa/templates/{id}`: replaces a template; 409 [`TEMPLATE_IN_USE`] once a plan uses it.
pub async fn update_template(
    id: i64,
    template: &NewTemplate,
) -> Result<ChecklistTemplate, ApiError> {
    client::request(
        Method::PUT,
        &format!("/qa/templates/{id}"),
        Body::json(template)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// `GET /qa/plans`: one page of the plans, those awaiting the caller first.
pub async fn plans(query: &PlanQuery) -> Result<PlanPage, ApiError> {
    let paging = query::Paging {
        page: Some(query.page.max(1)),
        per_page: Some(DEFAULT_PLANS_PER_PAGE),
    };
    client::get(&query::paged_href("/qa/plans", query, paging)).await
}

/// `GET /qa/plans/{id}/samples`: one page of a plan's sampled records, the caller's pending
/// ones first.
pub async fn plan_samples(id: i64, query: &SampleQuery) -> Result<SamplePage, ApiError> {
    let paging = query::Paging {
        page: Some(query.page.max(1)),
        per_page: Some(DEFAULT_SAMPLES_PER_PAGE),
    };
    client::get(&query::paged_href(
        &format!("/qa/plans/{id}/samples"),
        query,
        paging,
    ))
    .await
}

/// `POST /qa/plans` with `Idempotency-Key: key`: draws the plan's sample (422 with field
/// errors; `scope` `empty` when nothing is in scope).
pub async fn create_plan(key: &str, plan: &NewPlan) -> Result<PlanDetail, ApiError> {
    client::request_with_headers(
        Method::POST,
        "/qa/plans",
        Body::json(plan)?,
        Unauthorized::EndsSession,
        &[(IDEMPOTENCY_KEY_HEADER, key)],
    )
    .await
}

/// `GET /qa/plans/{id}`.
pub async fn plan(id: i64) -> Result<PlanDetail, ApiError> {
    client::get(&format!("/qa/plans/{id}")).await
}

/// What a plan's report compares: nothing, an earlier plan, or the agent before and after a
/// coaching session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    pub compare: Option<i64>,
    pub coaching: Option<i64>,
}

/// `GET /qa/plans/{id}/report?compare={other}` (or `?coaching={session}`): the report,
/// compared with an earlier plan, or anchored on a coaching session.
pub async fn report(id: i64, query: ReportQuery) -> Result<PlanReport, ApiError> {
    client::get(&report_path(id, query)).await
}

/// The path of a plan's report, relative to the API base.
pub fn report_path(id: i64, query: ReportQuery) -> String {
    query::with_query(&format!("/qa/plans/{id}/report"), &query::to_query(&query))
}

/// The filters and page of `GET /team/qa/inspections` (a lead's team's inspections), as the
/// list's address and the API carry them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamInspectionQuery {
    /// The tab: `true`, only those that may still be disputed.
    pub disputable: Option<bool>,
    pub agent_id: Option<i64>,
    /// Saved from (inclusive).
    pub from: Option<NaiveDate>,
    /// Saved to (inclusive).
    pub to: Option<NaiveDate>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
}

impl TeamInspectionQuery {
    /// Whether a filter besides the tab is set.
    pub fn filtered(&self) -> bool {
        self.agent_id.is_some() || self.from.is_some() || self.to.is_some()
    }
}

/// `GET /team/qa/inspections`: one page, what may still be disputed first.
pub async fn team_inspections(q: &TeamInspectionQuery) -> Result<TeamInspectionPage, ApiError> {
    let paging = query::Paging {
        page: Some(q.page.max(1)),
        per_page: Some(DEFAULT_PLANS_PER_PAGE),
    };
    client::get(&query::paged_href("/team/qa/inspections", q, paging)).await
}

/// The address of a plan's report as CSV (UTF-8 with BOM) under the API base `base`: a link,
/// which the browser downloads with the session cookie.
pub fn report_csv_url(base: &str, id: i64) -> String {
    format!("{}/qa/plans/{id}/report.csv", base.trim_end_matches('/'))
}

/// [`report_csv_url`] under the configured API base.
pub async fn report_csv_href(id: i64) -> String {
    report_csv_url(&api_base().await, id)
}

/// `GET /qa/samples/{id}`: the record, the customer's evaluation, the checklist and the
/// inspection so far.
pub async fn sheet(id: i64) -> Result<InspectionSheet, ApiError> {
    client::get(&format!("/qa/samples/{id}")).await
}

/// `PUT /qa/samples/{id}/inspection`: the whole inspection (422 with field errors, 409
/// [`INSPECTION_LOCKED`], 403 for someone not assigned).
pub async fn inspect(id: i64, inspection: &NewInspection) -> Result<Inspection, ApiError> {
    client::request(
        Method::PUT,
        &format!("/qa/samples/{id}/inspection"),
        Body::json(inspection)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// `GET /qa/rectifications`: one page of the list.
pub async fn rectifications(query: &RectificationQuery) -> Result<RectificationPage, ApiError> {
    let paging = query::Paging {
        page: Some(query.page.max(1)),
        per_page: Some(DEFAULT_RECTIFICATIONS_PER_PAGE),
    };
    client::get(&query::paged_href("/qa/rectifications", query, paging)).await
}

/// `POST /qa/rectifications/{id}/report`: the owner's result (409 when it is not open).
pub async fn report_rectification(
    id: i64,
    report: &RectificationReport,
) -> Result<Rectification, ApiError> {
    client::post(&format!("/qa/rectifications/{id}/report"), report).await
}

/// `POST /qa/rectifications/{id}/recheck`: accepts or sends back a reported result (409 when
/// it is not reported).
pub async fn recheck(id: i64, recheck: &Recheck) -> Result<Rectification, ApiError> {
    client::post(&format!("/qa/rectifications/{id}/recheck"), recheck).await
}

/// `GET /me/qa`: a page of the caller's inspection results and a page of the rectifications
/// they own or that concern them, what awaits their report first.
pub async fn mine(query: MyQaQuery) -> Result<MyQa, ApiError> {
    let pages = query::to_query(&query);
    let per_page = format!("per_page={DEFAULT_MY_QA_PER_PAGE}");
    client::get(&query::with_query(
        "/me/qa",
        &query::joined(&[pages, per_page]),
    ))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn report_addresses_carry_the_comparison_and_the_csv_the_base() {
        let compare = |compare| ReportQuery {
            compare,
            coaching: None,
        };
        assert_eq!(report_path(3, compare(None)), "/qa/plans/3/report");
        assert_eq!(
            report_path(3, compare(Some(1))),
            "/qa/plans/3/report?compare=1"
        );
        let anchored = ReportQuery {
            compare: None,
            coaching: Some(7),
        };
        assert_eq!(report_path(3, anchored), "/qa/plans/3/report?coaching=7");
        assert_eq!(
            report_csv_url("/api/v1", 3),
            "/api/v1/qa/plans/3/report.csv"
        );
        assert_eq!(
            report_csv_url("https://pj.example.com/api/v1/", 3),
            "https://pj.example.com/api/v1/qa/plans/3/report.csv"
        );
    }

    #[test]
    fn rectification_filters_round_trip_through_the_address() {
        let query = RectificationQuery {
            status: Some(RectificationState::Overdue),
            agent_id: Some(7),
            team_id: Some(2),
            plan_id: Some(3),
            from: "2026-11-01".parse().ok(),
            to: "2026-11-30".parse().ok(),
            page: 1,
        };
        let address = query::to_query(&query);
        assert_eq!(
            address,
            "status=overdue&agent_id=7&team_id=2&plan_id=3&from=2026-11-01&to=2026-11-30"
        );
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&address).unwrap();
        let read: RectificationQuery =
            query::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), &[]);
        assert_eq!(RectificationQuery { page: 1, ..read }, query);
        // A value the list cannot take is left out alone.
        let read: RectificationQuery =
            query::from_pairs([("status", "late"), ("agent_id", "7")], &[]);
        assert_eq!((read.status, read.agent_id), (None, Some(7)));
    }
}
