//! The 1-5 star rating of one dimension: a labelled group of five native radio buttons drawn
//! as large stars, so the browser gives it its keyboard behaviour (Tab into the group, arrow
//! keys move the choice), with the meaning of the chosen value spelled out beside it.

use crate::locale::tr;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use pingjia_domain::FieldError;

use crate::components::form::field_error_text;
use crate::i18n::{Locale, t, td_string, use_i18n};

/// The words for a 1-5 score: 1 非常不满意 / Very dissatisfied ... 5 非常满意 / Very satisfied.
pub fn score_label(locale: Locale, score: u8) -> &'static str {
    match score {
        1 => td_string!(locale, rating.score_1),
        2 => td_string!(locale, rating.score_2),
        3 => td_string!(locale, rating.score_3),
        4 => td_string!(locale, rating.score_4),
        _ => td_string!(locale, rating.score_5),
    }
}

/// One dimension's 1-5 stars. Nothing is chosen until the customer chooses.
#[component]
pub fn StarRating(
    /// The radios' `name`, unique on the page; the ids of the radios, the description and the
    /// error message derive from it.
    #[prop(into)]
    name: String,
    /// The dimension's name, the group's legend.
    #[prop(into)]
    legend: Signal<String>,
    /// What the dimension is about, shown under the legend.
    #[prop(optional, into)]
    description: MaybeProp<String>,
    /// Whether it may be left unanswered; the legend then says so.
    #[prop(optional)]
    optional: bool,
    /// The chosen score, bound both ways; `None` until one is chosen.
    value: RwSignal<Option<u8>>,
    /// What is wrong with the answer, shown beside the stars.
    #[prop(optional, into)]
    error: MaybeProp<FieldError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let description_id = format!("{name}-description");
    let value_id = format!("{name}-value");
    let error_id = format!("{name}-error");
    let invalid = move || error.with(Option::is_some);
    let described_by = {
        let (description_id, value_id, error_id) =
            (description_id.clone(), value_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if description.with(Option::is_some) {
                ids.push(description_id.clone());
            }
            ids.push(value_id.clone());
            if invalid() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    let stars = (1..=5u8)
        .map(|score| {
            let id = format!("{name}-{score}");
            let label_for = id.clone();
            view! {
                <input
                    type="radio"
                    class="star-input"
                    id=id
                    name=name.clone()
                    value=score.to_string()
                    aria-invalid=move || invalid().then_some("true")
                    prop:checked=move || value.get() == Some(score)
                    on:change=move |_| value.set(Some(score))
                />
                <label
                    for=label_for
                    class="star"
                    class:star-on=move || value.get().is_some_and(|v| v >= score)
                >
                    <span class="star-shape" aria-hidden="true">
                        "★"
                    </span>
                    <span class="visually-hidden">
                        {move || star_name(i18n, score)}
                    </span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="field star-rating"
            class:field-invalid=invalid
            aria-describedby=described_by
        >
            <legend>
                {move || legend.get()}
                {optional
                    .then(|| {
                        view! { <span class="field-optional">{tr(i18n, |l| td_string!(l, form.optional))}</span> }
                    })}
            </legend>
            {move || {
                description
                    .get()
                    .map(|text| {
                        view! {
                            <p id=description_id.clone() class="field-hint">
                                {text}
                            </p>
                        }
                    })
            }}
            <div class="stars">{stars}</div>
            <p id=value_id class="star-value" class:muted=move || value.get().is_none()>
                {move || match value.get() {
                    Some(score) => {
                        let label = score_label(i18n.get_locale(), score);
                        if score == 1 {
                            t!(i18n, rating.chosen_one, label).into_any()
                        } else {
                            t!(i18n, rating.chosen, score, label).into_any()
                        }
                    }
                    None => tr(i18n, |l| td_string!(l, rating.not_chosen)).into_any(),
                }}
            </p>
            {move || {
                error
                    .get()
                    .map(|error| {
                        view! {
                            <p id=error_id.clone() class="field-error">
                                {field_error_text(i18n, &error)}
                            </p>
                        }
                    })
            }}
        </fieldset>
    }
}

/// A star's accessible name, e.g. "4 星：满意" / "4 stars: Satisfied" ("1 star: …").
fn star_name(i18n: I18nContext<Locale>, score: u8) -> impl IntoView {
    let label = score_label(i18n.get_locale(), score);
    if score == 1 {
        t!(i18n, rating.star_name_one, label).into_any()
    } else {
        t!(i18n, rating.star_name, score, label).into_any()
    }
}
