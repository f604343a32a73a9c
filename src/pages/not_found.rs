//! The page for addresses no route matches.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::i18n::{t, t_string, use_i18n};
use crate::pages::PageTitle;

/// Says that no page lives at the current address, shows the address and links home.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, not_found.title)) />
        <section class="not-found" aria-labelledby="not-found-title">
            <h1 id="not-found-title">{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <p>
                <code class="path">{move || location.pathname.get()}</code>
            </p>
            <p>
                <A href="/" attr:class="button">
                    {t!(i18n, not_found.home_link)}
                </A>
            </p>
        </section>
    }
}
