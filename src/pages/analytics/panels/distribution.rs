//! The distribution panel: overall scores and complaints by tag.

use super::*;
use crate::pages::analytics::tag_names::TAGS_PATH;

/// The overall score distribution and the complaints by tag.
#[component]
pub fn DistributionPanel(
    /// The filter bar.
    filter: Memo<AnalyticsFilter>,
    /// The filter bar's choices, once loaded (for the thresholds).
    options: Signal<Option<AnalyticsOptions>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let report = LocalResource::new(move || {
        let filter = filter.get();
        async move { api::analytics::distribution(&filter).await }
    });
    view! {
        <section class="panel analytics-panel analytics-wide" aria-labelledby="distribution-title">
            <h2 id="distribution-title">{tr(i18n, |l| td_string!(l, analytics.distribution_heading))}</h2>
            {loaded!(report, |report| view! {
                <div class="chart-pair">
                    <OverallView report=report.clone() filter=filter.get_untracked() options />
                    <ComplaintView report filter=filter.get_untracked() />
                </div>
            })}
        </section>
    }
}

/// The overall score distribution of one report.
#[component]
pub(super) fn OverallView(
    report: DistributionReport,
    filter: AnalyticsFilter,
    options: Signal<Option<AnalyticsOptions>>,
) -> impl IntoView {
    let i18n = use_i18n();
    if distribution_is_empty(&report) {
        return Either::Left(view! {
            <div class="chart-cell"><Empty text=|l| td_string!(l, analytics.distribution_empty) /></div>
        });
    }
    let report = StoredValue::new(report);
    let filter = StoredValue::new(filter);
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        let (satisfied, callback) = options.with(|o| thresholds(o.as_ref()));
        report.with_value(|r| {
            let labels = DistributionLabels {
                text: chart_text(
                    locale,
                    td_string!(locale, analytics.distribution_title).to_owned(),
                    period_words(locale, r.period),
                    "pingjia-overall",
                ),
                x_axis: td_string!(locale, analytics.distribution_x).to_owned(),
                y_axis: td_string!(locale, analytics.distribution_y).to_owned(),
                low: td_string!(locale, analytics.band_low, score = callback.to_string()),
                middle: td_string!(locale, analytics.band_middle).to_owned(),
                high: td_string!(locale, analytics.band_high, score = satisfied.to_string()),
                callback_threshold: callback,
                satisfaction_threshold: satisfied,
            };
            ChartOption::from(distribution_chart(r, &labels))
        })
    });
    let label = Signal::derive(move || {
        td_string!(i18n.get_locale(), analytics.distribution_title).to_owned()
    });
    let href = move |index: usize| {
        distribution_drill(index).map(|drill| filter.with_value(|f| drill_href(f, &drill, 1)))
    };
    let on_click = drill_to(move |click| href(click.data_index));
    let rows = report.with_value(|r| {
        r.overall
            .iter()
            .enumerate()
            .map(|(i, count)| {
                let score = i + 1;
                let cell = match (*count > 0).then(|| href(i)).flatten() {
                    Some(link) => Either::Left(view! { <A href=link>{score}</A> }),
                    None => Either::Right(score),
                };
                view! {
                    <tr>
                        <th scope="row">{cell}</th>
                        <td class="num">{*count}</td>
                    </tr>
                }
            })
            .collect_view()
    });
    Either::Right(view! {
        <div class="chart-cell">
            <EChart option label on_click />
            <ChartData>
                <table class="compact-table">
                    <caption>{tr(i18n, |l| td_string!(l, analytics.distribution_title))}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(i18n, |l| td_string!(l, analytics.score))}</th>
                            <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.col_count))}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </ChartData>
        </div>
    })
}

/// The complaints by tag of one report.
#[component]
pub(super) fn ComplaintView(report: DistributionReport, filter: AnalyticsFilter) -> impl IntoView {
    let i18n = use_i18n();
    if complaints_are_empty(&report) {
        return Either::Left(view! {
            <div class="chart-cell"><Empty text=|l| td_string!(l, analytics.complaints_empty) /></div>
        });
    }
    let report = StoredValue::new(report);
    let filter = StoredValue::new(filter);
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        report.with_value(|r| {
            let labels = ComplaintLabels {
                text: chart_text(
                    locale,
                    td_string!(locale, analytics.complaints_title).to_owned(),
                    td_string!(
                        locale,
                        analytics.complaints_subtitle,
                        count = r.complaints.to_string()
                    ),
                    "pingjia-complaints",
                ),
                series: td_string!(locale, analytics.complaints_series).to_owned(),
                untagged: td_string!(locale, analytics.untagged).to_owned(),
                lang: lang(locale),
            };
            ChartOption::from(complaint_pie(r, &labels))
        })
    });
    let label = Signal::derive(move || {
        td_string!(i18n.get_locale(), analytics.complaints_title).to_owned()
    });
    let href = move |index: usize| {
        report
            .with_value(|r| complaint_drill(r, index))
            .map(|drill| filter.with_value(|f| drill_href(f, &drill, 1)))
    };
    let on_click = drill_to(move |click| href(click.data_index));
    let rows = move || {
        let locale = i18n.get_locale();
        report.with_value(|r| {
            let total: u64 = r.complaint_tags.iter().map(|t| t.count).sum();
            r.complaint_tags
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let name = tag_name(lang(locale), t, td_string!(locale, analytics.untagged));
                    let share = percent_text((total > 0).then(|| t.count as f64 / total as f64));
                    view! {
                        <tr>
                            <th scope="row"><A href=href(i).unwrap_or_default()>{name}</A></th>
                            <td class="num">{t.count}</td>
                            <td class="num">{share}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    Either::Right(view! {
        <div class="chart-cell">
            <EChart option label on_click />
            <ChartData>
                <table class="compact-table">
                    <caption>{tr(i18n, |l| td_string!(l, analytics.complaints_title))}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(i18n, |l| td_string!(l, analytics.tag))}</th>
                            <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.complaints_series))}</th>
                            <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.share))}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </ChartData>
            <p class="chart-links">
                <A href=TAGS_PATH>{tr(i18n, |l| td_string!(l, analytics.tags_link))}</A>
            </p>
        </div>
    })
}
