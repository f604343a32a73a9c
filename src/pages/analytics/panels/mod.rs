//! The dashboard's chart panels: score trend, dimension ranking, segments, overall score
//! distribution with the complaint pie, the agent radar and the word cloud. Each loads its
//! report for the filter, shows a loading state, an empty state in words, the chart (a click
//! on an element opens its evaluations) and, for keyboards and screen readers, the same data
//! as a table whose rows link to the same evaluations.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use pingjia_domain::analytics::{
    AgentReport, AnalyticsFilter, AnalyticsOptions, DimensionReport, DistributionReport,
    DrillFilter, Granularity, SegmentReport, Sentiment, TrendReport, WordReport,
};
use pingjia_domain::wire::{Channel, CustomerType};

use super::routes::{STOP_WORDS_PATH, drill_href};
use crate::api::{self, ApiError};
use crate::charts::analytics::{
    ComplaintLabels, DimensionLabels, DistributionLabels, RadarLabels, SegmentKind, SegmentLabels,
    TrendLabels, WordLabels, agent_label, agent_team, complaint_drill, complaint_pie,
    complaints_are_empty, dimension_chart, dimension_drill, distribution_chart, distribution_drill,
    distribution_is_empty, radar_agent, radar_chart, radar_drill, segment_chart, segment_drill,
    segments_are_empty, team_series_name, trend_chart, trend_drill, trend_is_empty, word_cloud,
    word_drill,
};
use crate::charts::{ChartText, bucket_label, dimension_name, tag_name};
use crate::components::echart::{ChartClick, ChartOption, EChart};
use crate::components::error_panel::ErrorPanel;
use crate::components::kpi::thresholds;
use crate::components::loading::Loading;
use crate::format::{percent_text, period_words, score_text};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::{channel_name, customer_type_name, lang};
use crate::locale::tr;

mod words;
pub use words::{WordPanel, WordView};

mod radar;
pub use radar::RadarPanel;

mod distribution;
pub use distribution::DistributionPanel;

mod response;
pub use response::ResponsePanel;

/// The texts every chart has, in `locale`.
fn chart_text(locale: Locale, title: String, subtitle: String, file_name: &str) -> ChartText {
    ChartText {
        title,
        subtitle,
        save_title: td_string!(locale, analytics.save_image).to_owned(),
        file_name: file_name.to_owned(),
    }
}

/// A group of toggle buttons choosing one of a few values (granularity, split, sentiment).
#[component]
fn Switch<T>(
    /// Names the group.
    label: fn(Locale) -> &'static str,
    /// The values and their names.
    choices: Vec<(T, Signal<String>)>,
    /// The chosen value.
    value: RwSignal<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <div class="switch" role="group" aria-label=move || label(i18n.get_locale())>
            {choices
                .into_iter()
                .map(|(choice, name)| view! {
                    <button
                        type="button"
                        class="switch-option"
                        aria-pressed=move || (value.get() == choice).to_string()
                        on:click=move |_| value.set(choice)
                    >
                        {name}
                    </button>
                })
                .collect_view()}
        </div>
    }
}

/// The table beside a chart, folded: the keyboard's and screen reader's way to its data and
/// its drill-downs.
#[component]
fn ChartData(
    /// The table.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="chart-data">
            <summary>{tr(i18n, |l| td_string!(l, analytics.chart_table))}</summary>
            <div class="table-scroll">{children()}</div>
        </details>
    }
}

/// The empty state of a chart: a sentence instead of empty axes.
#[component]
fn Empty(
    /// The sentence.
    text: fn(Locale) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="notice notice-empty">{move || text(i18n.get_locale())}</p> }
}

