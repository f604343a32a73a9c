//! The dashboard's KPI panel: the cards of the filter's period.

use leptos::either::Either;
use leptos::prelude::*;
use pingjia_domain::analytics::{AnalyticsFilter, AnalyticsOptions};

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::kpi::KpiCards;
use crate::components::loading::Loading;
use crate::i18n::{td_string, use_i18n};
use crate::locale::tr;

/// Loads the KPIs of the filter and shows the cards.
#[component]
pub fn KpiPanel(
    /// The filter bar.
    filter: Memo<AnalyticsFilter>,
    /// The filter bar's choices, once loaded (for the satisfaction threshold).
    options: Signal<Option<AnalyticsOptions>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let report = LocalResource::new(move || {
        let filter = filter.get();
        async move { api::analytics::kpis(&filter).await }
    });
    view! {
        <section class="panel analytics-panel analytics-wide" aria-labelledby="kpis-title">
            <h2 id="kpis-title">{tr(i18n, |l| td_string!(l, analytics.kpis_heading))}</h2>
            {loaded!(report, |report| view! { <KpiCards report options /> })}
        </section>
    }
}
