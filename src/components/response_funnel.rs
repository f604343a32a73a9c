//! The response funnel (参评率, issue 19) of a period: the chart (invited → opened → rated)
//! and, for every reader, the same figures as a table with opted out and the previous period.
//! The dashboard and the reports show it alike.

use leptos::either::Either;
use leptos::prelude::*;
use pingjia_domain::analytics::{ResponseFunnel, ResponseStage};

use crate::charts::ChartText;
use crate::charts::response::{FUNNEL_STAGES, FunnelLabels, funnel_is_empty, response_funnel};
use crate::components::echart::{ChartOption, EChart};
use crate::format::percent_text;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::lang;
use crate::locale::tr;

/// A stage's name in the interface language (the domain's label, as in the CSV files).
pub fn stage_name(locale: Locale, stage: ResponseStage) -> &'static str {
    stage.label(lang(locale))
}

/// The funnel's texts: its title, the subtitle given, each stage named with its share.
pub fn funnel_labels(locale: Locale, funnel: &ResponseFunnel, subtitle: String) -> FunnelLabels {
    let stage = |s: ResponseStage| match s {
        ResponseStage::Invited => stage_name(locale, s).to_owned(),
        _ => td_string!(
            locale,
            analytics.response_stage_share,
            stage = stage_name(locale, s),
            share = percent_text(s.share(funnel))
        ),
    };
    FunnelLabels {
        text: ChartText {
            title: td_string!(locale, analytics.response_funnel_title).to_owned(),
            subtitle,
            save_title: td_string!(locale, analytics.save_image).to_owned(),
            file_name: "pingjia-response".to_owned(),
        },
        series: td_string!(locale, analytics.response_series).to_owned(),
        stages: FUNNEL_STAGES.map(stage),
    }
}

/// Draws a chart from its option and its name (e.g. as the report's printable figure).
pub type DrawChart = fn(Signal<ChartOption>, Signal<String>) -> AnyView;

/// The funnel's chart and its table.
#[component]
pub fn ResponseFunnelView(
    /// The invitations of the period.
    funnel: ResponseFunnel,
    /// The same over the previous period.
    previous: ResponseFunnel,
    /// Under the chart's title: the period.
    #[prop(into)]
    subtitle: Signal<String>,
    /// Wraps the chart (e.g. the report's printable figure); the plain chart without.
    #[prop(optional)]
    chart: Option<DrawChart>,
) -> impl IntoView {
    let i18n = use_i18n();
    let table = view! { <FunnelTable funnel previous /> };
    if funnel_is_empty(&funnel) {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, analytics.response_empty))}</p>
            {table}
        });
    }
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        ChartOption::from(response_funnel(
            &funnel,
            &funnel_labels(locale, &funnel, subtitle.get()),
        ))
    });
    let label = Signal::derive(move || {
        td_string!(i18n.get_locale(), analytics.response_funnel_title).to_owned()
    });
    let drawn = match chart {
        Some(wrap) => wrap(option, label),
        None => view! { <EChart option label /> }.into_any(),
    };
    Either::Right(view! {
        <div class="response-funnel">
            {drawn}
            {table}
        </div>
    })
}

/// Each stage's count and share of the invited, now and in the previous period.
#[component]
fn FunnelTable(funnel: ResponseFunnel, previous: ResponseFunnel) -> impl IntoView {
    let i18n = use_i18n();
    let rows = ResponseStage::ALL
        .into_iter()
        .map(|stage| {
            view! {
                <tr>
                    <th scope="row">{move || stage_name(i18n.get_locale(), stage)}</th>
                    <td class="num">{stage.count(&funnel)}</td>
                    <td class="num">{percent_text(stage.share(&funnel))}</td>
                    <td class="num">{stage.count(&previous)}</td>
                    <td class="num">{percent_text(stage.share(&previous))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="compact-table response-table" data-testid="response-funnel-table">
                <caption>{tr(i18n, |l| td_string!(l, analytics.response_table_caption))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.response_col_stage))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.response_col_count))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.response_col_share))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.response_col_previous))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.response_col_previous_share))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
