//! The previous / next links under a paged list, with the position between them.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;

/// Links to the previous and next page (absent at either end) and "page 2 of 7" between them.
#[component]
pub fn Pager(
    /// The previous page's address, `None` on the first page.
    previous: Option<String>,
    /// The next page's address, `None` on the last page.
    next: Option<String>,
    /// The page shown, from 1.
    page: u64,
    /// How many pages there are.
    pages: u64,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, pager.paging)>
            {previous.map(|href| view! {
                <A href=href attr:class="button button-secondary" attr:rel="prev">{t!(i18n, pager.previous)}</A>
            })}
            <span class="pager-position">{t!(i18n, pager.page_of, page, pages)}</span>
            {next.map(|href| view! {
                <A href=href attr:class="button button-secondary" attr:rel="next">{t!(i18n, pager.next)}</A>
            })}
        </nav>
    }
}
