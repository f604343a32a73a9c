//! Labelled inputs and text areas whose ids may be built at run time, with their error
//! message beside them.

use leptos::prelude::*;

use crate::components::form::error_id;
use crate::i18n::{td_string, use_i18n};
use crate::locale::tr;

/// A field's error message, when it has one.
#[component]
pub fn ErrorLine(
    /// The message's id, named by the control's `aria-describedby`.
    id: String,
    /// What is wrong.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    move || {
        error
            .get()
            .map(|text| view! { <p id=id.clone() class="field-error">{text}</p> })
    }
}

/// A labelled single-line input (text, date, number) with its error beside it; its id may be
/// built at run time.
#[component]
pub fn InputField(
    /// The input's id, unique on the page.
    #[prop(into)]
    id: String,
    /// The visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The value, bound both ways.
    value: RwSignal<String>,
    /// What is wrong with it.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// `text`, `date`, `number`...
    #[prop(default = "text")]
    input_type: &'static str,
    /// Whether it must be filled in.
    #[prop(optional)]
    required: bool,
    /// Whether the label says it may be left empty.
    #[prop(optional)]
    optional: bool,
    /// A short note under the label.
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
) -> impl IntoView {
    let invalid = move || error.with(Option::is_some);
    let message_id = error_id(&id);
    let described_by = described_by(&id, hint.is_some(), error);
    view! {
        <div class="field" class:field-invalid=invalid>
            <FieldLabel id=id.clone() label optional hint />
            <input
                id=id.clone()
                name=id
                type=input_type
                aria-required=required.then_some("true")
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
                bind:value=value
            />
            <ErrorLine id=message_id error />
        </div>
    }
}

/// A labelled textarea with its error beside it.
#[component]
pub fn TextAreaField(
    /// The textarea's id, unique on the page.
    #[prop(into)]
    id: String,
    /// The visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The text, bound both ways.
    value: RwSignal<String>,
    /// What is wrong with it.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Whether it must be filled in.
    #[prop(optional)]
    required: bool,
    /// Whether the label says it may be left empty.
    #[prop(optional)]
    optional: bool,
    /// A short note under the label.
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
    /// Visible lines.
    #[prop(default = 3)]
    rows: u32,
) -> impl IntoView {
    let invalid = move || error.with(Option::is_some);
    let message_id = error_id(&id);
    let described_by = described_by(&id, hint.is_some(), error);
    view! {
        <div class="field" class:field-invalid=invalid>
            <FieldLabel id=id.clone() label optional hint />
            <textarea
                id=id.clone()
                name=id
                rows=rows
                aria-required=required.then_some("true")
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
                bind:value=value
            ></textarea>
            <ErrorLine id=message_id error />
        </div>
    }
}

/// The `aria-describedby` of a control: its hint, if any, and its error while it has one.
fn described_by(
    id: &str,
    has_hint: bool,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + use<> {
    let hint_id = has_hint.then(|| format!("{id}-hint"));
    let message_id = error_id(id);
    move || {
        let invalid = error.with(Option::is_some);
        let ids: Vec<String> = [hint_id.clone(), invalid.then(|| message_id.clone())]
            .into_iter()
            .flatten()
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A control's label ("optional" when it may be left empty) and its hint under it.
#[component]
fn FieldLabel(
    /// The control's id.
    id: String,
    /// The visible label.
    label: Signal<String>,
    /// Whether the label says the control may be left empty.
    optional: bool,
    /// A short note under the label.
    hint: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{id}-hint");
    view! {
        <label for=id>
            {move || label.get()}
            {optional
                .then(|| {
                    view! { <span class="field-optional">{tr(i18n, |l| td_string!(l, form.optional))}</span> }
                })}
        </label>
        {hint.map(|hint| view! { <p id=hint_id class="field-hint">{move || hint.get()}</p> })}
    }
}
