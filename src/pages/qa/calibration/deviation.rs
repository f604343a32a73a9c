//! Each inspector's deviation from the agreed answers (`/qa/calibrations/deviation`): over a
//! period (in the address) and month by month, the share of their answers that differ from the
//! agreed ones and the mean of their score minus the agreed score (harder or softer).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use pingjia_domain::qa::{DeviationReport, InspectorDeviation};

use super::{DEVIATION_PATH, back_link};
use crate::api::calibration::DeviationQuery;
use crate::api::query::{self, paged_href};
use crate::api::{self};
use crate::components::data_table::{Column, DataTable, Loaded};
use crate::components::form::fields::InputField;
use crate::components::page::PageTitle;
use crate::format::percent_text;
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::locale::tr;
use crate::pages::qa::person_text;

/// The mean difference with its sign, and harder/softer in words.
fn difference_text(locale: Locale, difference: Option<f64>) -> String {
    match difference {
        None => "—".to_owned(),
        Some(d) if d < -0.05 => format!("{d:+.2} · {}", td_string!(locale, calibration.harder)),
        Some(d) if d > 0.05 => format!("{d:+.2} · {}", td_string!(locale, calibration.softer)),
        Some(d) => format!("{d:+.2} · {}", td_string!(locale, calibration.even)),
    }
}

fn columns(monthly: bool) -> Vec<Column<InspectorDeviation>> {
    let mut columns = vec![
        Column::new(
            |l| td_string!(l, calibration.inspector),
            |d: &InspectorDeviation| person_text(&d.inspector),
        )
        .row_header(None),
    ];
    if monthly {
        columns.push(Column::new(
            |l| td_string!(l, calibration.month),
            |d: &InspectorDeviation| {
                d.month
                    .map_or_else(String::new, |m| m.format("%Y-%m").to_string())
            },
        ));
    }
    columns.extend([
        Column::new(
            |l| td_string!(l, calibration.compared),
            |d: &InspectorDeviation| d.items,
        ),
        Column::new(
            |l| td_string!(l, calibration.differing),
            |d: &InspectorDeviation| d.differing,
        ),
        Column::new(
            |l| td_string!(l, calibration.differing_share),
            |d: &InspectorDeviation| percent_text(d.differing_share),
        ),
        Column::new(
            |l| td_string!(l, calibration.scores_compared),
            |d: &InspectorDeviation| d.scores,
        ),
        Column::new(
            |l| td_string!(l, calibration.mean_difference),
            |d: &InspectorDeviation| {
                let mean = d.mean_difference;
                let i18n = use_i18n();
                move || difference_text(i18n.get_locale(), mean)
            },
        ),
    ]);
    columns
}

/// `/qa/calibrations/deviation`.
#[component]
pub fn DeviationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| query::from_pairs::<_, DeviationQuery>(p.latest_values(), &[]))
    });
    let report = LocalResource::new(move || {
        let query = query.get();
        async move { api::calibration::deviation(&query).await }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, calibration.deviation_heading)) />
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, calibration.deviation_heading))}</h1>
        </div>
        <p class="lead">{tr(i18n, |l| td_string!(l, calibration.deviation_lead))}</p>
        <Loaded resource=report view=move |report| view! { <Report report /> } />
        {back_link()}
    }
}

/// The period form and both tables.
#[component]
fn Report(
    /// The report as loaded.
    report: DeviationReport,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let from = RwSignal::new(report.from.to_string());
    let to = RwSignal::new(report.to.to_string());
    let order_error = RwSignal::new(None::<String>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let wanted = DeviationQuery {
            from: from.get_untracked().parse().ok(),
            to: to.get_untracked().parse().ok(),
        };
        if let (Some(f), Some(t)) = (wanted.from, wanted.to)
            && t < f
        {
            order_error.set(Some(
                t_string!(i18n, calibration.error_period_order).to_owned(),
            ));
            return;
        }
        order_error.set(None);
        let paging = query::Paging {
            page: None,
            per_page: None,
        };
        navigate(
            &paged_href(DEVIATION_PATH, &wanted, paging),
            Default::default(),
        );
    };
    let label = move |f: fn(Locale) -> &'static str| {
        Signal::derive(move || f(i18n.get_locale()).to_owned())
    };
    let body = if report.overall.is_empty() {
        view! { <p class="notice notice-empty" data-testid="cal-deviation-empty">{tr(i18n, |l| td_string!(l, calibration.deviation_empty))}</p> }
            .into_any()
    } else {
        view! {
            <h2>{tr(i18n, |l| td_string!(l, calibration.overall_heading))}</h2>
            <div class="table-scroll">
                <DataTable class="data-table qa-table" testid="cal-deviation-overall"
                    caption=|l| td_string!(l, calibration.overall_heading) columns=columns(false) rows=report.overall />
            </div>
            <h2>{tr(i18n, |l| td_string!(l, calibration.months_heading))}</h2>
            <div class="table-scroll">
                <DataTable class="data-table qa-table" testid="cal-deviation-months"
                    caption=|l| td_string!(l, calibration.months_heading) columns=columns(true) rows=report.months />
            </div>
        }
        .into_any()
    };
    view! {
        <form class="filters" role="search" aria-label=move || t_string!(i18n, calibration.period_label) on:submit=on_submit>
            <InputField id="cal-from" label=label(|l| td_string!(l, calibration.period_from)) value=from error=Signal::derive(|| None::<String>) input_type="date" />
            <InputField id="cal-to" label=label(|l| td_string!(l, calibration.period_to)) value=to error=order_error input_type="date" />
            <div class="filter-actions">
                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, calibration.apply))}</button>
            </div>
        </form>
        {body}
    }
}
