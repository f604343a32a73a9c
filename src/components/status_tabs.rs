//! The tabs of a list's states (all, then each state) as links that keep the list's other
//! filters, each with its count once the list has loaded; the current one is marked.

use leptos::prelude::*;

use crate::i18n::{Locale, use_i18n};

/// One tab of [`StatusTabs`].
pub struct StatusTab {
    /// The list's address with this state (and the other filters, page 1).
    pub href: Signal<String>,
    /// The state's name in the page's language.
    pub label: Signal<String>,
    /// How many the list has in this state, once loaded.
    pub count: Signal<Option<u64>>,
    /// Whether the list shows this state.
    pub current: Signal<bool>,
}

/// The tabs of a list filtered by one state: every row (`None`), then each of `states`.
/// `href` is the list's address in a state (its other filters kept, on page 1), `label` a
/// state's name, `count` how many the loaded list has in a state (none before it loads), and
/// `current` the state the address shows.
pub fn state_tabs<S>(
    states: impl IntoIterator<Item = S>,
    href: impl Fn(Option<S>) -> String + Copy + Send + Sync + 'static,
    label: fn(Locale, Option<S>) -> &'static str,
    count: impl Fn(Option<S>) -> Option<u64> + Copy + Send + Sync + 'static,
    current: impl Fn() -> Option<S> + Copy + Send + Sync + 'static,
) -> Vec<StatusTab>
where
    S: Copy + PartialEq + Send + Sync + 'static,
{
    let i18n = use_i18n();
    std::iter::once(None)
        .chain(states.into_iter().map(Some))
        .map(|state| StatusTab {
            href: Signal::derive(move || href(state)),
            label: Signal::derive(move || label(i18n.get_locale(), state).to_owned()),
            count: Signal::derive(move || count(state)),
            current: Signal::derive(move || current() == state),
        })
        .collect()
}

/// The tabs, in a `nav` named `label`.
#[component]
pub fn StatusTabs(
    tabs: Vec<StatusTab>,
    /// The navigation's accessible name.
    #[prop(into)]
    label: Signal<String>,
    /// Classes besides `status-tabs`.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let tabs = tabs
        .into_iter()
        .map(|tab| {
            let StatusTab {
                href,
                label,
                count,
                current,
            } = tab;
            view! {
                <li>
                    <a href=href aria-current=move || current.get().then_some("page")>
                        {label}
                        {move || count.get().map(|n| format!(" ({n})"))}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class=format!("status-tabs {class}") aria-label=label>
            <ul>{tabs}</ul>
        </nav>
    }
}
