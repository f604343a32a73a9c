//! The analytics pages' addresses: where each page lives, the filter and the drill-down as the
//! address carries them, and the CSV export's address.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use pingjia_domain::analytics::{AnalyticsFilter, DrillFilter, Sentiment};
use pingjia_domain::wire::{Channel, CustomerType};

use crate::api::analytics::with_query;
use crate::api::{self, DEFAULT_API_BASE};

/// Where the dashboard lives.
pub const DASHBOARD_PATH: &str = "/admin/analytics";
/// Where the drill-down list lives.
pub const DRILL_PATH: &str = "/admin/analytics/evaluations";
/// Where the word cloud's stop words are managed.
pub const STOP_WORDS_PATH: &str = "/admin/analytics/stop-words";

/// The filter bar as the address carries it; anything unreadable is left out (all).
pub fn filter_from_params(params: &ParamsMap) -> AnalyticsFilter {
    let text = |key: &str| {
        params
            .get(key)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let day = |key: &str| text(key).and_then(|d| d.parse::<NaiveDate>().ok());
    AnalyticsFilter {
        from: day("from"),
        to: day("to"),
        team: text("team").and_then(|t| t.parse().ok()),
        agent: text("agent"),
        service_type: text("service_type"),
        channel: text("channel").and_then(|c| Channel::parse(&c)),
        customer_type: text("customer_type").and_then(|c| CustomerType::parse(&c)),
    }
}

/// The clicked element of a drill-down as the address carries it.
pub fn drill_from_params(params: &ParamsMap) -> DrillFilter {
    let text = |key: &str| {
        params
            .get(key)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    DrillFilter {
        dimension: text("dimension"),
        score: text("score").and_then(|s| s.parse().ok()),
        overall: text("overall").and_then(|s| s.parse().ok()),
        // "" is a tag of its own: the complaints without one.
        complaint_tag: params.get("complaint_tag").map(|t| t.trim().to_owned()),
        word: text("word"),
        sentiment: text("sentiment").and_then(|s| Sentiment::parse(&s)),
    }
}

/// The page of the drill-down list in the address (from 1).
pub fn page_from_params(params: &ParamsMap) -> u32 {
    params
        .get("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// The dashboard's address with this filter.
pub fn dashboard_href(filter: &AnalyticsFilter) -> String {
    with_query(DASHBOARD_PATH, filter, &DrillFilter::default(), &[])
}

/// The drill-down list's address: the filter, the clicked element and the page (the first
/// page left out).
pub fn drill_href(filter: &AnalyticsFilter, drill: &DrillFilter, page: u32) -> String {
    let extra: Vec<(&str, String)> = if page > 1 {
        vec![("page", page.to_string())]
    } else {
        Vec::new()
    };
    with_query(DRILL_PATH, filter, drill, &extra)
}

/// The CSV address of the filtered (and drilled) evaluations, under the configured API base
/// once it is known.
pub fn csv_href(filter: Signal<AnalyticsFilter>, drill: Signal<DrillFilter>) -> RwSignal<String> {
    let csv = RwSignal::new(String::new());
    Effect::new(move || {
        let (wanted, drilled) = (filter.get(), drill.get());
        csv.set(api::analytics::evaluations_csv_url(
            DEFAULT_API_BASE,
            &wanted,
            &drilled,
        ));
        leptos::task::spawn_local(async move {
            let href = api::analytics::evaluations_csv_href(&wanted, &drilled).await;
            csv.try_set(href);
        });
    });
    csv
}
