//! Admin analytics (`/analytics/...`): the filter bar's choices, the KPI cards, the charts'
//! reports, the word cloud, the drill-down list of evaluations and its CSV, and the extra stop
//! words of the word cloud.
//!
//! Every report takes the filter bar ([`AnalyticsFilter`]) as query parameters named as its
//! serde fields; the drill-down list adds the clicked element ([`DrillFilter`]) and a page.

use gloo_net::http::Method;
use pingjia_domain::analytics::{
    AgentReport, AnalyticsEvaluationPage, AnalyticsFilter, AnalyticsOptions, DEFAULT_TAGS_PER_PAGE,
    DimensionReport, DistributionReport, DrillFilter, Granularity, KpiReport, NewStopWord,
    ResponseBreakdown, ResponseGroup, ResponseReport, SegmentReport, Sentiment, StopWord, TagName,
    TagNamePage, TagNamePatch, TrendReport, WordReport,
};
use pingjia_domain::evaluations::IDEMPOTENCY_KEY_HEADER;
use serde::{Deserialize, Serialize};

use super::client::{self, Body, Unauthorized};
use super::config::api_base;
use super::error::ApiError;
use super::query;

/// The problem code of a stop word that is already listed (409).
pub const STOP_WORD_EXISTS: &str = "stop_word_exists";

/// `path?query` with the filter's and the drill-down's set fields (each in the alphabetical
/// order of their names, as they have always been sent) and the `extra` parameters; `path`
/// alone when none is set.
pub fn with_query(
    path: &str,
    filter: &AnalyticsFilter,
    drill: &DrillFilter,
    extra: &[(&str, String)],
) -> String {
    let query = query::joined(&[
        query::to_sorted_query(filter),
        query::to_sorted_query(drill),
        query::to_query(extra),
    ]);
    query::with_query(path, &query)
}

fn report_path(report: &str, filter: &AnalyticsFilter, extra: &[(&str, String)]) -> String {
    with_query(
        &format!("/analytics/{report}"),
        filter,
        &DrillFilter::default(),
        extra,
    )
}

/// `GET /analytics/options`: teams, agents and service types for the filter bar, and today's
/// default period.
pub async fn options() -> Result<AnalyticsOptions, ApiError> {
    client::get("/analytics/options").await
}

/// `GET /analytics/kpis`: the KPI cards against the previous period of the same length.
pub async fn kpis(filter: &AnalyticsFilter) -> Result<KpiReport, ApiError> {
    client::get(&report_path("kpis", filter, &[])).await
}

/// `GET /analytics/trend`: average total score per day, week or month, overall and per team.
pub async fn trend(
    filter: &AnalyticsFilter,
    granularity: Granularity,
) -> Result<TrendReport, ApiError> {
    let extra = [("granularity", granularity.as_str().to_owned())];
    client::get(&report_path("trend", filter, &extra)).await
}

/// `GET /analytics/dimensions`: the dimension ranking, strongest first.
pub async fn dimensions(filter: &AnalyticsFilter) -> Result<DimensionReport, ApiError> {
    client::get(&report_path("dimensions", filter, &[])).await
}

/// `GET /analytics/segments`: each dimension by customer type and by channel.
pub async fn segments(filter: &AnalyticsFilter) -> Result<SegmentReport, ApiError> {
    client::get(&report_path("segments", filter, &[])).await
}

/// `GET /analytics/distribution`: overall scores 1-10 and complaints by tag.
pub async fn distribution(filter: &AnalyticsFilter) -> Result<DistributionReport, ApiError> {
    client::get(&report_path("distribution", filter, &[])).await
}

/// `GET /analytics/response`: the response funnel (invited → opened → rated, opted out) of
/// the invitations sent in the period, and of the period before.
pub async fn response(filter: &AnalyticsFilter) -> Result<ResponseReport, ApiError> {
    client::get(&report_path("response", filter, &[])).await
}

/// `GET /analytics/response/breakdown`: the response funnel per agent, team, service type,
/// channel, invitation channel or bucket.
pub async fn response_breakdown(
    filter: &AnalyticsFilter,
    group: ResponseGroup,
) -> Result<ResponseBreakdown, ApiError> {
    let extra = [("by", group.as_str().to_owned())];
    client::get(&report_path("response/breakdown", filter, &extra)).await
}

/// `GET /analytics/agents`: the leaderboard with each agent's radar and the team averages.
pub async fn agents(filter: &AnalyticsFilter) -> Result<AgentReport, ApiError> {
    client::get(&report_path("agents", filter, &[])).await
}

/// `GET /analytics/words`: the most frequent terms of the complaints' or the praise's
/// suggestions.
pub async fn words(filter: &AnalyticsFilter, sentiment: Sentiment) -> Result<WordReport, ApiError> {
    let extra = [("sentiment", sentiment.as_str().to_owned())];
    client::get(&report_path("words", filter, &extra)).await
}

/// The path of one page of `GET /analytics/evaluations`.
pub fn evaluations_path(
    filter: &AnalyticsFilter,
    drill: &DrillFilter,
    page: u32,
    per_page: u32,
) -> String {
    let extra = [
        ("page", page.to_string()),
        ("per_page", per_page.to_string()),
    ];
    with_query("/analytics/evaluations", filter, drill, &extra)
}

