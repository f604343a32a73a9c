//! A labelled input of the configuration screens, with a hint, a unit and the words of their
//! field errors.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use pingjia_domain::FieldError;

use super::field_error_text;
use crate::i18n::{Locale, t, use_i18n};

/// A field error of the configuration screens in words; codes the shared forms do not know
/// are named here.
pub fn config_error_text(i18n: I18nContext<Locale>, error: &FieldError) -> AnyView {
    match error.code.as_str() {
        "out_of_range" => t!(i18n, config.error_out_of_range).into_any(),
        "not_a_number" => t!(i18n, config.error_not_a_number).into_any(),
        "all_optional" => t!(i18n, config.error_all_optional).into_any(),
        "too_many" => t!(i18n, config.error_too_many).into_any(),
        "not_weekend" => t!(i18n, config.error_not_weekend).into_any(),
        "other_year" => t!(i18n, config.error_other_year).into_any(),
        "sum" => t!(i18n, config.error_weights_sum).into_any(),
        "order" if error.field.starts_with("sla_") => t!(i18n, config.error_sla_order).into_any(),
        "order" if error.field == "callback_threshold" => {
            t!(i18n, config.error_threshold_order).into_any()
        }
        "invalid_time" => t!(i18n, config.error_time).into_any(),
        "unknown" => t!(i18n, config.error_unknown_reference).into_any(),
        "invalid" if error.field == "code" => t!(i18n, config.error_code).into_any(),
        _ => field_error_text(i18n, error),
    }
}

/// A labelled input (or text area) with a hint, a unit and its error message beside it, the
/// error in the words of [`config_error_text`].
#[component]
pub fn ConfigField(
    /// The control's id, unique on the page.
    id: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The value, bound both ways.
    value: RwSignal<String>,
    /// What is wrong with the value.
    #[prop(optional, into)]
    error: MaybeProp<FieldError>,
    /// A short note under the label.
    #[prop(optional, into)]
    hint: MaybeProp<String>,
    /// The unit shown after the input, e.g. 分钟.
    #[prop(optional, into)]
    unit: MaybeProp<&'static str>,
    /// The input's type: `text`, `number`, `date`.
    #[prop(default = "text")]
    input_type: &'static str,
    /// A text area instead of a one-line input.
    #[prop(optional)]
    multiline: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let invalid = move || error.with(Option::is_some);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let unit_id = format!("{id}-unit");
    let described_by = {
        let (hint_id, error_id, unit_id) = (hint_id.clone(), error_id.clone(), unit_id.clone());
        move || {
            let ids: Vec<&str> = [
                hint.with(Option::is_some).then_some(hint_id.as_str()),
                unit.with(Option::is_some).then_some(unit_id.as_str()),
                invalid().then_some(error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let control = if multiline {
        view! {
            <textarea
                id=id
                name=id
                rows="3"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
                bind:value=value
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id
                name=id
                type=input_type
                inputmode=(input_type == "number").then_some("numeric")
                autocomplete="off"
                spellcheck="false"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
                bind:value=value
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id>{move || label.get()}</label>
            {move || {
                hint.get().map(|text| view! { <p id=hint_id.clone() class="field-hint">{text}</p> })
            }}
            <div class="field-control">
                {control}
                {move || {
                    unit.get().map(|text| view! { <span id=unit_id.clone() class="field-unit">{text}</span> })
                }}
            </div>
            {move || {
                error
                    .get()
                    .map(|error| {
                        view! {
                            <p id=error_id.clone() class="field-error">
                                {config_error_text(i18n, &error)}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// A form's submit button in its `form-actions` row: its label, and another while the request
/// is under way (`aria-disabled` then, so the button keeps its focus and a second press is
/// ignored by the form's handler).
#[component]
pub fn SubmitButton(
    /// Whether the form's request is under way.
    #[prop(into)]
    pending: Signal<bool>,
    /// The button's words.
    label: fn(Locale) -> &'static str,
    /// Its words while the request is under way.
    busy: fn(Locale) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="form-actions">
            <button type="submit" class="button" aria-disabled=move || pending.get().then_some("true")>
                {move || if pending.get() { busy(i18n.get_locale()) } else { label(i18n.get_locale()) }}
            </button>
        </div>
    }
}
