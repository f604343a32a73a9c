//! The tabs of a list's states (all, then each state) as links that keep the list's other
//! filters, each with its count once the list has loaded; the current one is marked.

use leptos::prelude::*;

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