/// `GET /analytics/evaluations`: one page of the evaluations behind a chart element.
pub async fn evaluations(
    filter: &AnalyticsFilter,
    drill: &DrillFilter,
    page: u32,
    per_page: u32,
) -> Result<AnalyticsEvaluationPage, ApiError> {
    client::get(&evaluations_path(filter, drill, page, per_page)).await
}

/// The address of the CSV of every evaluation matching the filter and the drill-down, under
/// the API base `base`: a plain download link (the session cookie goes with it).
pub fn evaluations_csv_url(base: &str, filter: &AnalyticsFilter, drill: &DrillFilter) -> String {
    with_query(
        &format!("{}/analytics/evaluations.csv", base.trim_end_matches('/')),
        filter,
        drill,
        &[],
    )
}

/// [`evaluations_csv_url`] under the configured API base.
pub async fn evaluations_csv_href(filter: &AnalyticsFilter, drill: &DrillFilter) -> String {
    evaluations_csv_url(&api_base().await, filter, drill)
}

/// `GET /analytics/stop-words`: the stop words admins added.
pub async fn stop_words() -> Result<Vec<StopWord>, ApiError> {
    client::get("/analytics/stop-words").await
}

/// `POST /analytics/stop-words` with `Idempotency-Key: key`: 409 [`STOP_WORD_EXISTS`] when it
/// is listed, 422 with a field error on `word` (`required`, `too_long`, `one_word`,
/// `builtin`).
pub async fn add_stop_word(key: &str, word: &NewStopWord) -> Result<StopWord, ApiError> {
    client::request_with_headers(
        Method::POST,
        "/analytics/stop-words",
        Body::json(word)?,
        Unauthorized::EndsSession,
        &[(IDEMPOTENCY_KEY_HEADER, key)],
    )
    .await
}

/// The path of `DELETE /analytics/stop-words/{word}`, the word percent-encoded.
pub fn stop_word_path(word: &str) -> String {
    format!(
        "/analytics/stop-words/{}",
        String::from(js_sys::encode_uri_component(word))
    )
}

/// `DELETE /analytics/stop-words/{word}`: lets the word back into the word cloud.
pub async fn remove_stop_word(word: &str) -> Result<(), ApiError> {
    client::request(
        Method::DELETE,
        &stop_word_path(word),
        Body::Empty,
        Unauthorized::EndsSession,
    )
    .await
}

/// The search and page of `GET /analytics/tags` as the tags page's address carries them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TagQuery {
    /// Only tags containing this, in the tag or its English name.
    pub q: Option<String>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
}

/// `GET /analytics/tags`: one page of the complaint tags with their English names.
pub async fn tags(query: &TagQuery) -> Result<TagNamePage, ApiError> {
    let paging = query::Paging {
        page: Some(query.page.max(1)),
        per_page: Some(DEFAULT_TAGS_PER_PAGE),
    };
    client::get(&query::paged_href("/analytics/tags", query, paging)).await
}

/// `PUT /analytics/tags/{tag}`: names a tag in English (blank clears it); 422 with a field
/// error on `name_en` (`too_long`, `control_character`).
pub async fn name_tag(tag: &str, patch: &TagNamePatch) -> Result<TagName, ApiError> {
    client::request(
        Method::PUT,
        &format!(
            "/analytics/tags/{}",
            String::from(js_sys::encode_uri_component(tag))
        ),
        Body::json(patch)?,
        Unauthorized::EndsSession,
    )
    .await
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use pingjia_domain::wire::{Channel, CustomerType};
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn filter() -> AnalyticsFilter {
        AnalyticsFilter {
            from: Some("2026-11-01".parse().unwrap()),
            to: Some("2026-11-07".parse().unwrap()),
            team: Some(2),
            agent: Some("E1001".into()),
            service_type: Some("online".into()),
            channel: Some(Channel::Offline),
            customer_type: Some(CustomerType::Member),
        }
    }

    #[test]
    fn reports_carry_the_filter_by_its_serde_names() {
        assert_eq!(
            report_path("kpis", &AnalyticsFilter::default(), &[]),
            "/analytics/kpis"
        );
        assert_eq!(
            report_path("trend", &filter(), &[("granularity", "week".into())]),
            "/analytics/trend?agent=E1001&channel=offline&customer_type=member&from=2026-11-01\
             &service_type=online&team=2&to=2026-11-07&granularity=week"
        );
    }

    #[test]
    fn the_drill_down_and_its_csv_add_the_clicked_element() {
        let drill = DrillFilter {
            word: Some("态度 差".into()),
            sentiment: Some(Sentiment::Complaints),
            complaint_tag: Some(String::new()),
            ..DrillFilter::default()
        };
        let only_period = AnalyticsFilter {
            from: Some("2026-11-01".parse().unwrap()),
            ..AnalyticsFilter::default()
        };
        assert_eq!(
            evaluations_path(&only_period, &drill, 2, 25),
            "/analytics/evaluations?from=2026-11-01&complaint_tag=&sentiment=complaints\
             &word=%E6%80%81%E5%BA%A6%20%E5%B7%AE&page=2&per_page=25"
        );
        assert_eq!(
            evaluations_csv_url("/api/v1/", &only_period, &DrillFilter::default()),
            "/api/v1/analytics/evaluations.csv?from=2026-11-01"
        );
        assert_eq!(
            stop_word_path("非常/a"),
            "/analytics/stop-words/%E9%9D%9E%E5%B8%B8%2Fa"
        );
    }
}
