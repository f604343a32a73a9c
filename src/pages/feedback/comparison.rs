//! The agent's scores in the 30 days before a day (an improvement plan opened, a coaching
//! session held) against the 30 days after, once those have passed: shared by the plan's page
//! and the coaching session's.

use chrono::{DateTime, Duration, Local, Utc};
use leptos::either::Either;
use leptos::prelude::*;
use pingjia_domain::feedback::{PLAN_COMPARE_DAYS, PlanWindow, QaWindow, plan_compare_days};

use super::{change_text, day_with_weekday};
use crate::format::score_text;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::locale::tr;

/// The table of the windows before and after `at`, the change of the mean total score or when
/// the after window will be shown.
#[component]
pub fn ScoreComparison(
    /// The plan's opening or the session's time: the windows are the whole days around its day.
    at: DateTime<Utc>,
    /// The customer scores before.
    before: PlanWindow,
    /// …and after, once the days have passed.
    after: Option<PlanWindow>,
    /// Mean total score after minus before.
    change: Option<f64>,
    /// The QA scores before and after, where the page shows them.
    #[prop(optional)]
    qa: Option<(QaWindow, Option<QaWindow>)>,
    /// The prefix of the section's ids and test ids (`plan`, `coaching`).
    prefix: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    // Whole days: `to` is the start of the day after the last.
    let window_period = |w: &PlanWindow| {
        format!(
            "{} – {}",
            w.from.with_timezone(&Local).format("%Y-%m-%d"),
            (w.to - Duration::seconds(1))
                .with_timezone(&Local)
                .format("%Y-%m-%d")
        )
    };
    let [_, (_, available)] = plan_compare_days(at.with_timezone(&Local).date_naive());
    let row = |label: fn(Locale) -> &'static str, before: String, after: String| {
        view! {
            <tr>
                <th scope="row">{move || label(i18n.get_locale())}</th>
                <td data-label=move || td_string!(i18n.get_locale(), feedback.before)>{before}</td>
                <td data-label=move || td_string!(i18n.get_locale(), feedback.after)>{after}</td>
            </tr>
        }
    };
    let cell =
        |w: Option<&PlanWindow>, f: fn(&PlanWindow) -> String| w.map_or_else(|| "—".to_owned(), f);
    let customer_row = |label: fn(Locale) -> &'static str, f: fn(&PlanWindow) -> String| {
        row(label, f(&before), cell(after.as_ref(), f))
    };
    let mut rows = vec![
        customer_row(
            |l| td_string!(l, feedback.figure_count),
            |w| w.count.to_string(),
        ),
        customer_row(
            |l| td_string!(l, feedback.figure_total),
            |w| score_text(w.average_total),
        ),
        customer_row(
            |l| td_string!(l, feedback.figure_overall),
            |w| score_text(w.average_overall),
        ),
    ];
    if let Some((qa_before, qa_after)) = &qa {
        let qa_cell =
            |w: Option<&QaWindow>, f: fn(&QaWindow) -> String| w.map_or_else(|| "—".to_owned(), f);
        rows.push(row(
            |l| td_string!(l, feedback.figure_qa_count),
            qa_before.count.to_string(),
            qa_cell(qa_after.as_ref(), |w| w.count.to_string()),
        ));
        rows.push(row(
            |l| td_string!(l, feedback.figure_qa),
            score_text(qa_before.average),
            qa_cell(qa_after.as_ref(), |w| score_text(w.average)),
        ));
    }
    let before_period = window_period(&before);
    let after_period = after.as_ref().map(window_period);
    let title_id = format!("{prefix}-compare-title");
    let (section_label, region_label) = (title_id.clone(), title_id.clone());
    view! {
        <section class="panel" aria-labelledby=section_label data-testid=format!("{prefix}-comparison")>
            <h2 id=title_id>{tr(i18n, |l| td_string!(l, feedback.compare_heading))}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=region_label>
                <table class="data-table">
                    <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, feedback.compare_heading))}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(i18n, |l| td_string!(l, feedback.figure))}</th>
                            <th scope="col">
                                {tr(i18n, |l| td_string!(l, feedback.before))}
                                <br /><span class="muted">{before_period}</span>
                            </th>
                            <th scope="col">
                                {tr(i18n, |l| td_string!(l, feedback.after))}
                                {after_period.map(|p| view! { <br /><span class="muted">{p}</span> })}
                            </th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {match after {
                Some(_) => Either::Left(view! {
                    <p data-testid=format!("{prefix}-change")>
                        {tr(i18n, |l| td_string!(l, feedback.change))} " "
                        <strong>{change_text(change)}</strong>
                    </p>
                }),
                None => Either::Right(view! {
                    <p class="notice" data-testid=format!("{prefix}-after-pending")>
                        {move || td_string!(i18n.get_locale(), feedback.after_pending, days = PLAN_COMPARE_DAYS.to_string(), from = day_with_weekday(i18n.get_locale(), available))}
                    </p>
                }),
            }}
        </section>
    }
}
