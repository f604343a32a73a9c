//! What the filter forms of the lists share: the from and to dates, the apply and clear
//! buttons, reading the submitted form, and the agents to choose from.

use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::users::MAX_PER_PAGE;
use pingjia_domain::wire::Role;
use wasm_bindgen::JsCast;

use crate::api;
use crate::api::users::UserQuery;

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

/// The values of the form a submit event comes from, by name (empty when a name is absent);
/// the default submit is prevented. `None` when the event has no form.
pub fn submitted_values(ev: &SubmitEvent) -> Option<impl Fn(&str) -> String + use<>> {
    ev.prevent_default();
    let form = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())?;
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    Some(move |name: &str| data.get(name).as_string().unwrap_or_default())
}

/// The agents to filter by, as id and "name number", once loaded.
pub fn agent_choices() -> Signal<Vec<(i64, String)>> {
    let agents = LocalResource::new(|| async {
        let query = UserQuery {
            role: Some(Role::Agent),
            page: 1,
            per_page: MAX_PER_PAGE,
            ..UserQuery::default()
        };
        api::users::list_users(&query).await
    });
    Signal::derive(move || {
        agents
            .get()
            .and_then(Result::ok)
            .map(|page| {
                page.users
                    .into_iter()
                    .map(|u| {
                        let label =
                            format!("{} {}", u.display_name, u.employee_no.unwrap_or_default());
                        (u.id, label)
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    })
}

/// A choice of a filter form: a select named `name` whose first option (`all`, the empty
/// value) sets no filter, then `options` as value and text; the option whose value is
/// `selected` is chosen.
#[component]
pub fn SelectFilter(
    /// The select's id.
    id: &'static str,
    /// The field's name in the form and the address.
    name: &'static str,
    /// The label.
    label: Text,
    /// The text of the option that sets no filter.
    all: Text,
    /// The choices: value and text.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// The value the address carries; empty for none.
    #[prop(into)]
    selected: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{tr(i18n, label)}</label>
            <select id=id name=name>
                <option value="" prop:selected=move || selected.with(String::is_empty)>
                    {tr(i18n, all)}
                </option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(value, text)| {
                            let chosen = value.clone();
                            view! {
                                <option
                                    value=value
                                    prop:selected=move || selected.with(|s| *s == chosen)
                                >
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}
