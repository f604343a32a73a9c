//! What the filter forms of the lists share: the from and to dates, and the apply and clear
//! buttons.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Locale, use_i18n};
use crate::locale::tr;

/// A fixed text in a language.
type Text = fn(Locale) -> &'static str;

/// The from and to dates of a filter form: inputs `{id}-from` and `{id}-to`, named `from` and
/// `to`, showing the dates of the address.
#[component]
pub fn DateRange(
    /// The inputs' id stem.
    id: &'static str,
    /// The labels.
    from_label: Text,
    to_label: Text,
    /// The dates the address carries.
    #[prop(into)]
    from: Signal<Option<NaiveDate>>,
    #[prop(into)] to: Signal<Option<NaiveDate>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (from_id, to_id) = (format!("{id}-from"), format!("{id}-to"));
    let text = |date: Signal<Option<NaiveDate>>| {
        move || date.get().map(|d| d.to_string()).unwrap_or_default()
    };
    view! {
        <div class="field">
            <label for=from_id.clone()>{tr(i18n, from_label)}</label>
            <input id=from_id name="from" type="date" prop:value=text(from) />
        </div>
        <div class="field">
            <label for=to_id.clone()>{tr(i18n, to_label)}</label>
            <input id=to_id name="to" type="date" prop:value=text(to) />
        </div>
    }
}

/// The end of a filter form: its submit button (when it has one) and, while a filter is set,
/// the link that clears them.
#[component]
pub fn FilterActions(
    /// The submit button's text; none when the form applies each change itself.
    #[prop(optional)]
    apply: Option<Text>,
    /// The clear link's text.
    clear: Text,
    /// Where the clear link goes.
    #[prop(into)]
    clear_href: Signal<String>,
    /// Whether a filter is set.
    #[prop(into)]
    filtered: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let class = if apply.is_some() {
        "button button-secondary"
    } else {
        "button button-secondary button-small"
    };
    view! {
        <div class="filter-actions">
            {apply.map(|apply| view! { <button type="submit" class="button">{tr(i18n, apply)}</button> })}
            {move || filtered.get().then(|| view! {
                <A href=move || clear_href.get() attr:class=class>
                    {tr(i18n, clear)}
                </A>
            })}
        </div>
    }
}
