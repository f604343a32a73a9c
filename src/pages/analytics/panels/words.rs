//! The word cloud panel: what customers say, by sentiment.

use super::*;

/// The word cloud of the complaints' or the praise's suggestions.
#[component]
pub fn WordPanel(
    /// The filter bar.
    filter: Memo<AnalyticsFilter>,
    /// The filter bar's choices, once loaded (for the thresholds).
    options: Signal<Option<AnalyticsOptions>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sentiment = RwSignal::new(Sentiment::Complaints);
    let report = LocalResource::new(move || {
        let (filter, sentiment) = (filter.get(), sentiment.get());
        async move { api::analytics::words(&filter, sentiment).await }
    });
    let choices = Sentiment::ALL
        .into_iter()
        .map(|s| {
            let name = Signal::derive(move || {
                let locale = i18n.get_locale();
                let (satisfied, callback) = options.with(|o| thresholds(o.as_ref()));
                match s {
                    Sentiment::Complaints => {
                        td_string!(locale, analytics.complaints, score = callback.to_string())
                    }
                    Sentiment::Praise => {
                        td_string!(locale, analytics.praise, score = satisfied.to_string())
                    }
                }
            });
            (s, name)
        })
        .collect();
    view! {
        <section class="panel analytics-panel" aria-labelledby="words-title">
            <div class="panel-head">
                <h2 id="words-title">{tr(i18n, |l| td_string!(l, analytics.words_heading))}</h2>
                <Switch label=|l| td_string!(l, analytics.sentiment) choices value=sentiment />
            </div>
            {loaded!(report, |report| view! { <WordView report filter=filter.get_untracked() /> })}
            <p class="chart-links">
                <A href=STOP_WORDS_PATH>{tr(i18n, |l| td_string!(l, analytics.stop_words_link))}</A>
            </p>
        </section>
    }
}

pub(super) fn words_title(locale: Locale, sentiment: Sentiment) -> &'static str {
    match sentiment {
        Sentiment::Complaints => td_string!(locale, analytics.words_title_complaints),
        Sentiment::Praise => td_string!(locale, analytics.words_title_praise),
    }
}

/// One loaded word cloud, and its words as links.
#[component]
pub fn WordView(
    /// The terms.
    report: WordReport,
    /// The filter it was loaded with.
    filter: AnalyticsFilter,
) -> impl IntoView {
    let i18n = use_i18n();
    if report.terms.is_empty() {
        return Either::Left(view! { <Empty text=|l| td_string!(l, analytics.words_empty) /> });
    }
    let sentiment = report.sentiment;
    let report = StoredValue::new(report);
    let filter = StoredValue::new(filter);
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        report.with_value(|r| {
            let labels = WordLabels {
                text: chart_text(
                    locale,
                    words_title(locale, sentiment).to_owned(),
                    td_string!(
                        locale,
                        analytics.words_subtitle,
                        period = period_words(locale, r.period),
                        count = r.evaluations.to_string()
                    ),
                    "pingjia-words",
                ),
                series: td_string!(locale, analytics.words_series).to_owned(),
            };
            ChartOption::from(word_cloud(r, &labels))
        })
    });
    let label = Signal::derive(move || words_title(i18n.get_locale(), sentiment).to_owned());
    let href =
        move |word: &str| filter.with_value(|f| drill_href(f, &word_drill(word, sentiment), 1));
    let known = move |word: &str| report.with_value(|r| r.terms.iter().any(|t| t.term == word));
    let on_click = drill_to(move |click| known(&click.name).then(|| href(&click.name)));
    let words = report.with_value(|r| {
        r.terms
            .iter()
            .map(|t| {
                let link = href(&t.term);
                let text = t.term.clone();
                let count = t.count;
                view! {
                    <li>
                        <A href=link>{text}</A>
                        " "
                        <span class="muted">{format!("({count})")}</span>
                    </li>
                }
            })
            .collect_view()
    });
    Either::Right(view! {
        <EChart option label on_click />
        <details class="chart-data">
            <summary>{tr(i18n, |l| td_string!(l, analytics.words_list))}</summary>
            <ul class="word-list">{words}</ul>
        </details>
    })
}
