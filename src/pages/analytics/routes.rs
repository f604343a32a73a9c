//! The analytics pages' addresses: where each page lives, the filter and the drill-down as the
//! address carries them, and the CSV export's address.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use pingjia_domain::analytics::{AnalyticsFilter, DrillFilter};

use crate::api::analytics::with_query;
use crate::api::query::{self, Paging};
use crate::api::{self, DEFAULT_API_BASE};

/// Where the dashboard lives.
pub const DASHBOARD_PATH: &str = "/admin/analytics";
/// Where the drill-down list lives.
pub const DRILL_PATH: &str = "/admin/analytics/evaluations";
/// Where the word cloud's stop words are managed.
pub const STOP_WORDS_PATH: &str = "/admin/analytics/stop-words";

/// The filter bar as the address carries it; anything unreadable is left out (all).
pub fn filter_from_params(params: &ParamsMap) -> AnalyticsFilter {
    query::from_pairs(params.latest_values(), &[])
}

/// The clicked element of a drill-down as the address carries it ("" is a tag of its own:
/// the complaints without one).
pub fn drill_from_params(params: &ParamsMap) -> DrillFilter {
    let pairs = params.latest_values();
    query::from_pairs(pairs, &["complaint_tag"])
}

/// The page of the drill-down list in the address (from 1).
pub fn page_from_params(params: &ParamsMap) -> u32 {
    let paging: Paging = query::from_pairs(params.latest_values(), &[]);
    paging.page.filter(|p| *p >= 1).unwrap_or(1)
}

/// The dashboard's address with this filter.
pub fn dashboard_href(filter: &AnalyticsFilter) -> String {
    with_query(DASHBOARD_PATH, filter, &DrillFilter::default(), &[])
}

/// The drill-down list's address: the filter, the clicked element and the page (the first
/// page left out).
pub fn drill_href(filter: &AnalyticsFilter, drill: &DrillFilter, page: u32) -> String {
    paged(DRILL_PATH, filter, drill, page)
}

/// `path` with the filter, the clicked element and the page (the first page left out).
fn paged(path: &str, filter: &AnalyticsFilter, drill: &DrillFilter, page: u32) -> String {
    let extra: Vec<(&str, String)> = if page > 1 {
        vec![("page", page.to_string())]
    } else {
        Vec::new()
    };
    with_query(path, filter, drill, &extra)
}

/// The address of one evaluation of the drill-down list, carrying the list's filter, clicked
/// element and page, so that its page leads back to the same list.
pub fn evaluation_href(
    number: &str,
    filter: &AnalyticsFilter,
    drill: &DrillFilter,
    page: u32,
) -> String {
    paged(&format!("{DRILL_PATH}/{number}"), filter, drill, page)
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
