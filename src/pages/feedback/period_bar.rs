//! The period bar of the agent's and the team lead's homes: the last 7, 30 or 90 days, or a
//! custom range. The address holds the choice; a change navigates to the same page with it.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use pingjia_domain::analytics::MAX_PERIOD_DAYS;

use super::{PRESET_DAYS, PeriodChoice, PeriodProblem, href_with, today};
use crate::format::period_words;
use crate::i18n::td_string;
use crate::i18n::use_i18n;
use crate::locale::tr;

/// The period presets and a custom range; `keep` names the other query parameters of the page
/// that a change of period keeps (e.g. the trend's granularity).
#[component]
pub fn PeriodBar(
    /// The page's address.
    path: &'static str,
    /// The prefix of the controls' ids, unique on the page.
    id: &'static str,
    /// The query parameters a change of period keeps.
    #[prop(optional)]
    keep: &'static [&'static str],
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let choice = Memo::new(move |_| query.with(PeriodChoice::from_params));
    let today = today();
    let problem = RwSignal::new(None::<PeriodProblem>);
    let go = Callback::new(move |wanted: PeriodChoice| {
        let mut pairs = wanted.params();
        query.with_untracked(|q| {
            for key in keep {
                if let Some(value) = q.get(key) {
                    pairs.push((key, value));
                }
            }
        });
        problem.set(None);
        navigate(
            &href_with(path, &pairs),
            NavigateOptions {
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });
    let shown = move |from: bool| {
        move || {
            let period = choice.get().period(today);
            if from { period.from } else { period.to }.to_string()
        }
    };
    let change_date = move |from: bool, value: String| {
        let Ok(day) = value.parse::<chrono::NaiveDate>() else {
            return;
        };
        let period = choice.get_untracked().period(today);
        let (start, end) = if from {
            (day, period.to)
        } else {
            (period.from, day)
        };
        match PeriodChoice::checked(start, end) {
            Ok(wanted) => go.run(wanted),
            Err(found) => problem.set(Some(found)),
        }
    };
    let presets = PRESET_DAYS
        .into_iter()
        .map(|days| {
            view! {
                <button
                    type="button"
                    class="button button-secondary button-small preset"
                    aria-pressed=move || (choice.get() == PeriodChoice::Last(days)).to_string()
                    on:click=move |_| go.run(PeriodChoice::Last(days))
                >
                    {move || td_string!(i18n.get_locale(), feedback.preset_days, days = days.to_string())}
                </button>
            }
        })
        .collect_view();
    let from_id = format!("{id}-from");
    let to_id = format!("{id}-to");
    let summary_id = format!("{id}-summary");
    let error_id = format!("{id}-error");
    let invalid = move || problem.get().is_some();
    let described = {
        let (summary_id, error_id) = (summary_id.clone(), error_id.clone());
        move || {
            if invalid() {
                error_id.clone()
            } else {
                summary_id.clone()
            }
        }
    };
    let problem_text = move || {
        let locale = i18n.get_locale();
        problem.get().map(|found| match found {
            PeriodProblem::AfterTo => td_string!(locale, feedback.period_after_to).to_owned(),
            PeriodProblem::TooLong => td_string!(
                locale,
                feedback.period_too_long,
                days = MAX_PERIOD_DAYS.to_string()
            ),
        })
    };
    view! {
        <form class="filters fb-period" on:submit=|ev| ev.prevent_default()>
            <fieldset class="period-field" class:field-invalid=invalid>
                <legend>{tr(i18n, |l| td_string!(l, feedback.period))}</legend>
                <div class="preset-group">{presets}</div>
                <div class="period-range">
                    <div class="field">
                        <label for=from_id.clone()>{tr(i18n, |l| td_string!(l, feedback.from))}</label>
                        <input
                            id=from_id
                            type="date"
                            max=today.to_string()
                            aria-invalid=move || invalid().then_some("true")
                            aria-describedby=described.clone()
                            prop:value=shown(true)
                            on:change=move |ev| change_date(true, event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for=to_id.clone()>{tr(i18n, |l| td_string!(l, feedback.to))}</label>
                        <input
                            id=to_id
                            type="date"
                            max=today.to_string()
                            aria-invalid=move || invalid().then_some("true")
                            aria-describedby=described
                            prop:value=shown(false)
                            on:change=move |ev| change_date(false, event_target_value(&ev))
                        />
                    </div>
                </div>
                <p id=summary_id class="field-hint">
                    {move || period_words(i18n.get_locale(), choice.get().period(today))}
                </p>
                {move || problem_text().map(|text| view! {
                    <p id=error_id.clone() class="field-error" role="alert">{text}</p>
                })}
            </fieldset>
        </form>
    }
}
