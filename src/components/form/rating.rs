//! The rating form's own fields: the overall 1-10 scale and the suggestion; the appeal form
//! and the admin's edited approval show them too.

use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::evaluations::SUGGESTION_MAX_CHARS;

use super::field_error_text;
use crate::i18n::{t, td_string, use_i18n};
use crate::locale::tr;

/// The overall satisfaction, 1 to 10: ten radio buttons in a row, with the meaning of the
/// two ends.
#[component]
pub fn OverallScale(
    /// The chosen score, `None` until one is chosen.
    value: RwSignal<Option<u8>>,
    /// What is wrong with it.
    #[prop(into)]
    error: Signal<Option<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let invalid = move || error.with(Option::is_some);
    let options = (1..=10u8)
        .map(|score| {
            let id = format!("overall-{score}");
            let label_for = id.clone();
            view! {
                <input
                    type="radio"
                    class="scale-input"
                    id=id
                    name="overall"
                    value=score.to_string()
                    aria-invalid=move || invalid().then_some("true")
                    prop:checked=move || value.get() == Some(score)
                    on:change=move |_| value.set(Some(score))
                />
                <label for=label_for class="scale-option">
                    {score}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="field overall-scale"
            class:field-invalid=invalid
            aria-describedby=move || {
                if invalid() {
                    "overall-ends overall-value overall-error"
                } else {
                    "overall-ends overall-value"
                }
            }
        >
            <legend>{tr(i18n, |l| td_string!(l, rating.overall_legend))}</legend>
            <p id="overall-ends" class="field-hint">
                {tr(i18n, |l| td_string!(l, rating.overall_hint))}
            </p>
            <div class="scale">{options}</div>
            <div class="scale-ends" aria-hidden="true">
                <span>{tr(i18n, |l| td_string!(l, rating.overall_low))}</span>
                <span>{tr(i18n, |l| td_string!(l, rating.overall_high))}</span>
            </div>
            <p id="overall-value" class="star-value" class:muted=move || value.get().is_none()>
                {move || match value.get() {
                    Some(score) => t!(i18n, rating.overall_chosen, score).into_any(),
                    None => tr(i18n, |l| td_string!(l, rating.not_chosen)).into_any(),
                }}
            </p>
            {move || {
                error
                    .get()
                    .map(|error| {
                        view! {
                            <p id="overall-error" class="field-error">
                                {field_error_text(i18n, &error)}
                            </p>
                        }
                    })
            }}
        </fieldset>
    }
}

/// The optional suggestion, with a live count of its characters.
#[component]
pub fn SuggestionField(
    /// The text, bound both ways.
    value: RwSignal<String>,
    /// What is wrong with it.
    #[prop(into)]
    error: Signal<Option<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || value.with(|v| v.trim().chars().count());
    let over = move || count() > SUGGESTION_MAX_CHARS;
    let invalid = move || error.with(Option::is_some);
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for="suggestion">
                {tr(i18n, |l| td_string!(l, rating.suggestion_label))}
                <span class="field-optional">{tr(i18n, |l| td_string!(l, form.optional))}</span>
            </label>
            <textarea
                id="suggestion"
                name="suggestion"
                rows="4"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=move || {
                    if invalid() { "suggestion-count suggestion-error" } else { "suggestion-count" }
                }
                bind:value=value
            ></textarea>
            <p
                id="suggestion-count"
                class="field-hint char-count"
                class:char-count-over=over
            >
                {move || format!("{}/{SUGGESTION_MAX_CHARS}", count())}
            </p>
            {move || {
                error
                    .get()
                    .map(|error| {
                        view! {
                            <p id="suggestion-error" class="field-error">
                                {field_error_text(i18n, &error)}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
