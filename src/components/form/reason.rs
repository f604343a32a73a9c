//! A reason to write (an appeal's, a decision's, a refusal's) with its character count.

use leptos::prelude::*;

/// A reason to write, with a live count of its characters and its message beside it.
#[component]
pub fn ReasonField(
    /// The textarea's id, unique on the page; the count's and message's ids derive from it.
    id: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The rule, under the label.
    #[prop(optional, into)]
    hint: Option<Signal<&'static str>>,
    /// The text, bound both ways.
    value: RwSignal<String>,
    /// At most this many characters.
    max: usize,
    /// What is wrong with it, shown beside it.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let count_id = format!("{id}-count");
    let error_id = format!("{id}-error");
    let invalid = move || error.with(Option::is_some);
    let count = move || value.with(|v| v.trim().chars().count());
    let over = move || count() > max;
    let described_by = {
        let ids = [
            hint.is_some().then(|| hint_id.clone()),
            Some(count_id.clone()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        let error_id = error_id.clone();
        move || {
            if invalid() {
                format!("{ids} {error_id}")
            } else {
                ids.clone()
            }
        }
    };
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id>{move || label.get()}</label>
            {hint.map(|hint| view! { <p id=hint_id class="field-hint">{move || hint.get()}</p> })}
            <textarea
                id=id
                name=id
                rows="4"
                aria-required="true"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
                bind:value=value
            ></textarea>
            <p id=count_id class="field-hint char-count" class:char-count-over=over>
                {move || format!("{}/{max}", count())}
            </p>
            {move || {
                error.get().map(|text| view! { <p id=error_id.clone() class="field-error">{text}</p> })
            }}
        </div>
    }
}