/// A callback that opens the drill-down list the click maps to.
fn drill_to(
    map: impl Fn(&ChartClick) -> Option<String> + Send + Sync + 'static,
) -> Callback<ChartClick> {
    let navigate = use_navigate();
    Callback::new(move |click: ChartClick| {
        if let Some(href) = map(&click) {
            navigate(&href, Default::default());
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Trend

/// The score trend by day, week or month.
#[component]
pub fn TrendPanel(
    /// The filter bar.
    filter: Memo<AnalyticsFilter>,
) -> impl IntoView {
    let i18n = use_i18n();
    let granularity = RwSignal::new(Granularity::Day);
    let report = LocalResource::new(move || {
        let (filter, granularity) = (filter.get(), granularity.get());
        async move { api::analytics::trend(&filter, granularity).await }
    });
    let choices = Granularity::ALL
        .into_iter()
        .map(|g| {
            let name = Signal::derive(move || {
                let locale = i18n.get_locale();
                match g {
                    Granularity::Day => td_string!(locale, analytics.by_day),
                    Granularity::Week => td_string!(locale, analytics.by_week),
                    Granularity::Month => td_string!(locale, analytics.by_month),
                }
                .to_owned()
            });
            (g, name)
        })
        .collect();
    view! {
        <section class="panel analytics-panel analytics-wide" aria-labelledby="trend-title">
            <div class="panel-head">
                <h2 id="trend-title">{tr(i18n, |l| td_string!(l, analytics.trend_heading))}</h2>
                <Switch label=|l| td_string!(l, analytics.granularity) choices value=granularity />
            </div>
            {loaded!(report, |report| view! { <TrendView report filter=filter.get_untracked() /> })}
        </section>
    }
}

fn trend_labels(locale: Locale, report: &TrendReport) -> TrendLabels {
    let x_axis = match report.granularity {
        Granularity::Day => td_string!(locale, analytics.axis_day),
        Granularity::Week => td_string!(locale, analytics.axis_week),
        Granularity::Month => td_string!(locale, analytics.axis_month),
    };
    TrendLabels {
        text: chart_text(
            locale,
            td_string!(locale, analytics.trend_title).to_owned(),
            period_words(locale, report.period),
            "pingjia-trend",
        ),
        x_axis: x_axis.to_owned(),
        y_axis: td_string!(locale, analytics.score_axis).to_owned(),
        overall: td_string!(locale, analytics.overall).to_owned(),
        no_team: td_string!(locale, analytics.no_team).to_owned(),
        english: locale == Locale::en,
    }
}

/// One loaded trend.
#[component]
pub fn TrendView(
    /// The trend.
    report: TrendReport,
    /// The filter it was loaded with.
    filter: AnalyticsFilter,
) -> impl IntoView {
    let i18n = use_i18n();
    if trend_is_empty(&report) {
        return Either::Left(view! { <Empty text=|l| td_string!(l, analytics.trend_empty) /> });
    }
    let report = StoredValue::new(report);
    let filter = StoredValue::new(filter);
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        report.with_value(|r| ChartOption::from(trend_chart(r, &trend_labels(locale, r))))
    });
    let label =
        Signal::derive(move || td_string!(i18n.get_locale(), analytics.trend_title).to_owned());
    let href = move |series: usize, bucket: usize| {
        report.with_value(|r| {
            filter.with_value(|f| {
                trend_drill(r, f, series, bucket).map(|(f, d)| drill_href(&f, &d, 1))
            })
        })
    };
    let on_click = drill_to(move |click| href(click.series_index, click.data_index));
    let rows = report.with_value(|r| {
        let granularity = r.granularity;
        r.buckets
            .iter()
            .enumerate()
            .map(|(i, bucket)| {
                let name = bucket_label(*bucket, granularity);
                let average = score_text(r.overall.averages.get(i).copied().flatten());
                let count = r.overall.counts.get(i).copied().unwrap_or(0);
                let teams = r
                    .teams
                    .iter()
                    .enumerate()
                    .map(|(t, team)| {
                        let text = score_text(team.averages.get(i).copied().flatten());
                        let link =
                            href(t + 1, i).filter(|_| team.counts.get(i).is_some_and(|c| *c > 0));
                        match link {
                            Some(link) => {
                                Either::Left(view! { <td class="num"><A href=link>{text}</A></td> })
                            }
                            None => Either::Right(view! { <td class="num">{text}</td> }),
                        }
                    })
                    .collect_view();
                let link = href(0, i).unwrap_or_default();
                view! {
                    <tr>
                        <th scope="row"><A href=link>{name}</A></th>
                        <td class="num">{average}</td>
                        <td class="num">{count}</td>
                        {teams}
                    </tr>
                }
            })
            .collect_view()
    });
    let team_headers = report.with_value(|r| {
        r.teams
            .iter()
            .map(|team| {
                let team = team.clone();
                view! {
                    <th scope="col" class="num">
                        {move || {
                            let locale = i18n.get_locale();
                            let labels = TrendLabels {
                                no_team: td_string!(locale, analytics.no_team).to_owned(),
                                english: locale == Locale::en,
                                ..TrendLabels::default()
                            };
                            team_series_name(&team, &labels)
                        }}
                    </th>
                }
            })
            .collect_view()
    });
    Either::Right(view! {
        <EChart option label on_click />
        <ChartData>
            <table class="compact-table">
                <caption>{tr(i18n, |l| td_string!(l, analytics.trend_title))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.bucket))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.overall))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.col_count))}</th>
                        {team_headers}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </ChartData>
    })
}

// ---------------------------------------------------------------------------------------------
// Dimension ranking

/// The dimension ranking, strongest to weakest.
#[component]
pub fn DimensionPanel(
    /// The filter bar.
    filter: Memo<AnalyticsFilter>,
) -> impl IntoView {
    let i18n = use_i18n();
    let report = LocalResource::new(move || {
        let filter = filter.get();
        async move { api::analytics::dimensions(&filter).await }
    });
    view! {
        <section class="panel analytics-panel" aria-labelledby="dimensions-title">
            <h2 id="dimensions-title">{tr(i18n, |l| td_string!(l, analytics.dimensions_heading))}</h2>
            {loaded!(report, |report| view! { <DimensionView report filter=filter.get_untracked() /> })}
        </section>
    }
}

fn dimension_labels(locale: Locale, report: &DimensionReport) -> DimensionLabels {
    DimensionLabels {
        text: chart_text(
            locale,
            td_string!(locale, analytics.dimensions_title).to_owned(),
            period_words(locale, report.period),
            "pingjia-dimensions",
        ),
        value_axis: td_string!(locale, analytics.dimension_axis).to_owned(),
        strong: td_string!(locale, analytics.strong).to_owned(),
        weak: td_string!(locale, analytics.weak).to_owned(),
        weak_suffix: td_string!(locale, analytics.weak_suffix).to_owned(),
    }
}

/// One loaded ranking: the chart, the weak dimensions in words, and the table.
#[component]
pub fn DimensionView(
    /// The ranking.
    report: DimensionReport,
    /// The filter it was loaded with.
    filter: AnalyticsFilter,
) -> impl IntoView {
    let i18n = use_i18n();
    if report.dimensions.is_empty() {
        return Either::Left(
            view! { <Empty text=|l| td_string!(l, analytics.dimensions_empty) /> },
        );
    }
    let report = StoredValue::new(report);
    let filter = StoredValue::new(filter);
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        report.with_value(|r| {
            ChartOption::from(dimension_chart(r, locale, &dimension_labels(locale, r)))
        })
    });
    let label = Signal::derive(move || {
        td_string!(i18n.get_locale(), analytics.dimensions_title).to_owned()
    });
    let href = move |index: usize| {
        report
            .with_value(|r| dimension_drill(r, index))
            .map(|drill| filter.with_value(|f| drill_href(f, &drill, 1)))
    };
    let on_click = drill_to(move |click| href(click.data_index));
    let weak_note = move || {
        let locale = i18n.get_locale();
        let weak: Vec<String> = report.with_value(|r| {
            r.dimensions
                .iter()
                .filter(|d| d.weak)
                .map(|d| {
                    format!(
                        "{}（{:.2}）",
                        dimension_name(locale, &d.dimension),
                        d.average
                    )
                })
                .collect()
        });
        if weak.is_empty() {
            td_string!(locale, analytics.no_weak).to_owned()
        } else {
            td_string!(
                locale,
                analytics.weak_note,
                dimensions = weak.join(td_string!(locale, analytics.list_separator))
            )
        }
    };
    let any_weak = report.with_value(|r| r.dimensions.iter().any(|d| d.weak));
    let rows = move || {
        let locale = i18n.get_locale();
        report.with_value(|r| {
            r.dimensions
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let name = dimension_name(locale, &d.dimension);
                    let weak = d.weak;
                    view! {
                        <tr class:weak-row=weak>
                            <th scope="row"><A href=href(i).unwrap_or_default()>{name}</A></th>
                            <td class="num">{format!("{:.2}", d.average)}</td>
                            <td class="num">{d.count}</td>
                            <td>
                                {weak.then(|| view! {
                                    <span class="badge badge-weak">{td_string!(locale, analytics.weak_badge)}</span>
                                })}
                            </td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    Either::Right(view! {
        <EChart option label on_click />
        <p class="weak-note" class:weak-note-alert=any_weak>{weak_note}</p>
        <ChartData>
            <table class="compact-table dimension-table">
                <caption>{tr(i18n, |l| td_string!(l, analytics.dimensions_title))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.dimension))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.average))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.col_count))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.state))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </ChartData>
    })
}

// ---------------------------------------------------------------------------------------------
// Segments

/// A segment's name by its code: a customer type or a channel.
fn segment_name(locale: Locale, code: &str) -> String {
    if let Some(kind) = CustomerType::parse(code) {
        customer_type_name(locale, kind).to_owned()
    } else if let Some(channel) = Channel::parse(code) {
        channel_name(locale, channel).to_owned()
    } else {
        code.to_owned()
    }
}

/// Each dimension by customer type or by channel.
#[component]
pub fn SegmentPanel(
    /// The filter bar.
    filter: Memo<AnalyticsFilter>,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(SegmentKind::CustomerType);
    let report = LocalResource::new(move || {
        let filter = filter.get();
        async move { api::analytics::segments(&filter).await }
    });
    let choices = SegmentKind::ALL
        .into_iter()
        .map(|k| {
            let name = Signal::derive(move || {
                let locale = i18n.get_locale();
                match k {
                    SegmentKind::CustomerType => td_string!(locale, analytics.by_customer_type),
                    SegmentKind::Channel => td_string!(locale, analytics.by_channel),
                }
                .to_owned()
            });
            (k, name)
        })
        .collect();
    view! {
        <section class="panel analytics-panel" aria-labelledby="segments-title">
            <div class="panel-head">
                <h2 id="segments-title">{tr(i18n, |l| td_string!(l, analytics.segments_heading))}</h2>
                <Switch label=|l| td_string!(l, analytics.segment_by) choices value=kind />
            </div>
            {loaded!(report, |report| view! { <SegmentView report kind filter=filter.get_untracked() /> })}
        </section>
    }
}

fn segment_title(locale: Locale, kind: SegmentKind) -> &'static str {
    match kind {
        SegmentKind::CustomerType => td_string!(locale, analytics.segments_title_customer),
        SegmentKind::Channel => td_string!(locale, analytics.segments_title_channel),
    }
}

/// One loaded segment report, split by the chosen kind.
#[component]
fn SegmentView(
    report: SegmentReport,
    kind: RwSignal<SegmentKind>,
    filter: AnalyticsFilter,
) -> impl IntoView {
    let i18n = use_i18n();
    let report = StoredValue::new(report);
    let filter = StoredValue::new(filter);
    move || {
        let kind = kind.get();
        if report.with_value(|r| segments_are_empty(r, kind)) {
            return Either::Left(
                view! { <Empty text=|l| td_string!(l, analytics.segments_empty) /> },
            );
        }
        let option = Signal::derive(move || {
            let locale = i18n.get_locale();
            report.with_value(|r| {
                let labels = SegmentLabels {
                    text: chart_text(
                        locale,
                        segment_title(locale, kind).to_owned(),
                        period_words(locale, r.period),
                        "pingjia-segments",
                    ),
                    x_axis: td_string!(locale, analytics.dimension).to_owned(),
                    y_axis: td_string!(locale, analytics.dimension_axis).to_owned(),
                };
                ChartOption::from(segment_chart(r, kind, locale, &labels, |code| {
                    segment_name(locale, code)
                }))
            })
        });
        let label = Signal::derive(move || segment_title(i18n.get_locale(), kind).to_owned());
        let href = move |series: usize, dimension: usize| {
            report.with_value(|r| {
                filter.with_value(|f| {
                    segment_drill(r, kind, f, series, dimension).map(|(f, d)| drill_href(&f, &d, 1))
                })
            })
        };
        let on_click = drill_to(move |click| href(click.series_index, click.data_index));
        let table = move || {
            let locale = i18n.get_locale();
            report.with_value(|r| {
                let groups = kind.series(r).to_vec();
                let headers = groups
                    .iter()
                    .map(|g| {
                        let name = format!(
                            "{}（{}）",
                            segment_name(locale, &g.segment),
                            td_string!(
                                locale,
                                analytics.evaluations_count,
                                count = g.count.to_string()
                            )
                        );
                        view! { <th scope="col" class="num">{name}</th> }
                    })
                    .collect_view();
                let rows = r
                    .dimensions
                    .iter()
                    .enumerate()
                    .map(|(d, dimension)| {
                        let cells = groups
                            .iter()
                            .enumerate()
                            .map(|(s, g)| {
                                let mean = g.averages.get(d).copied().flatten();
                                let text = score_text(mean);
                                match mean.and(href(s, d)) {
                                    Some(link) => Either::Left(
                                        view! { <td class="num"><A href=link>{text}</A></td> },
                                    ),
                                    None => Either::Right(view! { <td class="num">{text}</td> }),
                                }
                            })
                            .collect_view();
                        view! {
                            <tr>
                                <th scope="row">{dimension_name(locale, dimension)}</th>
                                {cells}
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <table class="compact-table">
                        <caption>{segment_title(locale, kind)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{td_string!(locale, analytics.dimension)}</th>
                                {headers}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
            })
        };
        Either::Right(view! {
            <EChart option label on_click />
            <ChartData>{table}</ChartData>
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Distribution and complaints

// ---------------------------------------------------------------------------------------------
// Agent radar

// ---------------------------------------------------------------------------------------------
// Word cloud
